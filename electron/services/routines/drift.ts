/**
 * What differs between a routine and a new month's file, before anything is prepared. The routine
 * names columns by header; Prepare takes positions: this module works the positions out and says,
 * in plain words, everything it could not match exactly.
 *
 *   compareWithRoutine(routine, inspection)     → Drift { differences, mapping }
 *   prepareOptionsFor(routine, mapping)         → PrepareOptions    the routine's choices for Prepare, with these positions
 *   routineMappingFrom(columns, mapping)        → RoutineMapping    positions → header names (saving a run as a routine)
 *
 * `inspection` is what `prepare.inspect` returns (shared/prepare/schemas.ts SourceInspectionSchema),
 * made with the routine's reading settings (the routine's `reading` minus `format`) and without a
 * `flagColumn` (its flag counts are then the suggested column's, used here when that is the
 * routine's flag column). If the routine's sheet is gone, inspect refuses that sheet
 * (`sheet_not_found`): inspect again without one and pass that inspection here, which then
 * reports the missing sheet.
 *
 * Each difference has a `severity`: `stop` ones stop an unattended run (safety.ts) and are shown
 * before Review in the app; `note` ones are shown but change nothing (a new column is simply not
 * sent; a detected setting that differs from the routine's fixed one only matters if the columns
 * no longer match, which is then a `stop` of its own). `mapping` holds the positions to use when
 * every mapped column was placed — by its name, or by a suggestion that a `stop` difference names —
 * and is null when one could not be placed at all.
 */
import { checkEmail, trimCell } from '../../../shared/prepare/email'
import { FlagRules } from '../../../shared/prepare/flags'
import { CONTACT_FIELD_LABELS } from '../../../shared/prepare/words'
import { headerScore } from '../prepare/header-names'
import type {
  SourceInspectionView,
  ColumnInfo,
  ColumnMapping,
  ColumnTarget,
  PrepareOptions,
} from '../../../shared/prepare/schemas'
import type { ColumnRef, Routine, RoutineMapping } from '../../../shared/routines/schema'
import type { Difference } from '../../../shared/channels/routines'

type Inspection = SourceInspectionView

type DifferenceKind = Difference['kind']

export type { Difference }

export interface Drift {
  differences: Difference[]
  mapping: ColumnMapping | null
}

/** Share of the sample's non-blank cells that must look right for a column to still be "the email / flag column". */
const LOOKS_RIGHT_SHARE = 0.5
const NOTE_KINDS: ReadonlySet<DifferenceKind> = new Set(['column_new', 'header_row', 'encoding', 'delimiter', 'format'])

export function compareWithRoutine(routine: Routine, inspection: Inspection): Drift {
  const differences: Difference[] = []
  const add = (kind: DifferenceKind, message: string, extra: Partial<Difference> = {}): void => {
    differences.push({ kind, severity: NOTE_KINDS.has(kind) ? 'note' : 'stop', message, ...extra })
  }
  compareReading(routine.reading, inspection, add)
  const placed = placeColumns(routine, inspection, add)
  if (placed.email !== undefined) checkEmailValues(inspection, placed.email, add)
  if (placed.flag !== undefined) checkFlagValues(routine, inspection, placed.flag, add)
  return { differences, mapping: placed.mapping }
}

type Add = (kind: DifferenceKind, message: string, extra?: Partial<Difference>) => void

