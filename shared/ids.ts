/**
 * The IDs that cross the contract, each with the one pattern it must match. Main makes them (a job
 * is a folder name, a file or plan ID random letters) and the renderer only hands them back, so a
 * pattern refuses anything Splitsend would not have made: above all, anything that could lead out
 * of a folder when joined to it.
 */
import { z } from 'zod'

/** The two groups of a job: the rows flagged 0 and the rows flagged 1. */
export const GROUP_KEYS = ['0', '1'] as const
export const GroupKeySchema = z.enum(GROUP_KEYS)
export type GroupKey = z.infer<typeof GroupKeySchema>
/** One value for each group (its name, its row count, its list). */
export const perGroup = <T extends z.ZodType>(value: T) => z.object({ '0': value, '1': value })

/** A prepared job: its folder's name in Splitsend's jobs folder (never `.` or `..`). */
export const JobIdSchema = z.string().regex(/^(?!\.\.?$)[A-Za-z0-9._-]{1,120}$/, 'not a job made by Splitsend')

/** Random letters, digits, `-` and `_` (base64url, or a UUID). */
const RANDOM_ID = /^[A-Za-z0-9_-]{8,64}$/

/** A file the person gave main (picked, dropped or uploaded); its path stays in main. */
export const FileIdSchema = z.string().regex(RANDOM_ID, 'not a file reference made by Splitsend')

/** Chosen by the renderer for one full Prepare pass, so it can follow its progress and cancel it. */
export const RunIdSchema = z.string().regex(RANDOM_ID)

/** Names one upload plan main keeps for `upload.start`. */
export const PlanIdSchema = z.string().regex(RANDOM_ID)

/** A Constant Contact campaign ID (a UUID in practice; kept loose, but no path tricks). */
export const CampaignIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'not a Constant Contact campaign ID')
