import { Table, Text } from '@mantine/core'
import type { ReactNode } from 'react'

export interface FirstRowsColumn {
  key: string
  title: string
  cell(row: { row: number; cells: string[] }): ReactNode
}

/** A few rows from the top of the file, scrolling sideways when there are many columns. */
export function FirstRowsTable({
  label,
  columns,
  rows,
}: {
  label: string
  columns: FirstRowsColumn[]
  rows: Array<{ row: number; cells: string[] }>
}) {
  if (rows.length === 0) return <Text c="dimmed">The file has no rows below the header.</Text>
  return (
    // A region in the tab order, so the keyboard can scroll it sideways too (arrow keys once focused).
    <Table.ScrollContainer
      minWidth={Math.max(600, columns.length * 140)}
      type="native"
      tabIndex={0}
      role="region"
      aria-label={label}
    >
      <Table striped withTableBorder withColumnBorders aria-label={label}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Row</Table.Th>
            {columns.map((column) => (
              <Table.Th scope="col" key={column.key}>
                {column.title}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.row}>
              <Table.Td>{row.row}</Table.Td>
              {columns.map((column) => (
                <Table.Td key={column.key}>{column.cell(row)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}
