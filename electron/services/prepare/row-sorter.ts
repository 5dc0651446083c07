import type { AddressBook } from '../../../shared/prepare/classify'
import type { PassClassifier } from './pass-classifier'
import { csvLine } from '../spreadsheet/csv-text'
import { trimCell } from '../../../shared/prepare/email'
import { cutToLength, isLongerThan } from '../../../shared/prepare/field-limits'
import { explainMalformedRow, explainRowProblem } from './explain'
import { isBlankRow } from './header-row'
import { PROBLEM_REASONS, type ProblemReason } from '../../../shared/prepare/schemas'
import type { GroupKey } from '../../../shared/ids'
import type { CsvSink } from '../spreadsheet/csv-parse'
import type { GroupFiles } from './group-files'
import { NumberList, type ProblemSpool } from './job-files'
import { originalLine, problemHead } from './problem-lines'
import type { TableLayout } from './table-layout'

/** The records written to one group file: per record, its address and where it sits in the source, to find it again. */
export class PlacedRecords {
  readonly addressIds = new NumberList((n) => new Uint32Array(n))
  readonly rows = new NumberList((n) => new Uint32Array(n))
  readonly starts = new NumberList((n) => new Float64Array(n))
  readonly ends = new NumberList((n) => new Float64Array(n))
}

/**
 * Values cut to the length an import takes, as the group lines are written: per output column, the
 * Excel rows. (Rows later taken out of the group files as conflicts are left out of the summary.)
 */
export class CutValues {
  readonly rows: number[][]

  constructor(private readonly limits: readonly number[]) {
    this.rows = limits.map(() => [])
  }

  /** `value` (output column `column`'s, on Excel row `row`) within its column's limit. */
  cut(column: number, value: string, row: number): string {
    const limit = this.limits[column]!
    if (limit === 0 || !isLongerThan(value, limit)) return value
    this.rows[column]!.push(row)
    return cutToLength(value, limit)
  }
}

/**
 * Stage 1 of the full pass: each row, as it is read, goes where it belongs. Each row is classified
 * on its own. A row that is the first of its address in its group is written to the group file
 * straight away; problems go to the spool. Whether a written row must come out again (its address
 * also appears in the other group further down) is only known at the end, which is rare, so it is
 * repaired afterwards (see conflicts.ts). A row whose address is already a settled conflict never
 * enters a group file.
 */
export class RowSorter implements CsvSink {
  /** Data rows read (blank rows aside). */
  rows = 0
  /** Rows with cells beyond the header's columns (the extra cells are not used). */
  widerRows = 0
  /** Values cut to the length an import takes, in the lines written to the group files. */
  readonly cuts: CutValues
  readonly placed: Record<GroupKey, PlacedRecords> = { '0': new PlacedRecords(), '1': new PlacedRecords() }
  protected readonly book: AddressBook
  /** Reused for every group line. */
  private readonly outputCells: string[]

  constructor(
    protected readonly table: TableLayout,
    protected readonly classifier: PassClassifier,
    protected readonly groups: GroupFiles,
    protected readonly spool: ProblemSpool,
  ) {
    this.book = classifier.addresses
    this.outputCells = new Array<string>(table.outputSources.length).fill('')
    this.cuts = new CutValues(table.outputLimits)
  }

  row(cells: string[], row: number, start: number, end: number): void {
    const { headerRow, width, explain } = this.table
    if (row <= headerRow || isBlankRow(cells)) return
    this.rows++
    if (cells.length > width && cells.slice(width).some((cell) => trimCell(cell) !== '')) this.widerRows++
    const classifier = this.classifier
    const addressId = classifier.classifyRow(cells, row)
    if (addressId === -1) {
      const verdict = classifier.verdict
      this.spoolProblem(row, verdict.kind, explainRowProblem(verdict, explain), this.originalLine(cells))
      return
    }
    if (!this.entersGroup(addressId)) return this.spoolDuplicate(addressId, row, this.originalLine(cells))
    this.groups.addLine(classifier.group, this.groupLine(cells, row), row)
    this.addToGroup(addressId, row, start, end)
  }

  malformed(raw: string, row: number, detail: string): void {
    if (row <= this.table.headerRow) return
    this.rows++
    this.spoolProblem(row, 'malformed_row', explainMalformedRow(detail), originalLine([raw], this.table.width))
  }

  /** The row's original cells as problems.csv has them (see originalLine). */
  protected originalLine(cells: readonly string[]): string {
    return originalLine(cells, this.table.width)
  }

  /**
   * The group-file line of the candidate row just classified (on Excel row `row`): its address,
   * then its other output cells, trimmed, and cut to the length an import takes.
   */
  protected groupLine(cells: readonly string[], row: number): string {
    const address = this.classifier.address
    const { outputSources: sources, outputLimits: limits } = this.table
    const line = this.outputCells
    for (let i = 0; i < sources.length; i++) {
      const sourceColumn = sources[i]!
      const value = sourceColumn === -1 ? address : trimCell(cells[sourceColumn] ?? '')
      line[i] = limits[i]! > 0 && value.length > limits[i]! ? this.cuts.cut(i, value, row) : value
    }
    return csvLine(line)
  }

  /** Whether the candidate just classified goes into its group file now (else: the spool). */
  protected entersGroup(addressId: number): boolean {
    const book = this.book
    return book.firstInGroup && !(book.seenInOtherGroup && book.isSettledConflict(addressId, this.classifier.group))
  }

  /**
   * Spools a row with a problem of its own as its problems.csv line. `original`: the row's cells
   * as problems.csv has them, worked out now rather than after the read, when nothing else is left
   * to do at the same time.
   */
  protected spoolProblem(row: number, reason: ProblemReason, explanation: string, original: string): void {
    this.spool.addLine(row, PROBLEM_REASONS.indexOf(reason), `${problemHead(row, reason, explanation)}${original}\r\n`)
  }

  /**
   * A duplicate for now; it becomes a conflict if the address turns up in the other group. (Or
   * already a conflict whatever comes later: then it never enters the group file.)
   */
  protected spoolDuplicate(addressId: number, row: number, original: string): void {
    this.spool.addWaiting(row, this.classifier.group === '0' ? 0 : 1, addressId, `${original}\r\n`)
  }

  /** Notes a candidate row whose line has just been written to its group file. */
  protected addToGroup(addressId: number, row: number, start: number, end: number): void {
    const where = this.placed[this.classifier.group]
    where.addressIds.push(addressId)
    where.rows.push(row)
    where.starts.push(start)
    where.ends.push(end)
  }
}
