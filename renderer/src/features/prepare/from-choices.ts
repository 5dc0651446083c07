/**
 * "Start the next file with these choices": an earlier job's choices applied to a new month's file.
 * Columns are found by their header (the new file may have them in another order); whatever can't be
 * carried over is said in plain words, and there Splitsend's own suggestion stands. Pure, so it is
 * tested without a screen.
 */
import type { PrepareOptions } from '../../../../shared/prepare/schemas'
import type { JobChoices } from '../jobs/types'
import { draftFromOptions, draftFromSuggestion, type MappingDraft } from './mapping'
import type { ColumnInfo, Inspection } from './types'

export interface DraftFromChoices {
  draft: MappingDraft
  /** What differs from the job's choices, one sentence each (empty when everything carried over). */
  differences: string[]
}

export function draftFromChoices(choices: JobChoices, inspection: Inspection): DraftFromChoices {
  const suggested = draftFromSuggestion(inspection)
  const differences: string[] = []
  const find = (name: string): ColumnInfo | undefined =>
    inspection.columns.find((column) => column.name.trim().toLowerCase() === name.trim().toLowerCase())

  const keyColumn = (name: string, role: string, fallback: number) => {
    const found = find(name)
    if (found) return found.index
    const instead = inspection.columns.find((c) => c.index === fallback)
    differences.push(
      `The column “${name}” (${role}) is not in this file${instead ? `; “${instead.name}” is used, as Splitsend suggests` : ''}. Check it on the Map step.`,
    )
    return fallback
  }
  const emailColumn = keyColumn(choices.columns.email, 'the email addresses', suggested.emailColumn)
  const flagColumn = keyColumn(choices.columns.flag, 'the flag', suggested.flagColumn)

  const fields: PrepareOptions['mapping']['fields'] = []
  const known = new Set([choices.columns.email, choices.columns.flag].map((n) => n.trim().toLowerCase()))
  for (const { column, target } of choices.columns.fields) {
    known.add(column.trim().toLowerCase())
    const found = find(column)
    if (!found) {
      if (target.kind !== 'ignore') differences.push(`The column “${column}” is not in this file, so it is not sent.`)
      continue
    }
    if (target.kind !== 'ignore' && found.index !== emailColumn && found.index !== flagColumn)
      fields.push({ column: found.index, target })
  }
  for (const column of inspection.columns) {
    if (!column.generated && !known.has(column.name.trim().toLowerCase()))
      differences.push(
        `The column “${column.name}” is new in this file; it is not sent unless you choose below what it is.`,
      )
  }

  // The same draft as the last run's choices or a routine's give: the job's options, its columns found here.
  const options: PrepareOptions = {
    ...choices.flags,
    blankFlag: choices.blankFlag,
    mapping: { emailColumn, flagColumn: flagColumn === emailColumn ? -1 : flagColumn, fields },
    onConflict: choices.onConflict,
    groupNames: choices.groupNames,
  }
  return { draft: draftFromOptions(options), differences }
}

/** The sheet to read a new workbook from: the job's, when the new file has a sheet of that name and another was opened. */
export function sheetFromChoices(choices: JobChoices, inspection: Inspection): string | null {
  const wanted = choices.read.sheet
  if (!wanted || inspection.format !== 'xlsx' || inspection.sheet?.toLowerCase() === wanted.toLowerCase()) return null
  return inspection.sheets?.find((sheet) => sheet.name.toLowerCase() === wanted.toLowerCase())?.name ?? null
}
