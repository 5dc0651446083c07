import { UserFacingError } from '../../../shared/errors'
import { checkEmail } from '../../../shared/prepare/email'
import { columnsFromHeader, detectHeaderRow, isBlankRow, type SourceRow } from './header-row'
import { MAX_COLUMNS, type ColumnInfo } from '../../../shared/prepare/schemas'
import type { OpenedSource } from '../spreadsheet/source'
import { DEFERRED_STRING } from '../spreadsheet/xlsx/sheet-reader'

/** How much of a file a preview reads: enough rows to judge the columns, never the whole of a big file. */
const SAMPLE_ROWS = 1000
const SAMPLE_BYTES = 1024 * 1024
/** A CSV file whose first rows don't fit in {@link SAMPLE_BYTES} (thousands of columns) is read this far. */
const WIDE_SAMPLE_BYTES = 16 * 1024 * 1024
/** Rows a sample must hold to judge the columns by: the header and a few below it. */
const MIN_SAMPLE_ROWS = 4

export interface TableStart {
  /** The first rows of the source (blank ones included), cells as text. */
  rows: SourceRow[]
  headerRowDetected: number
  headerRow: number
  columns: ColumnInfo[]
  /** The sample covers the whole file. */
  complete: boolean
  bytesRead: number
  /** CSV: about how many bytes of the file the sampled rows take (the read goes on a little past them). */
  sampledBytes?: number
}

/** Reads the first rows of a source and works out its header row and columns. */
export async function readTableStart(
  source: OpenedSource,
  headerRowOverride?: number,
  signal?: AbortSignal,
): Promise<TableStart> {
  let sample = await readSample(source, SAMPLE_BYTES, signal)
  if (!sample.complete && sample.rows.length < MIN_SAMPLE_ROWS && source.format === 'csv')
    sample = await readSample(source, WIDE_SAMPLE_BYTES, signal)
  const { rows, complete, bytesRead, charsRead, sampledChars } = sample
  if (source.workbook) await resolveDeferredStrings(source, rows)
  if (rows.every((r) => isBlankRow(r.cells))) {
    throw new UserFacingError(
      'empty_file',
      `"${source.fileName}"${source.sheet ? ` (sheet "${source.sheet}")` : ''} holds no data.`,
      'Choose the file, or the sheet, that holds the contacts.',
    )
  }
  const headerRowDetected = detectHeaderRow(rows)
  const headerRow = headerRowOverride ?? headerRowDetected
  const header = headerRow > 0 ? rows.find((r) => r.row === headerRow) : undefined
  if (headerRow > 0 && !header) {
    throw new UserFacingError(
      'header_row_not_found',
      `Row ${headerRow} is not among the first rows of "${source.fileName}".`,
      `Choose a header row between 1 and ${rows[rows.length - 1]?.row ?? 1}, or 0 if the file has no header row.`,
    )
  }
  const width = rows.reduce((max, r) => (r.row > headerRow ? Math.max(max, lastFilled(r.cells) + 1) : max), 0)
  const headerWidth = header ? lastFilled(header.cells) + 1 : 0
  if (Math.max(width, headerWidth) > MAX_COLUMNS) throw tooManyColumns(source, Math.max(width, headerWidth))
  const columns = columnsFromHeader(header ? header.cells.slice(0, headerWidth) : null, width)
  if (columns.length === 1) assertHasEmails(source, rows, headerRow)
  // The text is read in pieces: the bytes up to the last row sampled, from its share of the characters read.
  const sampledBytes =
    charsRead && sampledChars > 0 ? Math.round((bytesRead * Math.min(sampledChars, charsRead)) / charsRead) : undefined
  return {
    rows,
    headerRowDetected,
    headerRow,
    columns,
    complete,
    bytesRead,
    ...(sampledBytes !== undefined ? { sampledBytes } : {}),
  }
}

/** The same words in the app and the command: a table wider than an Excel sheet is not read. */
function tooManyColumns(source: OpenedSource, count: number): UserFacingError {
  return new UserFacingError(
    'too_many_columns',
    `“${source.fileName}”${source.sheet ? ` (sheet “${source.sheet}”)` : ''} has ${count.toLocaleString('en-US')} columns; Splitsend reads at most ${MAX_COLUMNS.toLocaleString('en-US')}, as many as an Excel sheet holds.`,
    source.format === 'csv'
      ? 'Check that the right separator was chosen. Otherwise remove the columns you don’t need (keep the email and flag columns) and save a copy of the file.'
      : 'Remove the columns you don’t need (keep the email and flag columns) and save a copy of the file.',
  )
}

/** The first rows of the source, up to {@link SAMPLE_ROWS} rows or `maxBytes` of a CSV file. */
async function readSample(
  source: OpenedSource,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<{ rows: SourceRow[]; complete: boolean; bytesRead: number; charsRead?: number; sampledChars: number }> {
  const rows: SourceRow[] = []
  // Where the last sampled row ends in the text read (for the bytes the sampled rows take).
  let sampledChars = 0
  const { complete, bytesRead, charsRead } = await source.readRows(
    {
      row(cells, row, _start, end) {
        rows.push({ row, cells: cells.slice() })
        sampledChars = end
        return rows.length < SAMPLE_ROWS
      },
      malformed(raw, row) {
        rows.push({ row, cells: [raw] })
        return rows.length < SAMPLE_ROWS
      },
    },
    { maxBytes, deferSharedStrings: true, ...(signal ? { signal } : {}) },
  )
  return { rows, complete, bytesRead, ...(charsRead !== undefined ? { charsRead } : {}), sampledChars }
}

function lastFilled(cells: readonly string[]): number {
  for (let i = cells.length - 1; i >= 0; i--) if (cells[i]!.trim() !== '') return i
  return -1
}

/** A file with a single column is only a contact list if that column holds addresses. */
function assertHasEmails(source: OpenedSource, rows: readonly SourceRow[], headerRow: number): void {
  const found = rows.some(
    (r) => r.row > headerRow && r.cells.some((cell) => cell.includes('@') && checkEmail(cell).kind === 'valid'),
  )
  if (found) return
  throw new UserFacingError(
    'no_email_column',
    `"${source.fileName}" has a single column and no email addresses in its first rows, so it doesn't look like a contact list.`,
    source.format === 'csv'
      ? 'Check that this is the right file. If its columns are separated by something unusual, choose the separator by hand.'
      : 'Check that this is the right file, and the right sheet.',
  )
}

/** Loads just enough of the shared-strings table to fill in the sampled rows. */
async function resolveDeferredStrings(source: OpenedSource, rows: SourceRow[]): Promise<void> {
  let highest = -1
  for (const r of rows)
    for (const cell of r.cells) if (cell.startsWith(DEFERRED_STRING)) highest = Math.max(highest, Number(cell.slice(1)))
  if (highest < 0) return
  const workbook = source.workbook!
  // An index that is not a number counts as the highest: the table is read whole and it is refused.
  const strings = await workbook.loadSharedStrings(Number.isNaN(highest) ? undefined : highest)
  for (const r of rows) {
    const where = (): string => `row ${r.row.toLocaleString('en-US')} of sheet “${source.sheet}”`
    for (let i = 0; i < r.cells.length; i++) {
      const cell = r.cells[i]!
      if (cell.startsWith(DEFERRED_STRING)) r.cells[i] = workbook.sharedString(strings, cell.slice(1), where)
    }
  }
}
