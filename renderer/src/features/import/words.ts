/** How the Import step names the ways a file can be read, so no code value ("utf-16le") reaches the person. */
import type { Delimiter, SourceFormat, TextEncoding } from '../prepare/types'

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
