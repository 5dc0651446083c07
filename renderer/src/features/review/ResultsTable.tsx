import { Box, Table, Text } from '@mantine/core'
import { memo, useRef, useState } from 'react'
import { REASON_TITLES } from '../../../../shared/prepare/words'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import type { ResultsRow } from '../prepare/types'
import { useResultRows, type ResultsSource } from './use-result-rows'
import { useRowWindow } from './use-row-window'

const ROW_HEIGHT = 34
const HEADER_HEIGHT = 40
/** The tallest the box gets; with few rows it is just tall enough for them. */
const MAX_BOX_HEIGHT = 460
/** Room for a horizontal scroll bar, so the last row is never hidden under it. */
const SCROLLBAR_ALLOWANCE = 16

export interface ResultsColumn {
  title: string
  width: number
  text(row: ResultsRow): string
}

/**
 * A table of any number of rows (a million scroll smoothly): only the rows on screen are in the
 * page, fetched from main a page at a time as the person scrolls. Cells show one line each; the
 * full text is in the cell's tooltip, and a row that has the focus (Tab) or was clicked is shown
 * in full under the table, so a long "Why" can be read without a mouse. Shown afresh (scrolled
 * to the top) for each `source`.
 */
export function ResultsTable({
  label,
  source,
  total,
  columns,
}: {
  label: string
  source: ResultsSource
  total: number
  columns: ResultsColumn[]
}) {
  const scroller = useRef<HTMLDivElement>(null)
  const boxHeight = Math.min(MAX_BOX_HEIGHT, HEADER_HEIGHT + Math.max(1, total) * ROW_HEIGHT + SCROLLBAR_ALLOWANCE)
  const view = useRowWindow(scroller, total, ROW_HEIGHT, HEADER_HEIGHT)
  const { first, end } = view
  const rows = useResultRows(source, first, end)
  const [inFull, setInFull] = useState<number | null>(null)
  const rowInFull = inFull === null ? undefined : rows.rowAt(inFull)

  const width = columns.reduce((sum, column) => sum + column.width, 0)
  const spacer = (height: number, key: string) =>
    height > 0 && (
      <tr aria-hidden="true" key={key} style={{ height }}>
        <td colSpan={columns.length} style={{ padding: 0, border: 0 }} />
      </tr>
    )
  const indexes = Array.from({ length: Math.max(0, end - first) }, (_, i) => first + i)

  return (
    <>
      {rows.problem && <ProblemAlert problem={rows.problem} />}
      <Box
        ref={scroller}
        onScroll={view.onScroll}
        h={boxHeight}
        style={{
          overflow: 'auto',
          border: '1px solid var(--mantine-color-default-border)',
          borderRadius: 'var(--mantine-radius-sm)',
        }}
        tabIndex={0}
        role="region"
        aria-label={`${label}: scroll to see more rows`}
        data-testid="results-scroller"
      >
        <Table
          stickyHeader
          layout="fixed"
          w={width}
          miw="100%"
          aria-label={label}
          aria-rowcount={total + 1}
          verticalSpacing={0}
          striped
        >
          <Table.Thead>
            <Table.Tr aria-rowindex={1} style={{ height: HEADER_HEIGHT }}>
              {columns.map((column, position) => (
                <Table.Th
                  scope="col"
                  key={position}
                  w={column.width}
                  title={column.title}
                  style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}
                >
                  {column.title}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {spacer(view.spaceBefore, 'before')}
            {indexes.map((index) => (
              <ResultRow key={index} index={index} row={rows.rowAt(index)} columns={columns} onShow={setInFull} />
            ))}
            {spacer(view.spaceAfter, 'after')}
          </Table.Tbody>
        </Table>
      </Box>
      {rowInFull && <RowInFull row={rowInFull} columns={columns} />}
    </>
  )
}

/** The row the person is on, every cell in full (long texts wrap). */
function RowInFull({ row, columns }: { row: ResultsRow; columns: ResultsColumn[] }) {
  return (
    <Box component="dl" data-testid="row-in-full" fz="sm" m={0} mt="xs">
      {columns.map((column, position) => (
        <Box key={position} style={{ overflowWrap: 'anywhere' }}>
          <Box component="dt" fw={600} display="inline">
            {column.title}:
          </Box>{' '}
          <Box component="dd" display="inline" m={0}>
            {column.text(row)}
          </Box>
        </Box>
      ))}
    </Box>
  )
}

/** One row; unchanged rows are not rendered again while the table scrolls. */
const ResultRow = memo(function ResultRow({
  index,
  row,
  columns,
  onShow,
}: {
  index: number
  row: ResultsRow | undefined
  columns: ResultsColumn[]
  /** The person is on this row (focus or click): show it in full. */
  onShow(index: number): void
}) {
  return (
    <Table.Tr
      aria-rowindex={index + 2}
      style={{ height: ROW_HEIGHT }}
      data-testid="result-row"
      tabIndex={0}
      onFocus={() => onShow(index)}
      onClick={() => onShow(index)}
    >
      {columns.map((column, position) => (
        <Table.Td
          key={position}
          style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', height: ROW_HEIGHT }}
        >
          {row ? (
            <CellText text={column.text(row)} />
          ) : (
            <Text span size="sm" c="dimmed">
              …
            </Text>
          )}
        </Table.Td>
      ))}
    </Table.Tr>
  )
})

function CellText({ text }: { text: string }) {
  return (
    <Text span size="sm" title={text.length > 24 ? text : undefined}>
      {text}
    </Text>
  )
}

export function problemColumns(sourceColumns: string[]): ResultsColumn[] {
  return [
    { title: 'Row', width: 90, text: (row) => row.row.toLocaleString('en-US') },
    { title: 'Problem', width: 290, text: (row) => (row.reason ? REASON_TITLES[row.reason] : '') },
    { title: 'Why', width: 420, text: (row) => row.explanation ?? '' },
    ...sourceColumns.map((name, index) => ({
      title: name || `Column ${index + 1}`,
      width: 180,
      text: (row: ResultsRow) => row.cells[index] ?? '',
    })),
  ]
}

export function groupColumns(outputColumns: string[], label: (header: string) => string): ResultsColumn[] {
  return [
    { title: 'Row', width: 90, text: (row) => row.row.toLocaleString('en-US') },
    ...outputColumns.map((header, index) => ({
      title: label(header),
      width: index === 0 ? 300 : 180,
      text: (row: ResultsRow) => row.cells[index] ?? '',
    })),
  ]
}
