import { CONTACT_FIELDS, type ColumnInfo, type ColumnMapping, type ContactFieldName } from './schemas'

/** Constant Contact accepts at most this many custom fields per contact. */
const MAX_CUSTOM_FIELDS = 25

/** One column of group-0.csv / group-1.csv and the source column it comes from. */
export interface OutputColumn {
  header: string
  /** Source column index; -1 for `email`, which is the normalised address. */
  source: number
}

/**
 * The columns of the group files in Constant Contact's import format: `email`, then the mapped
 * standard fields (in Constant Contact's own order), then `cf:<name>` custom fields in column order.
 */
export function outputColumns(mapping: ColumnMapping): OutputColumn[] {
  const standard = new Map<ContactFieldName, number>()
  const custom: OutputColumn[] = []
  for (const { column, target } of mapping.fields) {
    if (column === mapping.emailColumn || column === mapping.flagColumn) continue
    if (target.kind === 'field' && !standard.has(target.field)) standard.set(target.field, column)
    if (target.kind === 'custom') custom.push({ header: `cf:${customFieldName(target.name)}`, source: column })
  }
  const columns: OutputColumn[] = [{ header: 'email', source: -1 }]
  for (const field of CONTACT_FIELDS) {
    const source = standard.get(field)
    if (source !== undefined) columns.push({ header: field, source })
  }
  custom.sort((a, b) => a.source - b.source)
  return columns.concat(custom)
}

/** A custom field name as Constant Contact stores it: lower-case letters, digits and underscores, at most 50. */
export function customFieldName(name: string): string {
  const cleaned = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 50)
  return cleaned === '' ? 'field' : cleaned
}

/** Problems found in a mapping before any row is read, in plain words; empty when it is usable. */
export function mappingErrors(mapping: ColumnMapping, columns: readonly ColumnInfo[]): string[] {
  const errors: string[] = []
  const exists = (index: number): boolean => columns.some((column) => column.index === index)
  if (mapping.emailColumn < 0 || !exists(mapping.emailColumn))
    errors.push('Choose the column that holds the email addresses.')
  if (mapping.flagColumn < 0 || !exists(mapping.flagColumn)) errors.push('Choose the column that holds the 0/1 flag.')
  if (mapping.emailColumn >= 0 && mapping.emailColumn === mapping.flagColumn) {
    errors.push('The email column and the flag column must be two different columns.')
  }
  const seen = new Map<string, number>()
  let customCount = 0
  for (const { column, target } of mapping.fields) {
    if (!exists(column)) errors.push(`Column ${column + 1} does not exist in this file.`)
    if (target.kind !== 'field' && target.kind !== 'custom') continue
    const key = target.kind === 'field' ? target.field : `cf:${customFieldName(target.name)}`
    if (target.kind === 'custom') customCount++
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      const name = (index: number): string => columns.find((c) => c.index === index)?.name ?? `Column ${index + 1}`
      errors.push(`"${name(earlier)}" and "${name(column)}" are both sent as ${key}; choose one.`)
    }
    seen.set(key, column)
  }
  if (customCount > MAX_CUSTOM_FIELDS) {
    errors.push(
      `Constant Contact accepts at most ${MAX_CUSTOM_FIELDS} custom fields per contact; ${customCount} are chosen.`,
    )
  }
  return errors
}
