import { UserFacingError } from '../../../shared/errors'
import { CONTACT_FIELD_LABELS } from '../../../shared/prepare/words'
import {
  CONTACT_FIELDS,
  type BlankFlagChoice,
  type ColumnInfo,
  type ConflictPolicy,
  type Delimiter,
  type TextEncoding,
} from '../../../shared/prepare/schemas'

/**
 * Turns what a person types (on the command line, or in a settings file) into engine options,
 * accepting the usual spellings. Each parser throws a UserFacingError with code `usage` saying
 * what is accepted.
 */

const ENCODING_NAMES: Record<string, TextEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-16le': 'utf-16le',
  utf16le: 'utf-16le',
  'utf-16': 'utf-16le',
  unicode: 'utf-16le',
  'utf-16be': 'utf-16be',
  utf16be: 'utf-16be',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'win-1252': 'windows-1252',
  latin1: 'windows-1252',
  'latin-1': 'windows-1252',
  'iso-8859-1': 'windows-1252',
  ansi: 'windows-1252',
  macintosh: 'macintosh',
  mac: 'macintosh',
  macroman: 'macintosh',
  'mac-roman': 'macintosh',
}

export function parseEncoding(value: string): TextEncoding {
  const encoding = ENCODING_NAMES[value.trim().toLowerCase()]
  if (!encoding)
    throw usage(
      `"${value}" is not an encoding Splitsend reads.`,
      'Use one of: utf-8, utf-16le, utf-16be, windows-1252 (also called latin1), mac-roman.',
    )
  return encoding
}

const DELIMITER_NAMES: Record<string, Delimiter> = {
  ',': ',',
  comma: ',',
  ';': ';',
  semicolon: ';',
  '\t': '\t',
  '\\t': '\t',
  tab: '\t',
  '|': '|',
  pipe: '|',
}

export function parseDelimiter(value: string): Delimiter {
  const delimiter = DELIMITER_NAMES[value.toLowerCase()] ?? DELIMITER_NAMES[value.trim().toLowerCase()]
  if (!delimiter)
    throw usage(
      `"${value}" is not a delimiter Splitsend reads.`,
      'Use one of: comma (,), semicolon (;), tab, pipe (|).',
    )
  return delimiter
}

export function parseHeaderRow(value: string): number {
  const row = Number(value)
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(row))
    throw usage(
      `"${value}" is not a row number.`,
      'Give the Excel row number of the header row, or 0 if the file has no header row.',
    )
  return row
}

export function parseConflictPolicy(value: string): ConflictPolicy {
  const policy = value.trim().toLowerCase()
  if (policy === 'exclude' || policy === 'first' || policy === 'last') return policy
  throw usage(
    `"${value}" is not a conflict choice.`,
    'Use exclude (leave out every row of the address), first (the first row wins) or last (the last row wins).',
  )
}

/** Where rows with an empty flag cell go: problem (listed), leave-out, 0 or 1. */
export function parseBlankFlag(value: string): BlankFlagChoice {
  const choice = value.trim().toLowerCase().replace('-', '_')
  if (choice === 'problem' || choice === 'leave_out' || choice === '0' || choice === '1') return choice
  throw usage(
    `"${value}" is not a choice for empty flag cells.`,
    'Use problem (list those rows as problems), leave-out (leave them out), 0 or 1 (put them in that group).',
  )
}

/** A comma-separated list of flag values; empty entries are dropped. */
export function parseValueList(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '')
}

/**
 * A column named by its header (case and surrounding spaces ignored), by its number (1 = first),
 * or by its Excel letter (A, B, ... AA).
 */
export function resolveColumn(value: string, columns: readonly ColumnInfo[], what: string): number {
  const wanted = value.trim().toLowerCase()
  const byName = columns.find((c) => c.name.trim().toLowerCase() === wanted)
  if (byName) return byName.index
  if (/^\d+$/.test(wanted)) {
    const index = Number(wanted) - 1
    if (index >= 0 && index < columns.length) return index
  }
  if (/^[a-z]{1,3}$/.test(wanted)) {
    let index = 0
    for (const char of wanted) index = index * 26 + (char.charCodeAt(0) - 96)
    if (index - 1 < columns.length && !columns.some((c) => c.name.trim().toLowerCase() === wanted)) return index - 1
  }
  throw usage(
    `There is no column "${value}" for the ${what}.`,
    `The columns are: ${columns.map((c) => `"${c.name}"`).join(', ')}.`,
  )
}

export function describeContactFields(): string {
  return CONTACT_FIELDS.map((field) => `${field} (${CONTACT_FIELD_LABELS[field]})`).join(', ')
}

function usage(message: string, hint: string): UserFacingError {
  return new UserFacingError('usage', message, hint)
}
