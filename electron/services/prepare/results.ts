import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Papa from 'papaparse'
import { UserFacingError } from '../../../shared/errors'
import { restoreFormula } from '../spreadsheet/csv-text'
import {
  MAX_SHOWN_CELL_CHARS,
  PROBLEM_REASONS,
  type ProblemReason,
  type ResultKind,
  type ResultsPage,
  type ResultsPageQuery,
} from '../../../shared/prepare/schemas'
import { type PrepareSummary, INDEX_ENTRY_BYTES, JOB_FILES, readSummaryFile } from './job-files'

const MAX_PAGE_ROWS = 1000

/** Paged, filterable access to the rows of a prepared job, for the Review screen's tables. */
export interface PreparedResults {
  readonly summary: PrepareSummary
  page(query: ResultsPageQuery): ResultsPage
  close(): void
}

interface IndexedFile {
  path: string
  fd: number
  /** Byte offset of each record, plus the file size at the end. */
  offsets: Float64Array
  rows: Uint32Array
  reasons: Uint32Array
  columns: string[]
}

/**
 * Opens a job folder written by the Prepare pass. Each page reads only its own records, found
 * through the `.idx` files; a text search scans the file once and keeps the matches for the
 * following pages of the same search.
 */
export function openPreparedResults(jobDir: string): PreparedResults {
  const summary = readResultsSummary(jobDir)
  const files: Record<ResultKind, IndexedFile> = {
    group0: openIndexed(jobDir, JOB_FILES.group0, JOB_FILES.group0Index, summary.outputColumns),
    group1: openIndexed(jobDir, JOB_FILES.group1, JOB_FILES.group1Index, summary.outputColumns),
    problems: openIndexed(
      jobDir,
      JOB_FILES.problems,
      JOB_FILES.problemsIndex,
      summary.columns.map((c) => c.name),
    ),
  }
  const byReason = new Map<ProblemReason, Uint32Array>()
  let lastSearch: { key: string; matches: Uint32Array } | null = null

  /** Record numbers of a problems reason, built once per reason. */
  const reasonRecords = (reason: ProblemReason): Uint32Array => {
    let records = byReason.get(reason)
    if (!records) {
      const code = PROBLEM_REASONS.indexOf(reason)
      const reasons = files.problems.reasons
      const list: number[] = []
      for (let i = 0; i < reasons.length; i++) if (reasons[i] === code) list.push(i)
      records = Uint32Array.from(list)
      byReason.set(reason, records)
    }
    return records
  }

  return {
    summary,
    page(query) {
      const file = files[query.kind]
      if (!file) throw new UserFacingError('bad_request', `There are no results called "${String(query.kind)}".`)
      const limit = Math.max(0, Math.min(MAX_PAGE_ROWS, Math.floor(query.limit)))
      const offset = Math.max(0, Math.floor(query.offset))
      const count = file.rows.length
      let selection: Uint32Array | null = query.kind === 'problems' && query.reason ? reasonRecords(query.reason) : null
      const search = query.search?.trim().toLowerCase() ?? ''
      if (search !== '') {
        const key = `${query.kind}\u0000${query.reason ?? ''}\u0000${search}`
        if (lastSearch?.key !== key) lastSearch = { key, matches: searchRecords(file, selection, search) }
        selection = lastSearch.matches
      }
      const total = selection ? selection.length : count
      const records: number[] = []
      for (let i = offset; i < Math.min(total, offset + limit); i++) records.push(selection ? selection[i]! : i)
      return {
        kind: query.kind,
        columns: file.columns,
        total,
        offset,
        rows: records.map((record) => {
          const cells = parseRecord(readRecord(file, record)).map(shownCell)
          if (query.kind !== 'problems') return { row: file.rows[record]!, cells }
          return {
            row: file.rows[record]!,
            reason: cells[1] as ProblemReason,
            explanation: cells[2] ?? '',
            // problems.csv keeps cells Excel would run as formulas behind an apostrophe; the app shows them as they were.
            cells: cells.slice(3).map(restoreFormula),
          }
        }),
      }
    },
    close() {
      for (const file of Object.values(files)) closeSync(file.fd)
    },
  }
}

/** A prepared job's summary (a small file); a folder that holds no complete job is refused. */
export function readResultsSummary(jobDir: string): PrepareSummary {
  return readSummaryFile(jobDir, 'Prepare the spreadsheet again.')
}

function openIndexed(jobDir: string, csvName: string, indexName: string, columns: string[]): IndexedFile {
  const path = join(jobDir, csvName)
  const index = readFileSync(join(jobDir, indexName))
  const count = Math.floor(index.length / INDEX_ENTRY_BYTES)
  const offsets = new Float64Array(count + 1)
  const rows = new Uint32Array(count)
  const reasons = new Uint32Array(count)
  for (let i = 0; i < count; i++) {
    const at = i * INDEX_ENTRY_BYTES
    offsets[i] = index.readDoubleLE(at)
    rows[i] = index.readUInt32LE(at + 8)
    reasons[i] = index.readUInt32LE(at + 12)
  }
  offsets[count] = statSync(path).size
  return { path, fd: openSync(path, 'r'), offsets, rows, reasons, columns }
}

function readRecord(file: IndexedFile, record: number): string {
  const start = file.offsets[record]!
  const length = file.offsets[record + 1]! - start
  const buffer = Buffer.allocUnsafe(length)
  readSync(file.fd, buffer, 0, length, start)
  return buffer.toString('utf8')
}

/** A cell as a review table shows it: cut when it is longer than any real cell. */
function shownCell(cell: string): string {
  return cell.length > MAX_SHOWN_CELL_CHARS ? `${cell.slice(0, MAX_SHOWN_CELL_CHARS - 1)}…` : cell
}

function parseRecord(text: string): string[] {
  const parsed = Papa.parse<string[]>(text.replace(/\r\n$/, ''), { delimiter: ',', newline: '\r\n' })
  return parsed.data[0] ?? []
}

/** Record numbers whose text contains `needle` (lower-case), reading the file in large blocks. */
function searchRecords(file: IndexedFile, within: Uint32Array | null, needle: string): Uint32Array {
  const matches: number[] = []
  const count = file.rows.length
  const block = 8 << 20
  let first = 0
  while (first < count) {
    // Read as many whole records as fit in one block.
    let last = first
    while (last < count && file.offsets[last + 1]! - file.offsets[first]! <= block) last++
    if (last === first) last = first + 1
    const start = file.offsets[first]!
    const buffer = Buffer.allocUnsafe(file.offsets[last]! - start)
    readSync(file.fd, buffer, 0, buffer.length, start)
    for (let record = first; record < last; record++) {
      const from = file.offsets[record]! - start
      const to = file.offsets[record + 1]! - start
      if (buffer.toString('utf8', from, to).toLowerCase().includes(needle)) matches.push(record)
    }
    first = last
  }
  if (!within) return Uint32Array.from(matches)
  const allowed = new Set(within)
  return Uint32Array.from(matches.filter((record) => allowed.has(record)))
}
