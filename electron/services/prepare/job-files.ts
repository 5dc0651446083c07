import {
  closeSync,
  existsSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { basename, join } from 'node:path'
import { z } from 'zod'
import { UserFacingError } from '../../../shared/errors'
import {
  PROBLEM_REASONS,
  PrepareOptionsSchema,
  PrepareSummarySchema,
  type ProblemReason,
} from '../../../shared/prepare/schemas'
import { schemaProblem } from '../files/json-text'
import { PRIVATE_FILE_MODE } from '../files/private'
import { shownPath } from '../jobs/locations'

/** The files of a prepared job folder. */
export const JOB_FILES = {
  group0: 'group-0.csv',
  group1: 'group-1.csv',
  problems: 'problems.csv',
  group0Index: 'group-0.idx',
  group1Index: 'group-1.idx',
  problemsIndex: 'problems.idx',
  summary: 'summary.json',
  job: 'job.json',
  spool: '.rows.spool',
} as const

/** Every step that works on a prepared job keeps its journal beside it as `<step>-journal.jsonl` (upload, send, …). */
const JOURNAL_NAME = /-journal\.jsonl$/

/** The step journals in a job folder (none when the folder doesn't exist). */
export function journalsIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => JOURNAL_NAME.test(name))
      .sort()
  } catch {
    return []
  }
}

/** What to do instead of preparing into a used job folder, when the caller doesn't say. */
export const NEW_JOB_HINT = 'Prepare the file into a new job folder; the job that is there stays as it was.'

/**
 * Refuses to prepare into a folder whose job has already been uploaded or sent: its journals
 * describe the data that is there, and a report made from them must stay true. `hint` says what
 * to do instead, in the words of whoever asked (the app makes a new job; the command needs another
 * `--out`).
 */
export function refuseUsedJobFolder(dir: string, hint: string): void {
  const journals = journalsIn(dir)
  if (journals.length === 0) return
  throw new UserFacingError(
    'job_already_used',
    `The folder “${basename(dir)}” holds a job that has already been uploaded (${journals.join(', ')}). Preparing into it again would change the contacts its upload, sends and report describe.`,
    hint,
  )
}

const rowCount = z.number().int().nonnegative()
/** Problem counts by reason; a reason added after the job was prepared had no rows in it (older job.json files lack it). */
const problemCountsOnFile = z.object(
  Object.fromEntries(PROBLEM_REASONS.map((reason) => [reason, rowCount.default(0)])) as Record<
    ProblemReason,
    z.ZodDefault<typeof rowCount>
  >,
)
const { source, columns, groupNames, groups, onConflict, blankFlag, cutValues } = PrepareSummarySchema.shape

/**
 * The content of `summary.json`: the summary the renderer sees, and the source file's path, which
 * stays in main. What later versions added reads as what an older pass did: no rows for a newer
 * problem reason, empty flags listed as problems, no values cut.
 */
const PrepareSummaryFileSchema = PrepareSummarySchema.extend({
  source: source.extend({ path: z.string() }),
  problems: problemCountsOnFile,
  blankFlag: blankFlag.default('problem'),
  blankFlags: rowCount.default(0),
  cutValues: cutValues.default([]),
})
export type PrepareSummary = z.infer<typeof PrepareSummaryFileSchema>

/** What `job.json` holds: everything the upload step needs to run from the folder alone. */
const PreparedJobSchema = z.object({
  version: z.literal(1),
  status: z.literal('prepared'),
  preparedAt: z.string(),
  source: source.extend({ path: z.string() }),
  /** The options as applied, with the detected encoding / delimiter / sheet / header row filled in. */
  options: PrepareOptionsSchema.extend({ onConflict, groupNames }),
  columns,
  outputColumns: z.array(z.string()),
  counts: z.object({ rows: rowCount, groups, problems: problemCountsOnFile }),
  files: z.record(z.string(), z.string()),
  indexFormat: z.string(),
})
export type PreparedJob = z.infer<typeof PreparedJobSchema>

/** What to say when a folder holds no prepared job: what the caller asks the person to do. */
const NO_JOB_HINT = 'Name the folder of a job that was prepared, uploaded and sent (the one its report is in).'

/**
 * Reads a job folder's `job.json` through its schema: a missing file is "not a prepared job", a
 * damaged one says which field is wrong (it was written by Splitsend, so it was changed or cut short since).
 */
export function readPreparedJob(jobDir: string, hint = NO_JOB_HINT): PreparedJob {
  return readJobFile(jobDir, JOB_FILES.job, PreparedJobSchema, hint)
}

