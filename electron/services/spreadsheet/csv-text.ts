/** Writing CSV text: quoting, and making cells safe to open in Excel. */

const NEEDS_QUOTES = /[",\r\n]/

/** One CSV field, quoted only when it has to be. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** One CSV record followed by CRLF, as Excel writes them. */
export function csvRecord(cells: readonly string[]): string {
  return `${csvLine(cells)}\r\n`
}

/** One CSV record without its line break. */
export function csvLine(cells: readonly string[]): string {
  // Fast path, taken by almost every row: nothing to quote, so a plain join will do. One scan of
  // the joined line is much cheaper than a test per cell.
  const joined = cells.join(',')
  let commas = 0
  let plain = true
  for (let i = 0; i < joined.length; i++) {
    const c = joined.charCodeAt(i)
    if (c === 44) commas++
    else if (c === 34 || c === 10 || c === 13) {
      plain = false
      break
    }
  }
  if (plain && (commas === cells.length - 1 || cells.length === 0)) return joined
  let line = ''
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ','
    line += csvField(cells[i] ?? '')
  }
  return line
}

/**
 * Makes a cell show as text in Excel instead of being run as a formula, by putting an apostrophe
 * in front (Excel hides it). Used for problems.csv, which people open to fix their source file.
 */
export function neutralizeFormula(value: string): string {
  return startsFormula(value.charCodeAt(0)) ? `'${value}` : value
}

/**
 * The cell as the person's file had it, from a copy made safe by {@link neutralizeFormula}: for
 * showing in the app, where nothing is run as a formula. (A cell that began with an apostrophe and a
 * formula character in the file shows without the apostrophe, as Excel shows it.)
 */
export function restoreFormula(value: string): string {
  return value.charCodeAt(0) === 39 && startsFormula(value.charCodeAt(1)) ? value.slice(1) : value
}

/** A cell starting with one of `=`, `+`, `-`, `@`, tab and CR is run as a formula by spreadsheet programs ("CSV injection"). */
export function startsFormula(code: number): boolean {
  return code === 61 || code === 43 || code === 45 || code === 64 || code === 9 || code === 13
}

/** A UTF-8 byte order mark, so Excel opens the file as UTF-8 rather than the Windows code page. */
export const UTF8_BOM = '\ufeff'
