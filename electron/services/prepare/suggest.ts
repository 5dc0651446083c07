import { checkEmail, trimCell } from '../../../shared/prepare/email'
import { flagKey, STANDARD_GROUP0_VALUES, STANDARD_GROUP1_VALUES } from '../../../shared/prepare/flags'
import {
  CONTACT_FIELD_HEADER_NAMES,
  EMAIL_HEADER_NAMES,
  FLAG_HEADER_HINTS,
  headerScore,
  headerText,
  type HeaderText,
} from './header-names'
import {
  CONTACT_FIELDS,
  type ColumnInfo,
  type ColumnTarget,
  type ContactFieldName,
  type MappingSuggestion,
} from '../../../shared/prepare/schemas'

const GROUP0 = new Set<string>(STANDARD_GROUP0_VALUES)
const GROUP1 = new Set<string>(STANDARD_GROUP1_VALUES)

interface ColumnStats {
  nonEmpty: number
  /** Distinct values (counted up to 50). */
  distinct: number
  emails: number
  group0: number
  group1: number
}

function columnStats(rows: readonly (readonly string[])[], column: number): ColumnStats {
  const stats: ColumnStats = { nonEmpty: 0, distinct: 0, emails: 0, group0: 0, group1: 0 }
  const seen = new Set<string>()
  for (const row of rows) {
    const cell = row[column] ?? ''
    if (trimCell(cell) === '') continue
    stats.nonEmpty++
    if (cell.includes('@') && checkEmail(cell).kind === 'valid') stats.emails++
    const key = flagKey(cell)
    if (seen.size < 50) seen.add(key)
    if (GROUP0.has(key)) stats.group0++
    else if (GROUP1.has(key)) stats.group1++
  }
  stats.distinct = seen.size
  return stats
}

/**
 * The most cells whose values are looked at: every sampled row of an ordinary file, fewer rows of a
 * very wide one, so that the time a suggestion takes grows with the columns and not with their square.
 */
const MAX_CELLS_LOOKED_AT = 1_000_000

/**
 * Suggests which column holds the email address, which holds the 0/1 flag, and which Constant
 * Contact field each other column matches. The person confirms or changes every suggestion; the
 * command uses the same suggestion when a column is not named. Only the columns suggested for a
 * field are listed in `fields` (at most one per field); every other column is not sent unless the
 * person says so.
 *
 * `rows` is a sample of data rows (the preview), each cell as text.
 */
export function suggestMapping(
  columns: readonly ColumnInfo[],
  rows: readonly (readonly string[])[],
): MappingSuggestion {
  const sample = rows.slice(0, Math.max(20, Math.floor(MAX_CELLS_LOOKED_AT / Math.max(1, columns.length))))
  const stats = columns.map((column) => columnStats(sample, column.index))
  const texts = columns.map((column): HeaderText => headerText(column.generated ? '' : column.name))

  // Email: a header that says so wins; otherwise the column whose values are mostly addresses.
  let emailColumn = -1
  let emailBasis: MappingSuggestion['emailBasis'] = 'none'
  let best = 0
  for (const column of columns) {
    const s = stats[column.index]!
    const contentShare = s.nonEmpty === 0 ? 0 : s.emails / s.nonEmpty
    const byHeader = headerScore(texts[column.index]!, EMAIL_HEADER_NAMES)
    // A clear header counts even when the values are poor: those rows are then reported, not lost.
    const score =
      byHeader >= 0.8
        ? 2 + byHeader + contentShare
        : byHeader >= 0.6 && contentShare >= 0.2
          ? 1.5 + contentShare
          : contentShare >= 0.5
            ? contentShare
            : 0
    if (score > best) {
      best = score
      emailColumn = column.index
      emailBasis = score >= 1.5 ? 'header' : 'content'
    }
  }

  // Flag: a column whose values are (almost) all standard flag tokens; a hinting header breaks ties.
  let flagColumn = -1
  let flagBasis: MappingSuggestion['flagBasis'] = 'none'
  best = 0
  for (const column of columns) {
    if (column.index === emailColumn) continue
    const s = stats[column.index]!
    const hint = headerScore(texts[column.index]!, FLAG_HEADER_HINTS)
    const tokenShare = s.nonEmpty === 0 ? 0 : (s.group0 + s.group1) / s.nonEmpty
    let score = 0
    // Mostly flag values, and only a few distinct others (those are for the person to assign).
    if (tokenShare >= 0.8 || (tokenShare >= 0.5 && s.distinct <= 10))
      score = 1 + tokenShare + 0.3 * hint + (s.group0 > 0 && s.group1 > 0 ? 0.2 : 0)
    else if (hint >= 0.8 && s.nonEmpty > 0 && s.nonEmpty <= 20 && tokenShare >= 0.5) score = 0.5 + tokenShare
    if (score > best) {
      best = score
      flagColumn = column.index
      flagBasis = tokenShare >= 0.5 ? 'content' : 'header'
    }
  }

  // Standard fields: best header match first, each field used once. Everything else is ignored
  // until the person chooses to send it as a custom field.
  const candidates: Array<{ column: number; field: ContactFieldName; score: number }> = []
  for (const column of columns) {
    if (column.index === emailColumn || column.index === flagColumn || column.generated) continue
    for (const field of CONTACT_FIELDS) {
      const score = headerScore(texts[column.index]!, CONTACT_FIELD_HEADER_NAMES[field])
      if (score >= 0.6) candidates.push({ column: column.index, field, score })
    }
  }
  candidates.sort((a, b) => b.score - a.score || a.column - b.column)
  const usedFields = new Set<ContactFieldName>()
  const targets = new Map<number, ColumnTarget>()
  for (const candidate of candidates) {
    if (usedFields.has(candidate.field) || targets.has(candidate.column)) continue
    usedFields.add(candidate.field)
    targets.set(candidate.column, { kind: 'field', field: candidate.field })
  }
  const fields = [...targets].map(([column, target]) => ({ column, target })).sort((a, b) => a.column - b.column)

  return { mapping: { emailColumn, flagColumn, fields }, emailBasis, flagBasis }
}
