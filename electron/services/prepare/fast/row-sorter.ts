import { csvField, neutralizeFormula, startsFormula } from '../../spreadsheet/csv-text'
import { trimCell } from '../../../../shared/prepare/email'
import { RowSorter } from '../row-sorter'
import type { FastCsvSink } from './csv-parser'
import { ADDRESS_NONE, ADDRESS_UNKNOWN, PLAIN_CELL_BITS, type CsvRecordView } from './record-view'

/**
 * The sorter of stage 1 (see RowSorter) for the records the CSV fast path reads, as views of the
 * text (see FastCsvParser). The usual row (no wider than the table, a group's flag, a plain
 * address) is decided from its email and flag cells alone, and its lines are copied from the text
 * where they stand in it as they are to be written, so no other cell is cut out of the text. Any
 * other record is read as cells by RowSorter.row. The lines are the ones RowSorter writes.
 */
export class FastRowSorter extends RowSorter implements FastCsvSink {
  /** The record being read as cells by RowSorter.row, whose lines can still be copied from the text. */
  private view: CsvRecordView | null = null
  /** Whether the address just classified by {@link classifyUsual} is the email cell as it stands. */
  private addressAsIs = false
  /** Reused for every group line made from cells. */
  private readonly lineCells = new Array<string>(this.table.outputSources.length).fill('')

  record(view: CsvRecordView, row: number, start: number, end: number): void {
    if (row <= this.table.headerRow) return
    // A value that may be longer than an import takes is cut: the record is read as cells.
    const addressId = this.mayNeedCut(view) ? -1 : this.classifyUsual(view, row)
    if (addressId === -1) {
      this.view = view
      this.row(view.cells(), row, start, end)
      this.view = null
      return
    }
    this.rows++ // a plain address: not a blank row
    if (!this.entersGroup(addressId)) return this.spoolDuplicate(addressId, row, this.originalFromView(view))
    this.groups.addLine(this.classifier.group, this.lineFromView(view), row)
    this.addToGroup(addressId, row, start, end)
  }

  /**
   * Classifies a usual record from its email and flag cells alone: its address ID when it is a
   * candidate with a plain address, else -1 (then the record is read as cells).
   */
  private classifyUsual(view: CsvRecordView, row: number): number {
    const { width, emailColumn, flagColumn } = this.table
    if (view.count > width || view.addressLength === ADDRESS_NONE) return -1
    const classifier = this.classifier
    if (view.addressLength === ADDRESS_UNKNOWN) {
      const emailCell = view.cell(emailColumn)
      const addressId = classifier.classifyPlain(emailCell, view.cell(flagColumn), row)
      this.addressAsIs = addressId !== -1 && classifier.address === emailCell
      return addressId
    }
    // The read thread found the plain address (see read-thread.ts).
    this.addressAsIs = view.addressAsIs
    return classifier.classifyPlainBytes(
      view.addressBytes,
      view.addressFrom,
      view.addressLength,
      view.addressHash,
      view.cell(flagColumn),
      row,
    )
  }

  protected override originalLine(cells: readonly string[]): string {
    return this.view ? this.originalFromView(this.view) : super.originalLine(cells)
  }

  /** Whether a limited output cell's text is longer than its limit (its value may then be too). */
  private mayNeedCut(view: CsvRecordView): boolean {
    const { outputSources, outputLimits } = this.table
    for (let i = 0; i < outputSources.length; i++) {
      const limit = outputLimits[i]!
      if (limit > 0 && view.lengthAtMost(outputSources[i]!) > limit) return true
    }
    return false
  }

  protected override groupLine(cells: readonly string[], row: number): string {
    return this.view ? this.lineFromPlainCells(cells, this.view.plain, row) : super.groupLine(cells, row)
  }

  /**
   * The group line of a record as cells, knowing which cells the parser found plain: only the
   * others need a look. (The address comes from the email cell by trimming, unwrapping and
   * lower-casing, which adds no such character.) Equal to csvLine, which quotes exactly the cells
   * csvField does.
   */
  private lineFromPlainCells(cells: readonly string[], plain: number, row: number): string {
    const { outputSources, outputLimits, emailColumn } = this.table
    const address = this.classifier.address
    const line = this.lineCells
    for (let i = 0; i < outputSources.length; i++) {
      const sourceColumn = outputSources[i]!
      const column = sourceColumn === -1 ? emailColumn : sourceColumn
      let cell = sourceColumn === -1 ? address : trimCell(cells[sourceColumn] ?? '')
      if (outputLimits[i]! > 0 && cell.length > outputLimits[i]!) cell = this.cuts.cut(i, cell, row)
      line[i] = column < PLAIN_CELL_BITS && (plain >>> column) & 1 ? cell : csvField(cell)
    }
    return line.join(',')
  }

  /**
   * The group line of a usual record: cells that would be written just as they stand in the file
   * are copied from it, neighbours together as one piece, and only the others are cut out, trimmed
   * and quoted. (For a usual file that is the whole line in one piece, which a read thread has
   * already found: see RecordFactsRequest.)
   */
  private lineFromView(view: CsvRecordView): string {
    // Found to be one piece by the read thread.
    if (view.lineStart !== -1) return view.text.slice(view.lineStart, view.lineEnd)
    const { outputSources, emailColumn, commaSeparated } = this.table
    const addressAsIs = this.addressAsIs
    let line = ''
    let runStart = -1 // the text of the cells copied as they stand, not yet added to the line
    let runEnd = -1
    let runColumn = -1
    for (let i = 0; i < outputSources.length; i++) {
      const sourceColumn = outputSources[i]!
      const column = sourceColumn === -1 ? emailColumn : sourceColumn
      const asIs = (sourceColumn !== -1 || addressAsIs) && view.isWrittenAsIs(column)
      if (asIs && runStart !== -1 && commaSeparated && column === runColumn + 1) {
        runEnd = view.rawEnd(column)
        runColumn = column
        continue
      }
      if (runStart !== -1) {
        line += view.text.slice(runStart, runEnd)
        runStart = -1
      }
      if (i > 0) line += ','
      if (asIs) {
        runStart = view.rawStart(column)
        runEnd = view.rawEnd(column)
        runColumn = column
      } else line += sourceColumn === -1 ? this.classifier.address : csvField(trimCell(view.cell(column)))
    }
    return runStart === -1 ? line : line + view.text.slice(runStart, runEnd)
  }

  /**
   * A record's original cells as problems.csv has them (see originalLine): in a comma-separated
   * file a cell that is written just as it stands is copied from it, neighbours together as one
   * piece.
   */
  private originalFromView(view: CsvRecordView): string {
    if (!this.table.commaSeparated) return super.originalLine(view.cells())
    const text = view.text
    let line = ''
    let separate = false // whether the next part needs a comma before it
    let runStart = -1
    let runEnd = -1
    for (let i = 0; i < view.count; i++) {
      if (view.isWrittenAsIs(i) && !startsFormula(text.charCodeAt(view.valueStart(i)))) {
        if (runStart === -1) runStart = view.rawStart(i)
        runEnd = view.rawEnd(i)
        continue
      }
      if (runStart !== -1) {
        line += separate ? `,${text.slice(runStart, runEnd)}` : text.slice(runStart, runEnd)
        runStart = -1
        separate = true
      }
      const cell = csvField(neutralizeFormula(view.cell(i)))
      line += separate ? `,${cell}` : cell
      separate = true
    }
    if (runStart !== -1) line += separate ? `,${text.slice(runStart, runEnd)}` : text.slice(runStart, runEnd)
    for (let i = view.count; i < this.table.width; i++) line += ','
    return line
  }
}
