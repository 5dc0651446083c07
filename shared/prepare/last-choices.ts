/**
 * The choices of the last run of a file with the same columns: offered again for next month's file
 * (its group names, columns, flag values, conflict rule and lists), kept in Splitsend's data folder
 * by electron/services/last-choices.ts. The monthly routines (issue 12) are the full answer; this is
 * what a person doing it by hand gets meanwhile.
 */
import { z } from 'zod'
import { ColumnMappingSchema, PrepareOptionsSchema } from './schemas'

const name = z.string().max(1_000)

/** Where a group went: a list (its ID once it existed, and its name), or nowhere. */
const LastListSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('skip') }),
  z.object({ kind: z.literal('list'), name: z.string().min(1).max(255), listId: z.string().max(100).optional() }),
])

export const LastChoicesSchema = z.object({
  /** The columns, by name and in order, that a file must have for these choices to be offered. */
  columns: z.array(name).max(16_384),
  fileName: name,
  /** When the upload of those choices started. */
  savedAt: z.string(),
  mapping: ColumnMappingSchema,
  group0Values: z.array(z.string()),
  group1Values: z.array(z.string()),
  leaveOutValues: z.array(z.string()),
  blankFlag: PrepareOptionsSchema.shape.blankFlag.unwrap(),
  onConflict: PrepareOptionsSchema.shape.onConflict.unwrap(),
  groupNames: PrepareOptionsSchema.shape.groupNames.unwrap(),
  lists: z.object({ '0': LastListSchema, '1': LastListSchema }).optional(),
})
export type LastChoices = z.infer<typeof LastChoicesSchema>
export type LastList = z.infer<typeof LastListSchema>

/** Columns compare by their names, ignoring case and the spaces around them. */
export function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  const key = (name: string) => name.trim().toLowerCase()
  return a.length === b.length && a.every((name, i) => key(name) === key(b[i]!))
}
