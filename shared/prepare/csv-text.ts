/** Writing CSV text: quoting, and making cells safe to open in Excel. */

const NEEDS_QUOTES = /[",\r\n]/

/** One CSV field, quoted only when it has to be. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

/** One CSV record followed by CRLF, as Excel writes them. */
export function csvRecord(cells: readonly string[]): string {
  // Fast path, taken by almost every row: nothing to quote, so a plain join will do. Checking the
  // joined line with a few native searches is much cheaper than a test per cell.
  const joined = cells.join(',')
  if (joined.indexOf('"') === -1 && joined.indexOf('\n') === -1 && joined.indexOf('\r') === -1) {
    let commas = 0
    for (let at = joined.indexOf(','); at !== -1; at = joined.indexOf(',', at + 1)) commas++
    if (commas === cells.length - 1 || cells.length === 0) return `${joined}\r\n`
  }
  let line = ''
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += ','
    line += csvField(cells[i] ?? '')
  }
  return `${line}\r\n`
}

// A cell starting with one of these is run as a formula by spreadsheet programs ("CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/

/**
 * Makes a cell show as text in Excel instead of being run as a formula, by putting an apostrophe
 * in front (Excel hides it). Used for problems.csv, which people open to fix their source file.
 */
export function neutralizeFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}

/** A UTF-8 byte order mark, so Excel opens the file as UTF-8 rather than the Windows code page. */
export const UTF8_BOM = '\ufeff'
