import type { AddressBook, CandidateOutcome } from '../../../shared/prepare/classify'
import { csvRecord, UTF8_BOM } from '../spreadsheet/csv-text'
import { explainAddressProblem, type ExplainContext } from './explain'
import {
  PROBLEM_REASONS,
  type ColumnInfo,
  type ConflictPolicy,
  type ProblemCounts,
  type ProblemReason,
} from '../../../shared/prepare/schemas'
import type { GroupKey } from '../../../shared/ids'
import type { ConflictRow } from './conflicts'
import { IndexedCsvWriter, SPOOLED_LINE, type ProblemSpool } from './job-files'
import { originalLine, problemHead } from './problem-lines'

export interface ProblemsFileInput {
  csvPath: string
  indexPath: string
  columns: ColumnInfo[]
  /** The problem rows found while reading, in row order. */
  spool: ProblemSpool
  /** The rows taken out of the group files, in row order, and their cells by row number. */
  conflicts: ConflictRow[]
  conflictCells: Map<number, string[]>
  book: AddressBook
  onConflict: ConflictPolicy
  explain: ExplainContext
  /** Called now and then with the number of records written so far; may throw to stop. */
  onProgress(written: number): void
}

/**
 * Stage 3 of the full pass: problems.csv and its index, in row order — the spooled rows copied as
 * they are (with the verdict put in front of those that waited for the end of the read), merged
 * with the rows taken out of the group files. Returns how many rows each reason has.
 */
export function writeProblemsFile(input: ProblemsFileInput): ProblemCounts {
  const header = csvRecord(['Row', 'Reason', 'Explanation', ...input.columns.map((c) => c.name)])
  const file = new IndexedCsvWriter(input.csvPath, input.indexPath, UTF8_BOM + header)
  const problems = new ProblemRecords(input, file)
  try {
    input.spool.readBack(
      (row, kind, detail, bytes, start, end) => problems.addSpooled(row, kind, detail, bytes, start, end),
      () => input.onProgress(problems.written),
    )
    problems.addConflictsBefore(Number.POSITIVE_INFINITY)
  } finally {
    file.close()
  }
  return problems.counts
}

/** The records of problems.csv, as they are written. */
class ProblemRecords {
  readonly counts = Object.fromEntries(PROBLEM_REASONS.map((reason) => [reason, 0])) as ProblemCounts
  written = 0
  /** The first conflict row not yet written. */
  private nextConflict = 0

  constructor(
    private readonly input: ProblemsFileInput,
    private readonly file: IndexedCsvWriter,
  ) {}

  /** A spooled row (see ProblemSpool.readBack), after the conflict rows above it. */
  addSpooled(row: number, kind: number, detail: number, bytes: Buffer, start: number, end: number): void {
    this.addConflictsBefore(row)
    if (kind === SPOOLED_LINE) return this.add(row, PROBLEM_REASONS[detail]!, '', bytes, start, end)
    const key: GroupKey = kind === 0 ? '0' : '1'
    const reason = this.input.book.resolve(detail, key, false) as Exclude<CandidateOutcome, 'group'>
    this.add(row, reason, problemHead(row, reason, this.explain(reason, detail, key)), bytes, start, end)
  }

  /** Writes the conflict rows that come before `row`. */
  addConflictsBefore(row: number): void {
    const { conflicts, conflictCells, columns } = this.input
    while (this.nextConflict < conflicts.length && conflicts[this.nextConflict]!.row < row) {
      const { row: conflictRow, addressId, key, reason } = conflicts[this.nextConflict++]!
      const explanation = this.explain(reason, addressId, key)
      const original = Buffer.from(`${originalLine(conflictCells.get(conflictRow) ?? [], columns.length)}\r\n`)
      const head = problemHead(conflictRow, reason, explanation)
      this.add(conflictRow, reason, head, original, 0, original.length)
    }
  }

  private explain(reason: Exclude<CandidateOutcome, 'group'>, addressId: number, key: GroupKey): string {
    const { book, onConflict, explain } = this.input
    return explainAddressProblem(reason, book.addressOf(addressId), key, addressId, book, onConflict, explain)
  }

  /** Writes a record: `head` (see problemHead, or '' when the bytes hold it) and then `bytes[start..end)`. */
  private add(row: number, reason: ProblemReason, head: string, bytes: Buffer, start: number, end: number): void {
    this.file.addBytes(head, bytes, start, end, row, PROBLEM_REASONS.indexOf(reason))
    this.counts[reason]++
    this.written++
  }
}
