import { z } from 'zod'
import { ContractErrorDataSchema, type ContractErrorData } from '../../../shared/errors'
import { LeaveReasonSchema, MembershipPolicySchema } from '../../../shared/membership/schemas'
import { GroupKeySchema } from '../../../shared/ids'
import { StopErrorSchema } from '../../../shared/upload/schemas'
import { entryTypes, type JournalFormat, type WithoutTime } from '../files/journal-lines'

/**
 * The membership journal (`membership-journal.jsonl`, beside the upload's): the removals, each
 * written before the request that makes it and after its answer, so a run stopped at any moment
 * continues without removing anyone twice or missing anyone.
 *
 * Per removal: `remove_intent` → `remove_submitted` (or, after a lost answer or a restart,
 * `remove_reconciled`) → `remove_finished`. A `remove_reconciled` with several candidates means
 * Constant Contact's record can't tell whether it arrived: the person decides (`remove_resolved`).
 */

const at = z.string()
const count = z.number().int().nonnegative()
const attempt = count
const confirmedCounts = z.partialRecord(GroupKeySchema, z.object({ movedOut: count, notInFile: count }))

/** One remove_list_memberships: up to 500 consecutive contacts of one leaving file, off one list. */
const RemovalBatchSchema = z.object({
  /** Stable within the job: `<generation>:<group>-<reason>-<n>`. */
  id: z.string(),
  group: GroupKeySchema,
  listId: z.string(),
  reason: LeaveReasonSchema,
  /** The leaving file (relative to the job folder) and its SHA-256 when planned. */
  file: z.string(),
  sha256: z.string(),
  /** First data record (0-based, header not counted) and how many. */
  first: count,
  count,
})
export type RemovalBatch = z.infer<typeof RemovalBatchSchema>

/**
 * The removals of one leaving file, as a plan records them: its records cut front to back into
 * removals of `batchSize` (the last one the rest). A plan's size stays that of its files, not of
 * the contacts leaving (plans written before this list every removal in `batches`).
 */
const LeavingRemovalsSchema = RemovalBatchSchema.omit({ id: true, first: true }).extend({
  batchSize: z.number().int().positive(),
})
export type LeavingRemovals = z.infer<typeof LeavingRemovalsSchema>

/** A list as the person chose it: an existing one, or one the upload creates (its ID known only then). */
const ChosenListSchema = z.object({
  listId: z.string(),
  listName: z.string(),
  createdByUpload: z.boolean().optional(),
})
export type ChosenList = z.infer<typeof ChosenListSchema>

const removalStep = { at, batch: z.string(), attempt }

/** Every entry the membership step writes, one schema per `type`: the only declaration of what a line holds. */
const MembershipEntrySchema = z.discriminatedUnion('type', [
  /**
   * Written when the upload starts: what the person chose and confirmed. The removals are planned
   * from it once the upload has finished (after a restart too).
   */
  z.object({
    type: z.literal('choice'),
    at,
    policy: MembershipPolicySchema,
    lists: z.partialRecord(GroupKeySchema, ChosenListSchema),
    confirmed: confirmedCounts.optional(),
  }),
  z.object({
    type: z.literal('plan'),
    at,
    /** 1 for the first plan; a later one replaces the batches not yet done (the files had to be made again). */
    generation: z.number().int().positive(),
    policy: MembershipPolicySchema,
    lists: z.partialRecord(GroupKeySchema, ChosenListSchema.omit({ createdByUpload: true })),
    comparedAt: z.string().optional(),
    /** The removals, per leaving file (see batchesOf). */
    removals: z.array(LeavingRemovalsSchema).optional(),
    /** The same, one by one, as plans were written before `removals`. Still read. */
    batches: z.array(RemovalBatchSchema).optional(),
    /** What the person saw: a later plan that would take more off a list than this is refused. */
    confirmed: confirmedCounts.optional(),
  }),
  z.object({ type: z.literal('run_started'), at }),
  z.object({ type: z.literal('remove_intent'), ...removalStep }),
  z.object({
    type: z.literal('remove_submitted'),
    ...removalStep,
    activityId: z.string(),
    createdAt: z.string().optional(),
  }),
  z.object({
    type: z.literal('remove_reconciled'),
    ...removalStep,
    /** The activity found for it, or null: it never arrived (none found), or can't be told (`candidates`). */
    activityId: z.string().nullable(),
    createdAt: z.string().optional(),
    /** Several activities could be it: nothing is sent until the person decides. */
    candidates: z.array(z.string()).optional(),
  }),
  z.object({ type: z.literal('remove_resolved'), ...removalStep, decision: z.enum(['send_again', 'done']) }),
  z.object({ type: z.literal('remove_rejected'), ...removalStep, error: ContractErrorDataSchema }),
  z.object({
    type: z.literal('remove_finished'),
    ...removalStep,
    activityId: z.string(),
    createdAt: z.string().optional(),
    state: z.string(),
    counts: z.object({ items_total_count: count, items_completed_count: count }),
    errors: z.array(z.string()),
  }),
  z.object({ type: z.literal('stopped'), at, error: StopErrorSchema }),
  z.object({ type: z.literal('cancelled'), at }),
  z.object({ type: z.literal('completed'), at }),
])
export type MembershipEntry = z.infer<typeof MembershipEntrySchema>
export type PlanEntry = Extract<MembershipEntry, { type: 'plan' }>
type FinishedEntry = Extract<MembershipEntry, { type: 'remove_finished' }>
/** An entry as the step writes it: the time is added when it is appended. */
export type NewMembershipEntry = WithoutTime<MembershipEntry>