function compareReading(reading: Routine['reading'], inspection: Inspection, add: Add): void {
  if (reading.format !== inspection.format)
    add(
      'format',
      `The file is ${formatWords(inspection.format)}; the routine was made with ${formatWords(reading.format)}.`,
    )
  if (reading.sheet !== undefined && inspection.sheets) {
    const names = inspection.sheets.map((s) => s.name)
    if (!names.some((name) => name.toLowerCase() === reading.sheet!.toLowerCase()))
      add(
        'sheet_missing',
        `The workbook has no sheet “${reading.sheet}” any more (its sheets: ${quoteList(names)}). The columns below are from “${inspection.sheet ?? names[0]}”.`,
      )
    else if (inspection.sheet?.toLowerCase() !== reading.sheet.toLowerCase())
      add('sheet_different', `The sheet read is “${inspection.sheet}”, not the routine's “${reading.sheet}”.`)
  }
  if (inspection.headerRowDetected !== reading.headerRow)
    add(
      'header_row',
      inspection.headerRowDetected === 0
        ? `The file seems to have no row of column names now; the routine reads them from row ${reading.headerRow}.`
        : `The column names seem to be on row ${inspection.headerRowDetected} now; the routine reads them from row ${reading.headerRow || 'none'}.`,
    )
  if (reading.encoding && inspection.encodingDetected && inspection.encodingDetected !== reading.encoding)
    add(
      'encoding',
      `The file looks like it is written in ${inspection.encodingDetected}; the routine reads it as ${reading.encoding}.`,
    )
  if (reading.delimiter && inspection.delimiterDetected && inspection.delimiterDetected !== reading.delimiter)
    add(
      'delimiter',
      `The file's values seem to be separated by ${delimiterWords(inspection.delimiterDetected)}; the routine reads them as separated by ${delimiterWords(reading.delimiter)}.`,
    )
}

// ---- columns ---------------------------------------------------------------------------------

interface Wanted {
  ref: ColumnRef
  role: 'email' | 'flag' | ColumnTarget
}

interface Placed {
  mapping: ColumnMapping | null
  email?: number
  flag?: number
}

function placeColumns(routine: Routine, inspection: Inspection, add: Add): Placed {
  const wanted: Wanted[] = [
    { ref: routine.mapping.emailColumn, role: 'email' },
    { ref: routine.mapping.flagColumn, role: 'flag' },
    ...routine.mapping.fields.map((f) => ({ ref: f.column, role: f.target })),
  ]
  const claimed = new Set<number>()
  const indexes = wanted.map((w) => {
    const index = exactIndex(inspection.columns, w.ref)
    if (index !== undefined) claimed.add(index)
    return index
  })
  // A header that now appears twice gets "Name (2)" (header-row.ts): which one holds the data is a guess.
  wanted.forEach((w, i) => {
    const repeated = `${w.ref} (2)`
    if (indexes[i] === undefined || isIgnored(w.role) || wanted.some((o) => sameHeader(o.ref, repeated))) return
    if (inspection.columns.some((c) => sameHeader(c.name, repeated)))
      add(
        'column_repeated',
        `The file has more than one column named “${w.ref}” (${roleWords(w.role)}); the routine had one. The first is used.`,
        { column: w.ref },
      )
  })
  let complete = true
  wanted.forEach((w, i) => {
    if (indexes[i] === undefined && isIgnored(w.role)) indexes[i] = -1 // a left-out column that is gone changes nothing
  })
  wanted.forEach((w, i) => {
    if (indexes[i] !== undefined) return
    const suggestion = suggestColumn(w, inspection, claimed, routine)
    const what = `The column “${w.ref}” (${roleWords(w.role)}) is not in the file`
    if (!suggestion) {
      complete = false
      add('column_missing', `${what}, and no other column looks like it.`, { column: w.ref })
      return
    }
    claimed.add(suggestion.index)
    indexes[i] = suggestion.index
    add('column_renamed', `${what}; “${suggestion.header}” looks like it (${suggestion.why}).`, {
      column: w.ref,
      suggestion: { header: suggestion.header, index: suggestion.index },
    })
  })
  for (const column of inspection.columns) {
    if (!claimed.has(column.index) && !column.generated)
      add('column_new', `The file has a new column “${column.name}”; it is not sent (map it in Review to send it).`, {
        column: column.name,
      })
  }
  const [email, flag] = indexes
  if (!complete) return { mapping: null, email, flag }
  const fields = wanted
    .map((w, i) => ({ column: indexes[i]!, target: w.role }))
    .slice(2)
    .filter(
      (f): f is { column: number; target: ColumnTarget } =>
        f.column >= 0 && typeof f.target === 'object' && f.target.kind !== 'ignore',
    )
  return { mapping: { emailColumn: email!, flagColumn: flag!, fields }, email, flag }
}