/** Reads `summary.json` the same way; a folder without `job.json` holds no complete job. */
export function readSummaryFile(jobDir: string, hint = NO_JOB_HINT): PrepareSummary {
  const summary = readJobFile(jobDir, JOB_FILES.summary, PrepareSummaryFileSchema, hint)
  if (!existsSync(join(jobDir, JOB_FILES.job))) throw noJob(jobDir, hint)
  return summary
}

function readJobFile<T extends z.ZodType>(jobDir: string, name: string, schema: T, hint: string): z.infer<T> {
  const file = join(jobDir, name)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw noJob(jobDir, hint)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw damagedJob(file, 'it is not complete JSON')
  }
  const parsed = schema.safeParse(data, { reportInput: true })
  if (parsed.success) return parsed.data
  throw damagedJob(file, schemaProblem(parsed.error))
}

/** What is wrong with a file's data, in words: the first field that doesn't fit its schema. */
function noJob(jobDir: string, hint: string): UserFacingError {
  return new UserFacingError('job_not_found', `The folder ${shownPath(jobDir)} does not hold a prepared job.`, hint)
}

function damagedJob(file: string, problem: string): UserFacingError {
  return new UserFacingError(
    'job_damaged',
    `The job file “${file}” is damaged: ${problem}.`,
    'Prepare the spreadsheet again into a new job folder (the damaged job can’t be read back).',
  )
}

/**
 * Index files (`*.idx`) have one 16-byte little-endian entry per data record of the CSV next to
 * them: the record's byte offset in the CSV (float64), its Excel row number in the source
 * (uint32), and for problems the index of its reason in PROBLEM_REASONS (uint32; 0xffffffff in the
 * group files). They let the app show any page of a million-row result without re-reading it, and
 * the upload step map every uploaded contact back to its source row.
 */
export const INDEX_ENTRY_BYTES = 16
const NO_REASON = 0xffffffff

/** Size of the write buffers: large enough that writes are few, small enough not to matter for memory. */
const WRITE_BUFFER_BYTES = 1 << 20

/**
 * Appends text to a file with few, large writes. Text is encoded as UTF-8 straight into one
 * reused buffer (no strings are kept waiting and nothing is joined), and each `write` says how
 * many bytes it took, so callers know byte offsets without measuring. Synchronous: it runs in
 * the prepare worker.
 */
export class TextFileWriter {
  private readonly fd: number
  private readonly buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES)
  private used = 0

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w', PRIVATE_FILE_MODE)
  }

  /** Writes `text`; returns its length in bytes. */
  write(text: string): number {
    // A UTF-16 code unit never takes more than 3 bytes in UTF-8.
    if (this.used + text.length * 3 > this.buffer.length) {
      this.flush()
      if (text.length * 3 > this.buffer.length) {
        const bytes = Buffer.from(text, 'utf8')
        writeAll(this.fd, bytes, bytes.length)
        return bytes.length
      }
    }
    const bytes = this.buffer.write(text, this.used, 'utf8')
    this.used += bytes
    return bytes
  }

  /** Writes `bytes[start..end)`; returns their length. */
  writeBytes(bytes: Buffer, start: number, end: number): number {
    const length = end - start
    if (this.used + length > this.buffer.length) {
      this.flush()
      if (length > this.buffer.length) {
        writeAll(this.fd, bytes.subarray(start, end), length)
        return length
      }
    }
    bytes.copy(this.buffer, this.used, start, end)
    this.used += length
    return length
  }

  /** Writes `text` and a CRLF line break; returns their length in bytes. */
  writeLine(text: string): number {
    const bytes = this.write(text)
    if (this.used + 2 > this.buffer.length) this.flush()
    this.buffer[this.used++] = 13
    this.buffer[this.used++] = 10
    return bytes + 2
  }

  flush(): void {
    if (this.used === 0) return
    writeAll(this.fd, this.buffer, this.used)
    this.used = 0
  }

  close(): void {
    this.flush()
    closeSync(this.fd)
  }
}

function writeAll(fd: number, buffer: Buffer, length: number): void {
  for (let done = 0; done < length;) done += writeSync(fd, buffer, done, length - done)
}

/** A CSV output file plus its index of record offsets and source rows. */
export class IndexedCsvWriter {
  private readonly text: TextFileWriter
  private readonly indexFd: number
  private readonly entries = Buffer.alloc(INDEX_ENTRY_BYTES * 8192)
  /** The entries as numbers (a DataView writes little-endian numbers in place; Buffer's write methods cost several times as much). */
  private readonly entryView = new DataView(this.entries.buffer, this.entries.byteOffset, this.entries.byteLength)
  private entriesUsed = 0
  private offset = 0
  count = 0

