/**
 * A routine's run history: one record per run, kept beside the routine's file (not in it), so
 * exporting a routine never carries where and when it ran on this computer.
 *
 *   RunRecordSchema, RunRecord       one run: job folder, times, source file and its sha256, counts, outcome, sends;
 *                                    outcome: running | done | done_with_contacts_not_added | stopped_by_safety_check | failed
 *   exitCodeFor(outcome)             the command's exit code for an outcome (0, 3, 4, 1)
 *   lastSuccessfulRun(runs)          the newest successful run (done, with or without contacts not added): the
 *                                    basis of the safety checks
 *   successfulRunOf(runs, sha256)    the successful run that used exactly this file content (rerun protection)
 *   RoutineHistorySchema             the history file: { version: 1, runs: [...] }, oldest first
 *
 * Pure TypeScript and zod (see shared/tsconfig.json).
 */
import { z } from 'zod'
import { CampaignIdSchema } from '../ids'
import { CampaignChoiceSchema } from '../send/schemas'

const count = z.number().int().nonnegative()
const isoDateTime = z.iso.datetime({ offset: true })
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hash (64 hexadecimal digits)')

const RunOutcomeSchema = z.discriminatedUnion('kind', [
  /** Started and not finished: running now, or (when the routine isn't locked) interrupted. */
  z.strictObject({ kind: z.literal('running') }),
  z.strictObject({ kind: z.literal('done') }),
  z.strictObject({ kind: z.literal('done_with_contacts_not_added'), contactsNotAdded: count }),
  /** Nothing was uploaded or sent; `reasons` are the safety checks' plain sentences. */
  z.strictObject({ kind: z.literal('stopped_by_safety_check'), reasons: z.array(z.string()).min(1) }),
  z.strictObject({ kind: z.literal('failed'), message: z.string() }),
])
type RunOutcome = z.infer<typeof RunOutcomeSchema>
export type FinishedOutcome = Exclude<RunOutcome, { kind: 'running' }>

/** What was actually sent to a group: the routine's campaign, or a dated copy of it (issue 14). */
const SentCampaignSchema = z.strictObject({
  campaignId: CampaignIdSchema,
  campaignName: CampaignChoiceSchema.shape.name,
  /** Set when a copy was sent because Constant Contact can't send the routine's campaign again. */
  copyOf: z.strictObject({ campaignId: CampaignIdSchema, campaignName: z.string() }).optional(),
})

/** The figures the safety checks compare from run to run. */
const RunCountsSchema = z.strictObject({
  rows: count,
  groups: z.strictObject({ '0': count, '1': count }),
  problems: count,
})

export const RunRecordSchema = z.strictObject({
  runId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
  startedAt: isoDateTime,
  finishedAt: isoDateTime.optional(),
  /** The job folder the run wrote (absent when it failed before preparing). */
  jobDir: z.string().optional(),
  source: z.strictObject({ fileName: z.string(), path: z.string(), sha256 }).optional(),
  counts: RunCountsSchema.optional(),
  outcome: RunOutcomeSchema,
  /** The command's exit code (see exitCodeFor); absent while running. */
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(3), z.literal(4)]).optional(),
  /** Per group, what was sent; a group left out had nothing sent. */
  sent: z.strictObject({ '0': SentCampaignSchema.optional(), '1': SentCampaignSchema.optional() }).optional(),
})
export type RunRecord = z.infer<typeof RunRecordSchema>

export const RoutineHistorySchema = z.strictObject({ version: z.literal(1), runs: z.array(RunRecordSchema) })

const EXIT_CODES = { done: 0, done_with_contacts_not_added: 3, stopped_by_safety_check: 4, failed: 1 } as const

/** The `routine run` command's exit code for how a run ended (issue 12). */
export function exitCodeFor(outcome: FinishedOutcome): 0 | 1 | 3 | 4 {
  return EXIT_CODES[outcome.kind]
}

function isSuccessful(record: RunRecord): boolean {
  return record.outcome.kind === 'done' || record.outcome.kind === 'done_with_contacts_not_added'
}

/** The newest successful run (by start time), or undefined before the first one. */
export function lastSuccessfulRun(runs: readonly RunRecord[]): RunRecord | undefined {
  return runs.filter(isSuccessful).reduce<RunRecord | undefined>((newest, run) => {
    return !newest || Date.parse(run.startedAt) > Date.parse(newest.startedAt) ? run : newest
  }, undefined)
}

/** The successful run that used exactly this content, if any. */
export function successfulRunOf(runs: readonly RunRecord[], sha256: string): RunRecord | undefined {
  return runs.find((run) => isSuccessful(run) && run.source?.sha256 === sha256)
}
