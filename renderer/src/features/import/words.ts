/** How the Import step names the ways a file can be read, so no code value ("utf-16le") reaches the person. */
import type { Delimiter, SheetInfo, SourceFormat, TextEncoding } from '../prepare/types'

export const ENCODING_NAMES: Record<TextEncoding, string> = {
  'utf-8': 'Unicode (UTF-8) — most programs today',
  'utf-16le': 'Unicode (UTF-16) — Excel’s “Unicode text”',
  'utf-16be': 'Unicode (UTF-16, big-endian)',
  'windows-1252': 'Western European (Windows-1252) — Excel’s “CSV” on Windows',
  macintosh: 'Mac Roman — older Mac programs',
}

export const DELIMITER_NAMES: Record<Delimiter, string> = {
  ',': 'Commas ( , )',
  ';': 'Semicolons ( ; )',
  '\t': 'Tabs',
  '|': 'Vertical bars ( | )',
}

export const FORMAT_NAMES: Record<SourceFormat, string> = {
  csv: 'Text file with separated values (CSV)',
  xlsx: 'Excel workbook',
}

/**
 * Why the workbook is open on this sheet: the person's choice, the first sheet that looks like
 * contacts (naming the sheets with data before it that don't), or, with none, the first with data.
 */
export function sheetChoiceWords(
  sheets: ReadonlyArray<Pick<SheetInfo, 'name' | 'hasData' | 'contacts' | 'hidden'>>,
  chosen: string | undefined,
  chosenByPerson: boolean,
): string {
  const count = `${sheets.length} ${sheets.length === 1 ? 'sheet' : 'sheets'} in the workbook`
  const sheet = sheets.find((s) => s.name === chosen)
  if (chosenByPerson || !sheet) return `Chosen by you; ${count}.`
  if (sheet.contacts) {
    const passed = sheets.slice(0, sheets.indexOf(sheet)).filter((s) => s.hasData && !s.hidden)
    const names = passed.map((s) => `“${s.name}”`).join(' and ')
    return passed.length === 0
      ? `Opened here: it has a column of email addresses (${count}).`
      : `Opened here: the first sheet with a column of email addresses (${names} ${passed.length === 1 ? 'has' : 'have'} none).`
  }
  return `No sheet has a column of email addresses near its top, so the first sheet with data is open: choose the sheet with the contacts (${count}).`
}
