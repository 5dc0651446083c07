import { basename } from 'node:path'
import { UserFacingError } from '../../../shared/errors'
import { checkEmail } from '../../../shared/prepare/email'
import type { Delimiter, ReadOptions, SheetInfo, SourceFormat, TextEncoding } from '../../../shared/prepare/schemas'
import { detectNewline, parseRecordText, parseRecordTexts, type CsvSink } from './csv-parse'
import { detectDelimiter } from './delimiter'
import { createStreamDecoder, detectEncoding, looksBinary } from './encoding'
import { sniffFile } from './sniff'
import { readCsvRecords, TEXT_CHUNK_BYTES, type CsvReader } from './csv-read'
import { readDecodedText } from './text-file'
import type { Utf8Positions } from './utf8-positions'
import { RowSpool } from './row-spool'
import { DEFERRED_STRING, readSheetRows } from './xlsx/sheet-reader'
import { Workbook, type WorkbookSheet } from './xlsx/workbook'

/** Receives the rows of a source in order. Return false from `row` to stop reading. */
type RowSink = CsvSink

export interface RowReadOptions {
  signal?: AbortSignal
  /** Progress of the read in source units (CSV: file bytes; XLSX: sheet XML bytes). */
  onProgress?(done: number, total: number): void
  /** CSV: stop after this many bytes (for previews). */
  maxBytes?: number
  /** Columns in the table, to recognise records that ran together (CSV). */
  expectedWidth?: number
  /** CSV: how the text is read and parsed (default: {@link readCsvRecords}, papaparse on this thread). */
  csvReader?: CsvReader
  /** XLSX: leave shared strings unresolved (see DEFERRED_STRING) so a preview needn't load them all. */
  deferSharedStrings?: boolean
}

export interface RowReadResult {
  /** The end of the data was reached (not stopped early). */
  complete: boolean
  bytesRead: number
  /** CSV: some bytes were not valid in the chosen encoding (shown as U+FFFD). */
  undecodable: boolean
  /** CSV read on this thread: the characters the `bytesRead` decoded to (to tell how many bytes the rows read took). */
  charsRead?: number
}

/** A spreadsheet file, opened and understood well enough to read its rows. */
export interface OpenedSource {
  path: string
  fileName: string
  sizeBytes: number
  format: SourceFormat
  encoding?: TextEncoding
  encodingDetected?: TextEncoding
  delimiter?: Delimiter
  delimiterDetected?: Delimiter
  sheets?: SheetInfo[]
  sheet?: string
  /** Reads the rows from the top; resolves with whether the end of the data was reached. */
  readRows(sink: RowSink, options?: RowReadOptions): Promise<RowReadResult>
  /**
   * Reads particular rows again, after a full read: by their character span for CSV (decoding
   * only, no parsing of the rest), by their row number for a workbook. Returns cells by row number.
   */
  fetchRows(
    rows: ReadonlyArray<{ row: number; start: number; end: number }>,
    signal?: AbortSignal,
  ): Promise<Map<number, string[]>>
  /** XLSX only: the workbook, e.g. to resolve deferred shared strings. */
  workbook?: Workbook
  close(): void
}

export async function openSource(path: string, options: ReadOptions = {}): Promise<OpenedSource> {
  const sniffed = await sniffFile(path)
  const fileName = basename(path)
  if (sniffed.format === 'xlsx') return openWorkbookSource(path, fileName, sniffed.sizeBytes, options)
  return openTextSource(path, fileName, sniffed.sizeBytes, sniffed.head, options)
}

