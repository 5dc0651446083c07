import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Papa from 'papaparse'
import { UserFacingError } from '../../../shared/errors'
import { INDEX_ENTRY_BYTES, JOB_FILES } from '../prepare/job-files'
import type { GroupKey } from '../../../shared/ids'
import { shownPath } from '../jobs/locations'

/**
 * One prepared group file (`group-0.csv` / `group-1.csv`) read through its `.idx` index: any run
 * of records can be read without reading what comes before it, and every record knows the Excel
 * row it came from.
 */
export interface GroupFile extends IndexedCsv {
  group: GroupKey
  /** Column headers: `email`, standard fields, `cf:<name>`. */
  header: string[]
}

export function groupFileNames(group: GroupKey): { csv: string; index: string } {
  return group === '0'
    ? { csv: JOB_FILES.group0, index: JOB_FILES.group0Index }
    : { csv: JOB_FILES.group1, index: JOB_FILES.group1Index }
}

/** How many records a group file has, from its index's size: nothing read (the index is 16 bytes a record). */
export function groupRecordCount(jobDir: string, group: GroupKey): number {
  const names = groupFileNames(group)
  try {
    statSync(join(jobDir, names.csv))
    return Math.floor(statSync(join(jobDir, names.index)).size / INDEX_ENTRY_BYTES)
  } catch {
    throw missingFile(jobDir, names.csv)
  }
}

export function openGroupFile(jobDir: string, group: GroupKey): GroupFile {
  const names = groupFileNames(group)
  const csv = openIndexedCsv(jobDir, names.csv, names.index)
  if (csv.header[0] !== 'email') {
    csv.close()
    throw new UserFacingError(
      'job_incomplete',
      `The prepared file ${names.csv} doesn't start with the email column.`,
      'Prepare the spreadsheet again.',
    )
  }
  return { group, ...csv }
}

/** Any CSV of a job folder with its `.idx` index (group files, problems.csv). */
export interface IndexedCsv {
  header: string[]
  count: number
  rows: Uint32Array
  /** For problems.csv: the index of each record's reason in PROBLEM_REASONS. */
  reasons: Uint32Array
  read(first: number, count: number): string[][]
  close(): void
}

export function openIndexedCsv(jobDir: string, csvName: string, indexName: string): IndexedCsv {
  const path = join(jobDir, csvName)
  let index: Buffer
  let size: number
  try {
    index = readFileSync(join(jobDir, indexName))
    size = statSync(path).size
  } catch {
    throw missingFile(jobDir, csvName)
  }
  const count = Math.floor(index.length / INDEX_ENTRY_BYTES)
  const offsets = new Float64Array(count + 1)
  const rows = new Uint32Array(count)
  const reasons = new Uint32Array(count)
  for (let i = 0; i < count; i++) {
    offsets[i] = index.readDoubleLE(i * INDEX_ENTRY_BYTES)
    rows[i] = index.readUInt32LE(i * INDEX_ENTRY_BYTES + 8)
    reasons[i] = index.readUInt32LE(i * INDEX_ENTRY_BYTES + 12)
  }
  offsets[count] = size
  const fd = openSync(path, 'r')
  const readText = (from: number, to: number): string => {
    const buffer = Buffer.allocUnsafe(to - from)
    let done = 0
    while (done < buffer.length) {
      const n = readSync(fd, buffer, done, buffer.length - done, from + done)
      if (n === 0) break
      done += n
    }
    return buffer.toString('utf8', 0, done).replace(/^\ufeff/, '')
  }
  const header = parseRecords(readText(0, count > 0 ? offsets[0]! : size), 1)[0] ?? []
  return {
    header,
    count,
    rows,
    reasons,
    read(first, n) {
      if (n <= 0) return []
      if (first < 0 || first + n > count)
        throw new RangeError(`Records ${first}…${first + n - 1} are outside ${csvName} (${count} records)`)
      const records = parseRecords(readText(offsets[first]!, offsets[first + n]!), n)
      if (records.length !== n) {
        throw new UserFacingError(
          'job_incomplete',
          `The prepared file ${csvName} has changed since it was prepared.`,
          'Prepare the spreadsheet again.',
        )
      }
      return records
    },
    close() {
      closeSync(fd)
    },
  }
}

/** Parses CRLF-terminated CSV records as Prepare writes them. */
function parseRecords(text: string, expected: number): string[][] {
  const parsed = Papa.parse<string[]>(text, { delimiter: ',', newline: '\r\n', quoteChar: '"' })
  const data = parsed.data
  // The text ends with CRLF, which leaves one empty record at the end.
  if (data.length === expected + 1 && data[data.length - 1]!.length === 1 && data[data.length - 1]![0] === '')
    data.pop()
  return data
}

/** Reads a group file a block of records at a time (the planner and the report go through every record). */
export function* recordBlocks(
  file: IndexedCsv,
  blockRecords = 20_000,
): Generator<{ first: number; records: string[][] }> {
  for (let first = 0; first < file.count; first += blockRecords) {
    yield { first, records: file.read(first, Math.min(blockRecords, file.count - first)) }
  }
}

function missingFile(jobDir: string, csvName: string): UserFacingError {
  return new UserFacingError(
    'job_incomplete',
    `The prepared file ${csvName} is missing from ${shownPath(jobDir)}.`,
    'Prepare the spreadsheet again.',
  )
}