/** Entries the removals can't be replanned without: what the person chose and confirmed. */
const FOUNDATIONS: ReadonlySet<string> = new Set(['choice', 'plan'])

/**
 * The membership journal's rules for lines that can't be read: a damaged removal line is skipped,
 * as in the upload's journal (its removal is looked up in Constant Contact again; removing a
 * contact twice takes nobody else off). A damaged choice or plan stops: it holds what the person
 * confirmed, which Constant Contact can't say, and a plan made without it could take off more
 * than they saw; so does a line whose type can't be read (it could be one). Types of a later
 * version are left out.
 */
export const MEMBERSHIP_JOURNAL_FORMAT: JournalFormat<MembershipEntry> = {
  title: 'record of the contacts taken off lists',
  schema: MembershipEntrySchema,
  types: entryTypes(MembershipEntrySchema),
  onDamaged: (type) => (type === undefined || FOUNDATIONS.has(type) ? 'stop' : 'skip'),
  hint: 'Nothing more is taken off the lists for this job. Check the lists in Constant Contact, and prepare the next file into a new job folder.',
}

/** A plan's removals one by one, whichever way it recorded them. */
export function batchesOf(plan: Pick<PlanEntry, 'generation' | 'removals' | 'batches'>): RemovalBatch[] {
  if (!plan.removals) return plan.batches ?? []
  const batches: RemovalBatch[] = []
  for (const { batchSize, ...file } of plan.removals)
    for (let first = 0, n = 1; first < file.count; first += batchSize, n++)
      batches.push({
        ...file,
        id: `${plan.generation}:${file.group}-${file.reason}-${n}`,
        first,
        count: Math.min(batchSize, file.count - first),
      })
  return batches
}

/**
 * Where a removal stands:
 * - `pending`: to be sent (again, after a failure or a send that never arrived);
 * - `unknown`: sent, answer never recorded — look it up in Constant Contact first;
 * - `submitted`: Constant Contact has it (`activityId`): follow it;
 * - `ask`: several activities could be it — the person decides;
 * - `done`: finished (see `last`), refused (`rejected`), or counted as done by the person.
 */
type BatchPhase = 'pending' | 'unknown' | 'submitted' | 'ask' | 'done'

export interface BatchState {
  batch: RemovalBatch
  generation: number
  phase: BatchPhase
  attempt: number
  activityId?: string
  intentAt?: string
  /** Found in GET /activities after a lost answer: confirmed as ours when it ends. */
  verify?: boolean
  candidates?: string[]
  last?: FinishedEntry
  rejected?: ContractErrorData
  /** The person said to count it as done (its outcome was never confirmed). */
  assumedDone?: boolean
  /** Activities that ended failed / timed out and were sent again. */
  failedAttempts: number
  /** Replaced by a later plan's removals before it was done. */
  superseded?: boolean
}

export type ChoiceEntry = Extract<MembershipEntry, { type: 'choice' }>

