/**
 * The words the Prepare screens use for the engine's values, so every screen says the same thing
 * and no code value ("utf-16le", "unrecognized_flag") reaches the person.
 */
import type { RequestOutput } from '../../../shared/contract'
import { CONTACT_FIELD_LABELS } from '../../../shared/prepare/header-names'
import type { Delimiter, GroupKey, ProblemReason, SourceFormat, TextEncoding } from '../../../shared/prepare/types'

export type Inspection = RequestOutput<'prepare.inspect'>
export type PrepareResult = RequestOutput<'prepare.run'>
export type Summary = PrepareResult['summary']
export type GroupNames = Record<GroupKey, string>

export const DEFAULT_GROUP_NAMES: GroupNames = { '0': 'Flag 0', '1': 'Flag 1' }

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

/** What each kind of problem means, in general, with what the person can do about it. */
export const REASON_DESCRIPTIONS: Record<ProblemReason, string> = {
  missing_email:
    'These rows have no email address, so there is nobody to send to. Add the address in the spreadsheet if you have it.',
  invalid_email:
    'The email address is not one Constant Contact accepts (a typo, a missing “@” or domain, a space, or longer than 80 characters). Correct it in the spreadsheet.',
  missing_flag:
    'The flag cell is empty, so it is not known which group these customers belong to. Fill it in the spreadsheet.',
  unrecognized_flag:
    'The flag holds a value that is not assigned to either group. Assign the value to a group below and prepare again.',
  conflicting_flag:
    'The same address is marked for both groups on different rows. Correct the flag in the spreadsheet, or choose on the Map step which row wins.',
  duplicate:
    'The address is already in its group from an earlier row; that earlier row’s details are kept. Nothing needs doing.',
  malformed_row:
    'Splitsend could not read these rows (for example a quote that is never closed). Check them in the spreadsheet.',
}

/** A plain name for a column of a group file (`email`, `first_name`, `cf:loyalty_tier`). */
export function outputColumnLabel(header: string): string {
  if (header === 'email') return 'Email address'
  if (header.startsWith('cf:')) return `${header.slice(3)} (your own field)`
  return (CONTACT_FIELD_LABELS as Record<string, string>)[header] ?? header
}

export const formatCount = (n: number): string => n.toLocaleString('en-US')

/** "1 row", "12,400 rows". */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return countOf(bytes, 'byte')
  const units = ['KB', 'MB', 'GB', 'TB']
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 1 : 0 })} ${units[unit]}`
}

/** “Flag 0”, with typographic quotes, for sentences. */
export const quoted = (text: string): string => `“${text}”`