  constructor(csvPath: string, indexPath: string, preamble: string) {
    this.text = new TextFileWriter(csvPath)
    this.indexFd = openSync(indexPath, 'w', PRIVATE_FILE_MODE)
    this.offset = this.text.write(preamble)
  }

  /** Writes one record found on `row` of the source: `head`, then `bytes[start..end)`, which end with its CRLF. */
  addBytes(head: string, bytes: Buffer, start: number, end: number, row: number, reason: number = NO_REASON): void {
    this.addIndexEntry(row, reason)
    this.offset += this.text.write(head) + this.text.writeBytes(bytes, start, end)
  }

  /** Writes one record given as text without its CRLF line break (see csvLine). */
  addLine(line: string, row: number, reason: number = NO_REASON): void {
    this.addIndexEntry(row, reason)
    this.offset += this.text.writeLine(line)
  }

  private addIndexEntry(row: number, reason: number): void {
    const at = this.entriesUsed * INDEX_ENTRY_BYTES
    this.entryView.setFloat64(at, this.offset, true)
    this.entryView.setUint32(at + 8, row, true)
    this.entryView.setUint32(at + 12, reason, true)
    if (++this.entriesUsed * INDEX_ENTRY_BYTES === this.entries.length) this.flushIndex()
    this.count++
  }

  private flushIndex(): void {
    writeAll(this.indexFd, this.entries, this.entriesUsed * INDEX_ENTRY_BYTES)
    this.entriesUsed = 0
  }

  close(): void {
    this.flushIndex()
    closeSync(this.indexFd)
    this.text.close()
  }
}

/**
 * The problem rows of the reading pass, held on disk until the read is over, because whether a
 * row is a duplicate or a conflict can depend on rows further down the file. Each row is kept as
 * the bytes it will have in problems.csv: a row whose problem is its own (an invalid address, a
 * missing flag…) as its whole line; a row whose address was already seen as its original cells
 * only, since its reason and explanation are only known at the end. Afterwards they are copied
 * into problems.csv as bytes, in order — nothing is decoded or parsed again. What each row is
 * (row number, kind, reason or address) is kept in memory: 16 bytes a row.
 */
export class ProblemSpool {
  private readonly file: TextFileWriter
  private readonly rows = new NumberList((n) => new Uint32Array(n))
  /** {@link SPOOLED_LINE}, or the group (0 or 1) a row waiting for its verdict was a candidate for. */
  private readonly kinds = new NumberList((n) => new Uint32Array(n))
  /** For a line: its reason's index in PROBLEM_REASONS; for a waiting row: its address id. */
  private readonly details = new NumberList((n) => new Uint32Array(n))
  private readonly lengths = new NumberList((n) => new Uint32Array(n))

  constructor(readonly path: string) {
    this.file = new TextFileWriter(path)
  }

  /** A row whose problems.csv line (`line`, with its CRLF) is complete. */
  addLine(row: number, reason: number, line: string): void {
    this.add(row, SPOOLED_LINE, reason, line)
  }

  /**
   * A row whose verdict waits for the end of the read: `cells` are its original cells as
   * problems.csv has them (with the CRLF); `group` is the group it was a candidate for.
   */
  addWaiting(row: number, group: 0 | 1, addressId: number, cells: string): void {
    this.add(row, group, addressId, cells)
  }

  close(): void {
    this.file.close()
  }

  /**
   * Gives the rows back in order, each with its bytes as `bytes[start..end)`. `onChunk` is called
   * after each piece of the file (for progress and cancelling).
   */
  readBack(
    onRow: (row: number, kind: number, detail: number, bytes: Buffer, start: number, end: number) => void,
    onChunk?: () => void,
  ): void {
    const fd = openSync(this.path, 'r')
    try {
      let buffer = Buffer.allocUnsafe(4 << 20)
      let filled = 0 // bytes in the buffer
      let at = 0 // where the next row starts in it
      for (let i = 0; i < this.rows.length; i++) {
        const length = this.lengths.get(i)
        if (at + length > filled) {
          // Keep what is left of the buffer, and read on after it.
          if (length > buffer.length)
            buffer = Buffer.concat([buffer.subarray(at, filled)], Math.max(length, 2 * buffer.length))
          else buffer.copy(buffer, 0, at, filled)
          filled -= at
          at = 0
          while (filled < length) {
            const read = readSync(fd, buffer, filled, buffer.length - filled, null)
            if (read === 0) throw new Error('The spool file ends in the middle of a row')
            filled += read
          }
          onChunk?.()
        }
        onRow(this.rows.get(i), this.kinds.get(i), this.details.get(i), buffer, at, at + length)
        at += length
      }
    } finally {
      closeSync(fd)
    }
  }

