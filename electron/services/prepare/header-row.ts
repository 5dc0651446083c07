import { checkEmail, trimCell } from '../../../shared/prepare/email'
import { isStandardFlagValue } from '../../../shared/prepare/flags'
import type { ColumnInfo } from '../../../shared/prepare/schemas'

/** A row of the source as read, with its Excel row number. */
export interface SourceRow {
  row: number
  cells: string[]
}

export function isBlankRow(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell !== '' && trimCell(cell) !== '') return false
  return true
}

function filledCount(cells: readonly string[]): number {
  let count = 0
  for (const cell of cells) if (trimCell(cell) !== '') count++
  return count
}

/** A cell that reads like data rather than like a column title. */
function looksLikeValue(cell: string): boolean {
  const value = trimCell(cell)
  if (value === '') return false
  if (value.includes('@') && checkEmail(value).kind === 'valid') return true
  if (isStandardFlagValue(value)) return true
  return /^[-+]?[\d.,/: ]+$/.test(value)
}

/**
 * Finds the header row among the first rows of a sheet: the first row that is as wide as the data
 * below it (so a title like "Members, March" above the table is skipped) and holds no values that
 * look like data (addresses, flags, numbers). Returns 0 when the table has no header row, e.g. a
 * single column of addresses.
 */
export function detectHeaderRow(rows: readonly SourceRow[]): number {
  const filled = rows.filter((r) => !isBlankRow(r.cells))
  if (filled.length === 0) return 0
  const typicalWidth = typicalFilledWidth(filled)
  // A header fills at least half the table's width (and two cells when the table has two or more).
  const minimum = typicalWidth >= 2 ? Math.max(2, Math.ceil(typicalWidth * 0.5)) : 1
  for (const candidate of filled.slice(0, 20)) {
    const count = filledCount(candidate.cells)
    if (count < minimum) continue // a title or a note above the table
    const values = candidate.cells.filter(looksLikeValue).length
    // The first row as wide as the table: a header unless it already holds data.
    return values === 0 || values < count / 2 ? candidate.row : 0
  }
  return 0
}

/** The most common number of filled cells, looking past the first rows where titles live. */
function typicalFilledWidth(rows: readonly SourceRow[]): number {
  const sample = rows.length > 6 ? rows.slice(3) : rows
  const counts = new Map<number, number>()
  for (const r of sample) {
    const count = filledCount(r.cells)
    counts.set(count, (counts.get(count) ?? 0) + 1)
  }
  let best = 1
  let bestSeen = 0
  for (const [count, seen] of counts) {
    if (seen > bestSeen || (seen === bestSeen && count > best)) {
      best = count
      bestSeen = seen
    }
  }
  return best
}

/**
 * The columns of a table: the header row's texts (trimmed, a leading BOM removed), "Column N" for
 * blank ones or when there is no header, and "Name (2)" for repeated names. `width` is the widest
 * row seen, so cells beyond the header still get a column.
 */
export function columnsFromHeader(header: readonly string[] | null, width: number): ColumnInfo[] {
  const count = Math.max(width, header?.length ?? 0)
  const used = new Map<string, number>()
  const columns: ColumnInfo[] = []
  for (let index = 0; index < count; index++) {
    const text = trimCell((header?.[index] ?? '').replace(/^\ufeff/, ''))
    let name = text === '' ? `Column ${index + 1}` : text
    const key = name.toLowerCase()
    const seen = used.get(key) ?? 0
    used.set(key, seen + 1)
    if (seen > 0) name = `${name} (${seen + 1})`
    columns.push({ index, name, generated: text === '' })
  }
  return columns
}