export interface MembershipState {
  /** The person's choice when the upload started (the latest), if any. */
  choice?: ChoiceEntry
  plan?: PlanEntry
  /** Every removal of every plan, in order (older generations' remain for the report). */
  batches: Map<string, BatchState>
  knownActivityIds: Set<string>
  /** Constant Contact's creation time of the newest removal recorded (ms), for finding a lost one. */
  newestCreatedMs?: number
  completed: boolean
}

/** Removals that ended failed or timed out are sent again up to this many times in all. */
const MAX_REMOVAL_ATTEMPTS = 3

export function replayMembership(entries: readonly MembershipEntry[]): MembershipState {
  const state: MembershipState = { batches: new Map(), knownActivityIds: new Set(), completed: false }
  for (const entry of entries) applyMembershipEntry(state, entry)
  return state
}

export function applyMembershipEntry(state: MembershipState, entry: MembershipEntry): void {
  if (entry.type === 'choice') {
    state.choice = entry
    return
  }
  if (entry.type === 'plan') {
    state.plan = entry
    state.completed = false
    // Removals of an earlier plan still to be sent are replaced by the new plan's, made from the
    // lists as they are now (whoever those removals would have taken off is in the new ones if
    // they are still on the list). The runner settles every removal in flight before planning again.
    for (const [id, b] of state.batches) {
      if (b.phase !== 'pending') continue
      if (b.attempt === 0) state.batches.delete(id)
      else {
        b.phase = 'done'
        b.superseded = true
      }
    }
    for (const batch of batchesOf(entry))
      state.batches.set(batch.id, {
        batch,
        generation: entry.generation,
        phase: 'pending',
        attempt: 0,
        failedAttempts: 0,
      })
    return
  }
  if (entry.type === 'completed') {
    state.completed = true
    return
  }
  if (!('batch' in entry)) return
  if ('createdAt' in entry && entry.createdAt) {
    const ms = Date.parse(entry.createdAt)
    if (Number.isFinite(ms) && !(ms <= (state.newestCreatedMs ?? -Infinity))) state.newestCreatedMs = ms
  }
  const b = state.batches.get(entry.batch)
  if (!b) return
  switch (entry.type) {
    case 'remove_intent':
      b.attempt = entry.attempt
      b.phase = 'unknown'
      b.intentAt = entry.at
      delete b.activityId
      delete b.verify
      return
    case 'remove_submitted':
      b.phase = 'submitted'
      b.activityId = entry.activityId
      state.knownActivityIds.add(entry.activityId)
      return
    case 'remove_reconciled':
      if (entry.activityId) {
        b.phase = 'submitted'
        b.activityId = entry.activityId
        b.verify = true
        state.knownActivityIds.add(entry.activityId)
      } else if (entry.candidates?.length) {
        b.phase = 'ask'
        b.candidates = entry.candidates
      } else b.phase = 'pending'
      return
    case 'remove_resolved':
      delete b.candidates
      if (entry.decision === 'done') {
        b.phase = 'done'
        b.assumedDone = true
      } else b.phase = 'pending'
      return
    case 'remove_rejected':
      b.phase = 'done'
      b.rejected = entry.error
      return
    case 'remove_finished':
      state.knownActivityIds.add(entry.activityId)
      b.last = entry
      delete b.verify
      if (entry.state === 'completed' || b.failedAttempts + 1 >= MAX_REMOVAL_ATTEMPTS) {
        b.phase = 'done'
        if (entry.state !== 'completed') b.failedAttempts++
      } else {
        b.failedAttempts++
        b.phase = 'pending'
      }
      return
  }
}

/** Contacts of a finished removal that Constant Contact confirmed (its activity completed). */
export function removedBy(b: BatchState): number {
  return b.phase === 'done' && b.last?.state === 'completed' ? b.batch.count : 0
}

/** Contacts of a removal that ended without Constant Contact confirming it. */
export function notRemovedBy(b: BatchState): number {
  if (b.phase === 'ask') return b.batch.count
  if (b.phase !== 'done' || b.superseded || b.assumedDone || b.last?.state === 'completed') return 0
  return b.batch.count
}

/** Contacts of a removal the person counted as done without Constant Contact confirming it. */
export function unconfirmedIn(b: BatchState): number {
  return b.phase === 'done' && b.assumedDone && !b.superseded ? b.batch.count : 0
}