  private add(row: number, kind: number, detail: number, text: string): void {
    this.rows.push(row)
    this.kinds.push(kind)
    this.details.push(detail)
    this.lengths.push(this.file.write(text))
  }
}

/** The kind of a spooled row whose problems.csv line is complete (see ProblemSpool). */
export const SPOOLED_LINE = 2

const PAGE_SHIFT = 16
const PAGE_SIZE = 1 << PAGE_SHIFT

/**
 * A growing array of numbers in typed-array pages (4 or 8 bytes each instead of a JS array's
 * boxed values). Pages are never copied, so growing costs no doubled array and no copy.
 */
export class NumberList<T extends Uint32Array | Float64Array> {
  private readonly pages: T[] = []
  length = 0

  constructor(private readonly make: (size: number) => T) {}

  push(value: number): void {
    const page = this.length >>> PAGE_SHIFT
    if (page === this.pages.length) this.pages.push(this.make(PAGE_SIZE))
    this.pages[page]![this.length & (PAGE_SIZE - 1)] = value
    this.length++
  }

  get(index: number): number {
    return this.pages[index >>> PAGE_SHIFT]![index & (PAGE_SIZE - 1)]!
  }
}

/**
 * Removes some records from an indexed CSV (and its index) in place, without parsing anything:
 * the records after the first dropped one move up over the gaps, by byte ranges, and the file is
 * cut to its new length. (Writing a copy and renaming it over the original would copy the part
 * before the first drop too, and freeing the old file's pages costs as much again.) `drop` holds
 * record numbers (0-based) in increasing order. An interrupted pass leaves no job.json, so a
 * half-moved file is never taken for a result.
 */
export function dropRecords(csvPath: string, indexPath: string, drop: readonly number[]): void {
  if (drop.length === 0) return
  const index = readFileSync(indexPath)
  const count = index.length / INDEX_ENTRY_BYTES
  const size = statSync(csvPath).size
  // Entries at or after a record not yet moved are still the original ones (the kept entries move
  // down, never past the records they come from), so offsets can be read as the work goes on.
  const entries = new DataView(index.buffer, index.byteOffset, index.byteLength)
  const offsetOf = (record: number): number =>
    record < count ? entries.getFloat64(record * INDEX_ENTRY_BYTES, true) : size
  const csv = openSync(csvPath, 'r+')
  const buffer = Buffer.allocUnsafe(8 << 20)
  let keptBytes = offsetOf(drop[0]!) // everything before the first dropped record stays where it is
  let keptRecords = drop[0]!
  try {
    for (let d = 0; d < drop.length; d++) {
      // The records between this dropped one and the next are kept: move them to the end of what is kept.
      const from = drop[d]! + 1
      const to = d + 1 < drop.length ? drop[d + 1]! : count
      if (from >= to) continue
      const start = offsetOf(from)
      const end = offsetOf(to)
      moveBytes(csv, buffer, start, end, keptBytes)
      index.copy(index, keptRecords * INDEX_ENTRY_BYTES, from * INDEX_ENTRY_BYTES, to * INDEX_ENTRY_BYTES)
      const shift = start - keptBytes
      for (let record = keptRecords; record < keptRecords + (to - from); record++) {
        const at = record * INDEX_ENTRY_BYTES
        entries.setFloat64(at, entries.getFloat64(at, true) - shift, true)
      }
      keptBytes += end - start
      keptRecords += to - from
    }
    ftruncateSync(csv, keptBytes)
  } finally {
    closeSync(csv)
  }
  writeFileSync(indexPath, index.subarray(0, keptRecords * INDEX_ENTRY_BYTES), { mode: PRIVATE_FILE_MODE })
}

/** Copies bytes `start`..`end` of a file to `to` (≤ start) in the same file; reads always stay ahead of writes. */
function moveBytes(fd: number, buffer: Buffer, start: number, end: number, to: number): void {
  if (to === start) return
  for (let at = start; at < end;) {
    const length = readSync(fd, buffer, 0, Math.min(buffer.length, end - at), at)
    if (length === 0) throw new Error('The file ended while records were being moved')
    for (let done = 0; done < length;) done += writeSync(fd, buffer, done, length - done, to + (at - start) + done)
    at += length
  }
}