function exactIndex(columns: readonly ColumnInfo[], ref: ColumnRef): number | undefined {
  return columns.find((c) => sameHeader(c.name, ref))?.index
}

/** Column names are unique without regard to case (header-row.ts), so "EMAIL" is still "Email". */
function sameHeader(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase()
}

function isIgnored(role: Wanted['role']): boolean {
  return typeof role === 'object' && role.kind === 'ignore'
}

/**
 * The unclaimed column that most looks like a missing one: by name (the same words in another case
 * or spelling, a small typo) and, for the email and flag columns, by what its cells hold. Only a
 * single best candidate is suggested; a tie is no suggestion.
 */
function suggestColumn(
  wanted: Wanted,
  inspection: Inspection,
  claimed: ReadonlySet<number>,
  routine: Routine,
): { index: number; header: string; why: string } | undefined {
  const rules = new FlagRules(routine.flags)
  const scored = inspection.columns
    .filter((c) => !claimed.has(c.index))
    .map((column) => {
      const byName = column.generated ? 0 : headerScore(column.name, [wanted.ref])
      const cells = inspection.previewRows.map((r) => r.cells[column.index] ?? '')
      const byContent =
        (wanted.role === 'email' && looksLikeEmails(cells)) || (wanted.role === 'flag' && looksLikeFlags(cells, rules))
          ? 1
          : 0
      return { column, byName, byContent, score: byName + byContent }
    })
    .filter((s) => s.byName >= 0.6 || s.byContent > 0)
    .sort((a, b) => b.score - a.score)
  const [best, second] = scored
  if (!best || (second && second.score === best.score)) return undefined
  const reasons = [
    best.byName > 0 ? 'a similar name' : '',
    best.byContent ? `it holds ${wanted.role === 'email' ? 'email addresses' : 'flag values'}` : '',
  ]
  return { index: best.column.index, header: best.column.name, why: reasons.filter(Boolean).join(', ') }
}

// ---- values --------------------------------------------------------------------------------

function checkEmailValues(inspection: Inspection, index: number, add: Add): void {
  const cells = sampleCells(inspection, index)
  if (cells.length === 0) {
    if (inspection.previewRows.length > 0)
      add('email_values', `The email column is empty in the first ${inspection.previewRows.length} rows.`)
    return
  }
  if (looksLikeEmails(cells)) return
  const invalid = cells.filter((c) => checkEmail(c).kind !== 'valid')
  add(
    'email_values',
    `The email column's values no longer look like email addresses (${invalid.length} of ${cells.length} in the first rows are not, e.g. ${quoteList(invalid.slice(0, 3))}).`,
  )
}

function checkFlagValues(routine: Routine, inspection: Inspection, index: number, add: Add): void {
  const counts = flagCounts(inspection, index)
  const rules = new FlagRules(routine.flags)
  let total = 0
  const unassigned: Array<{ value: string; count: number }> = []
  for (const [value, count] of counts) {
    total += count
    if (rules.decide(value) === 'unassigned') unassigned.push({ value, count })
  }
  const unassignedRows = unassigned.reduce((sum, u) => sum + u.count, 0)
  if (total > 0 && unassignedRows / total > 1 - LOOKS_RIGHT_SHARE) {
    add(
      'flag_values',
      `The flag column's values no longer look like the routine's flag values (e.g. ${quoteList(unassigned.slice(0, 3).map((u) => u.value))}).`,
    )
    return
  }
  for (const { value, count } of unassigned)
    add(
      'flag_value_new',
      `The flag value “${value}” is new (${count} of the first ${total} rows): it is not assigned to “${routine.groupNames['0']}”, “${routine.groupNames['1']}” or left out.`,
      { value, count },
    )
}