function openTextSource(
  path: string,
  fileName: string,
  sizeBytes: number,
  head: Buffer,
  options: ReadOptions,
): OpenedSource {
  const wholeFile = sizeBytes <= head.length
  const detected = detectEncoding(head, wholeFile)
  const encoding = options.encoding ?? detected.encoding
  if (looksBinary(head, encoding)) {
    throw new UserFacingError(
      'not_a_spreadsheet',
      `"${fileName}" is not a text or Excel file, so it can't be read as a spreadsheet.`,
      'Choose the CSV or Excel (.xlsx) file that holds the contacts.',
    )
  }
  // Decode the sample without its last bytes' partial character, then cut at the last full line.
  const decoder = createStreamDecoder(encoding)
  let sample = decoder.write(head) + (wholeFile ? decoder.end() : '')
  if (!wholeFile) {
    const lastBreak = Math.max(sample.lastIndexOf('\n'), sample.lastIndexOf('\r'))
    if (lastBreak > 0) sample = sample.slice(0, lastBreak + 1)
  }
  if (sample.trim() === '') {
    throw new UserFacingError(
      'empty_file',
      `"${fileName}" holds no data: it is empty or only blank lines.`,
      'Choose the file that holds the contacts.',
    )
  }
  const delimiterDetected = detectDelimiter(sample, wholeFile)
  const delimiter = options.delimiter ?? delimiterDetected
  const newline = detectNewline(sample)
  /** Where the characters of the last complete read are in the file, when known (see fetchRows). */
  let positionsOfLastRead: Utf8Positions | null = null
  return {
    path,
    fileName,
    sizeBytes,
    format: 'csv',
    encoding,
    encodingDetected: detected.encoding,
    delimiter,
    delimiterDetected,
    async readRows(sink, read = {}) {
      const settings = { delimiter, newline, ...(read.expectedWidth ? { expectedWidth: read.expectedWidth } : {}) }
      const text = { path, encoding, bomBytes: hasUtf8Bom(head) ? 3 : 0, sizeBytes }
      const readCsv = read.csvReader ?? readCsvRecords
      const { complete, bytesRead, undecodable, positions, charsRead } = await readCsv(text, settings, sink, read)
      positionsOfLastRead = complete ? positions : null
      return { complete, bytesRead, undecodable, ...(charsRead !== undefined ? { charsRead } : {}) }
    },
    async fetchRows(wanted, signal) {
      const found = new Map<number, string[]>()
      const queue = [...wanted].sort((a, b) => a.start - b.start)
      if (positionsOfLastRead) {
        // Only the bytes around each record are read and decoded.
        const texts: string[] = []
        positionsOfLastRead.readSpans(path, queue, (_request, text) => void texts.push(text), signal)
        parseRecordTexts(texts, { delimiter, newline }).forEach((cells, i) => found.set(queue[i]!.row, cells))
        return found
      }
      let next = 0
      let position = 0 // characters of decoded text before the current piece
      let pending = ''
      if (queue.length === 0) return found
      await readDecodedText(
        path,
        encoding,
        (text) => {
          const pieceEnd = position + text.length
          while (next < queue.length && queue[next]!.start < pieceEnd) {
            const request = queue[next]!
            pending += text.slice(
              Math.max(request.start, position) - position,
              Math.min(request.end, pieceEnd) - position,
            )
            if (request.end > pieceEnd) break // continues in the next piece
            found.set(request.row, parseRecordText(pending, { delimiter, newline }))
            pending = ''
            next++
          }
          position = pieceEnd
          return next < queue.length
        },
        { chunkBytes: FETCH_CHUNK_BYTES, ...(signal ? { signal } : {}) },
      )
      return found
    },
    close() {},
  }
}

function hasUtf8Bom(head: Buffer): boolean {
  return head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf
}

const FETCH_CHUNK_BYTES = TEXT_CHUNK_BYTES

