import { csvField, csvLine, neutralizeFormula } from '../spreadsheet/csv-text'
import type { ProblemReason } from '../../../shared/prepare/schemas'

/**
 * The start of a problems.csv record, up to its original cells: csvRecord([row, reason,
 * explanation]) and a comma (the row number and the reason never need quotes).
 */
export function problemHead(row: number, reason: ProblemReason, explanation: string): string {
  return `${row},${reason},${csvField(explanation)},`
}

/** Reused for every row, so a row's line makes no array of its own. */
const originalCells: string[] = []

/**
 * A row's original cells as problems.csv has them (without the line break): made safe to open in
 * Excel, and as many as the header has columns (`width`) at least.
 */
export function originalLine(cells: readonly string[], width: number): string {
  originalCells.length = 0
  for (let i = 0; i < cells.length; i++) originalCells.push(neutralizeFormula(cells[i]!))
  while (originalCells.length < width) originalCells.push('')
  return csvLine(originalCells)
}
