/**
 * What every benchmark shares: the median of repeated measurements, and the side-by-side table whose
 * last column is the ratio of the two measured values (the second ÷ the first, named in its header).
 */

/** The middle value; for an even count, the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('The median of no measurements')
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** The measured run whose `pick` is the median (for an even count, the higher of the two middle ones). */
export function medianBy<T>(items: readonly T[], pick: (item: T) => number): T {
  if (items.length === 0) throw new Error('The median of no measurements')
  return [...items].sort((a, b) => pick(a) - pick(b))[items.length >> 1]!
}

/**
 * `numerator ÷ denominator` shown as "0.205×", "8.43×", "54.3×", "123×"; "n/a" when either wasn't
 * measured or the denominator is zero.
 */
export function showRatio(numerator: number | undefined, denominator: number | undefined): string {
  const value = numerator === undefined || denominator === undefined ? NaN : numerator / denominator
  if (!Number.isFinite(value)) return 'n/a'
  return `${value >= 100 ? value.toFixed(0) : value.toPrecision(3)}×`
}

/**
 * One line of a side-by-side table. A number is a measurement (undefined: not measured here); a
 * string is shown as it is and gets no ratio (a description, or counts shown together).
 */
export interface SideBySideRow {
  label: string
  values: readonly [number | string | undefined, number | string | undefined]
  /** How a measured value is shown (default: as it is). */
  show?: (value: number) => string
  /** Printed after the ratio: a target, a minimum, what the figures mean. */
  note?: string
}

/**
 * The table as lines: a header naming the two sides and the ratio's direction (`ratioHeader`, e.g.
 * "after/before"), then per row its label, both values and the second ÷ the first.
 */
export function sideBySide(
  columns: readonly [string, string],
  ratioHeader: string,
  rows: readonly SideBySideRow[],
): string[] {
  const cells = rows.map((row) => {
    const [first, second] = row.values
    const shown = (value: number | string | undefined): string =>
      value === undefined ? 'n/a' : typeof value === 'string' ? value : (row.show ?? String)(value)
    const measured = typeof first !== 'string' && typeof second !== 'string'
    return [row.label, shown(first), shown(second), measured ? showRatio(second, first) : '', row.note ?? ''] as const
  })
  const header = ['', columns[0], columns[1], ratioHeader, ''] as const
  const width = (i: number): number => Math.max(...[header, ...cells].map((c) => c[i]!.length))
  const line = (c: readonly string[]): string =>
    `  ${c[0]!.padEnd(width(0))}   ${c[1]!.padStart(width(1))}   ${c[2]!.padStart(width(2))}   ${c[3]!.padStart(width(3))}   ${c[4]}`.trimEnd()
  return [header, ...cells].map(line)
}

/** Prints the table (see sideBySide). */
export function printSideBySide(
  columns: readonly [string, string],
  ratioHeader: string,
  rows: readonly SideBySideRow[],
): void {
  console.log(sideBySide(columns, ratioHeader, rows).join('\n'))
}