async function openWorkbookSource(
  path: string,
  fileName: string,
  sizeBytes: number,
  options: ReadOptions,
): Promise<OpenedSource> {
  const workbook = await Workbook.open(path, fileName)
  try {
    if (workbook.sheets.length === 0) {
      throw new UserFacingError(
        'no_sheets',
        `"${fileName}" has no worksheets Splitsend can read.`,
        'Open it in Excel, check that the contacts are on a normal worksheet, save it, and try again.',
      )
    }
    const sheets: SheetInfo[] = []
    const scan = { bytesLeft: MAX_SHEET_SCAN_BYTES }
    for (const sheet of workbook.sheets)
      sheets.push({ name: sheet.name, hidden: sheet.hidden, ...(await sheetLooks(workbook, sheet, scan)) })
    let chosen: WorkbookSheet | undefined
    if (options.sheet !== undefined) {
      chosen =
        workbook.sheets.find((s) => s.name === options.sheet) ??
        workbook.sheets.find((s) => s.name.toLowerCase() === options.sheet!.toLowerCase())
      if (!chosen) {
        throw new UserFacingError(
          'sheet_not_found',
          `"${fileName}" has no sheet named "${options.sheet}".`,
          `Its sheets are: ${workbook.sheets.map((s) => `"${s.name}"`).join(', ')}.`,
        )
      }
    } else {
      // The first sheet that looks like contacts (a column of email addresses), not a cover or
      // summary sheet before it; failing that, the first sheet with anything on it.
      const firstWithData =
        sheets.find((s) => s.contacts && !s.hidden) ??
        sheets.find((s) => s.hasData && !s.hidden) ??
        sheets.find((s) => s.hasData)
      if (!firstWithData) {
        throw new UserFacingError(
          'empty_file',
          `Every sheet in "${fileName}" is empty.`,
          'Check that you chose the right file, and that the contacts were saved in it.',
        )
      }
      chosen = workbook.sheets.find((s) => s.name === firstWithData.name)!
    }
    const sheet = chosen
    const spool = new RowSpool()
    return {
      path,
      fileName,
      sizeBytes,
      format: 'xlsx',
      sheets,
      sheet: sheet.name,
      workbook,
      async readRows(sink, read = {}) {
        const strings = read.deferSharedStrings ? 'defer' : await workbook.loadSharedStrings()
        let complete = true
        let bytes = 0
        // Deferred shared strings are only for previews, which never read rows again.
        const keep = strings !== 'defer'
        if (keep) spool.begin()
        await readSheetRows(
          workbook,
          sheet,
          (cells, row) => {
            const at = keep ? spool.add(cells) : { start: 0, end: 0 }
            if (sink.row(cells, row, at.start, at.end) === false) {
              complete = false
              return false
            }
          },
          {
            sharedStrings: strings,
            ...(read.signal ? { signal: read.signal } : {}),
            onBytes: (done, total) => {
              bytes = done
              read.onProgress?.(done, total)
            },
          },
        )
        if (keep && complete) spool.end()
        return { complete, bytesRead: bytes, undecodable: false }
      },
      async fetchRows(wanted, signal) {
        // After a whole read, from the kept rows; else by reading the sheet again.
        if (spool.usable) return spool.read(wanted)
        const found = new Map<number, string[]>()
        const rows = new Set(wanted.map((w) => w.row))
        if (rows.size === 0) return found
        const last = Math.max(...rows)
        const strings = await workbook.loadSharedStrings()
        await readSheetRows(
          workbook,
          sheet,
          (cells, row) => {
            if (rows.has(row)) found.set(row, cells.slice())
            return row < last
          },
          { sharedStrings: strings, ...(signal ? { signal } : {}) },
        )
        return found
      },
      close: () => {
        spool.dispose()
        workbook.close()
      },
    }
  } catch (error) {
    workbook.close()
    throw error
  }
}

/**
 * How much of a workbook's sheets' XML is read, in all, to find which sheets hold data and which
 * look like contacts: enough for every sheet of an ordinary workbook (data starts in the first
 * rows), but a workbook of many sheets full of nothing costs a second or two, not minutes (a sheet
 * not looked at is taken to hold data, and not to be the contacts).
 */
const MAX_SHEET_SCAN_BYTES = 16 * 1024 * 1024

/** Rows of each sheet looked at to tell whether it holds contacts. */
const SHEET_SAMPLE_ROWS = 100

/**
 * Whether a sheet holds anything, and whether it looks like contacts: a column in its first rows
 * with several email addresses, mostly addresses from the first one on (a summary sheet naming an
 * address or two among other things isn't). Read within what is left of the scan.
 */
async function sheetLooks(
  workbook: Workbook,
  sheet: WorkbookSheet,
  scan: { bytesLeft: number },
): Promise<{ hasData: boolean; contacts: boolean }> {
  if (scan.bytesLeft <= 0) return { hasData: true, contacts: false }
  const rows: string[][] = []
  let bytes = 0
  const { cut } = await readSheetRows(
    workbook,
    sheet,
    (cells) => {
      if (cells.some((cell) => cell !== '')) rows.push(cells.slice())
      return rows.length < SHEET_SAMPLE_ROWS
    },
    { sharedStrings: 'defer', maxBytes: scan.bytesLeft, onBytes: (done) => (bytes = done) },
  )
  scan.bytesLeft -= bytes
  if (rows.length === 0) return { hasData: cut, contacts: false }
  let highest = -1
  for (const cells of rows)
    for (const cell of cells) if (cell.startsWith(DEFERRED_STRING)) highest = Math.max(highest, Number(cell.slice(1)))
  const strings = highest >= 0 ? await workbook.loadSharedStrings(highest) : []
  const text = (cell: string) => (cell.startsWith(DEFERRED_STRING) ? (strings[Number(cell.slice(1))] ?? '') : cell)
  const width = Math.max(...rows.map((cells) => cells.length))
  for (let column = 0; column < width; column++) {
    // From the column's first address on (below its header and any title), mostly addresses.
    const isEmail = (cell: string) => cell.includes('@') && checkEmail(cell).kind === 'valid'
    const filled = rows.map((cells) => text(cells[column] ?? '').trim()).filter((cell) => cell !== '')
    const fromFirst = filled.slice(Math.max(0, filled.findIndex(isEmail)))
    const emails = fromFirst.filter(isEmail).length
    if (emails >= 2 && emails * 2 > fromFirst.length) return { hasData: true, contacts: true }
  }
  return { hasData: true, contacts: false }
}
