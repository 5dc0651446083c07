import { Table, Text } from '@mantine/core'
import { trimCell } from '../../../../shared/prepare/email'
import type { Inspection } from '../prepare/types'

/** The file's columns, each with a value from its first rows so the person recognises it. */
export function ColumnsTable({ inspection }: { inspection: Inspection }) {
  const example = (index: number) =>
    inspection.previewRows.map((row) => trimCell(row.cells[index] ?? '')).find((cell) => cell !== '')
  return (
    <Table striped withTableBorder aria-label="Columns">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col" w={48}>
            #
          </Table.Th>
          <Table.Th scope="col">Column</Table.Th>
          <Table.Th scope="col">For example</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {inspection.columns.map((column) => (
          <Table.Tr key={column.index}>
            <Table.Td>{column.index + 1}</Table.Td>
            <Table.Td data-testid="column-name">{column.name || <Text c="dimmed">(no name)</Text>}</Table.Td>
            <Table.Td>{example(column.index) ?? <Text c="dimmed">(empty in the first rows)</Text>}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