/**
 * The flag column's values and their counts: inspect's own tally when it counted this column (it
 * reads more rows than the preview holds), else the preview's.
 */
function flagCounts(inspection: Inspection, index: number): Map<string, number> {
  const counts = new Map<string, number>()
  if (inspection.suggestion.mapping.flagColumn === index && inspection.flagValues.length > 0) {
    for (const { value, count } of inspection.flagValues) counts.set(value, (counts.get(value) ?? 0) + count)
    return counts
  }
  for (const cell of sampleCells(inspection, index)) counts.set(cell, (counts.get(cell) ?? 0) + 1)
  return counts
}

function sampleCells(inspection: Inspection, index: number): string[] {
  return inspection.previewRows.map((r) => trimCell(r.cells[index] ?? '')).filter((c) => c !== '')
}

function looksLikeEmails(cells: readonly string[]): boolean {
  const filled = cells.filter((c) => trimCell(c) !== '')
  return (
    filled.length > 0 &&
    filled.filter((c) => checkEmail(c).kind === 'valid').length / filled.length >= LOOKS_RIGHT_SHARE
  )
}

function looksLikeFlags(cells: readonly string[], rules: FlagRules): boolean {
  const filled = cells.filter((c) => trimCell(c) !== '')
  const known = filled.filter((c) => rules.decide(c) !== 'unassigned')
  return filled.length > 0 && known.length / filled.length >= LOOKS_RIGHT_SHARE
}

// ---- the routine's choices for Prepare, and back ----------------------------------------------

/** The Prepare options of a run of this routine (its `flags.blank` is Prepare's `blankFlag`). */
export function prepareOptionsFor(routine: Routine, mapping: ColumnMapping): PrepareOptions {
  const { format: _format, ...read } = routine.reading
  const { blank, ...flags } = routine.flags
  return {
    ...read,
    ...flags,
    ...(blank !== 'problem' ? { blankFlag: blank } : {}),
    mapping,
    onConflict: routine.onConflict,
    groupNames: routine.groupNames,
  }
}

/** A run's mapping by position, as the routine keeps it: by column name. */
export function routineMappingFrom(columns: readonly ColumnInfo[], mapping: ColumnMapping): RoutineMapping {
  const name = (index: number): ColumnRef => {
    const column = columns.find((c) => c.index === index)
    if (!column) throw new Error(`column ${index} is not among the file's columns`)
    return column.name
  }
  const mapped = new Set([mapping.emailColumn, mapping.flagColumn, ...mapping.fields.map((f) => f.column)])
  return {
    emailColumn: name(mapping.emailColumn),
    flagColumn: name(mapping.flagColumn),
    fields: [
      ...mapping.fields.flatMap(({ column, target }) =>
        target.kind === 'email' || target.kind === 'flag' ? [] : [{ column: name(column), target }],
      ),
      // Columns the person left out are kept as "left out", so next month they aren't "new".
      ...columns
        .filter((c) => !mapped.has(c.index))
        .map((c) => ({ column: c.name, target: { kind: 'ignore' as const } })),
    ],
  }
}

// ---- words -----------------------------------------------------------------------------------

function roleWords(role: Wanted['role']): string {
  if (role === 'email') return 'the email addresses'
  if (role === 'flag') return 'the flag'
  switch (role.kind) {
    case 'field':
      return `sent as ${CONTACT_FIELD_LABELS[role.field]}`
    case 'custom':
      return `sent as the custom field “${role.name}”`
    default:
      return 'left out'
  }
}

function formatWords(format: Inspection['format']): string {
  return format === 'csv' ? 'a CSV file' : 'an Excel workbook'
}

function delimiterWords(delimiter: string): string {
  const words: Record<string, string> = { ',': 'commas', ';': 'semicolons', '\t': 'tabs', '|': 'vertical bars' }
  return words[delimiter] ?? `“${delimiter}”`
}

function quoteList(values: readonly string[]): string {
  return values.map((v) => `“${v.length > 40 ? `${v.slice(0, 39)}…` : v}”`).join(', ')
}
