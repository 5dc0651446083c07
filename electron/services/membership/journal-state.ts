import type { ContractErrorData } from '../../../shared/errors'
import type { LeaveReason, MembershipPolicy } from '../../../shared/membership/schemas'
import type { GroupKey } from '../../../shared/ids'

/**
 * The membership journal (`membership-journal.jsonl`, beside the upload's): the removals, each
 * written before the request that makes it and after its answer, so a run stopped at any moment
 * continues without removing anyone twice or missing anyone.
 *
 * Per removal: `remove_intent` → `remove_submitted` (or, after a lost answer or a restart,
 * `remove_reconciled`) → `remove_finished`. A `remove_reconciled` with several candidates means
 * Constant Contact's record can't tell whether it arrived: the person decides (`remove_resolved`).
 */

/** One remove_list_memberships: up to 500 consecutive contacts of one leaving file, off one list. */
export interface RemovalBatch {
  /** Stable within the job: `<generation>:<group>-<reason>-<n>`. */
  id: string
  group: GroupKey
  listId: string
  reason: LeaveReason
  /** The leaving file (relative to the job folder) and its SHA-256 when planned. */
  file: string
  sha256: string
  /** First data record (0-based, header not counted) and how many. */
  first: number
  count: number
}

interface RemovalCounts {
  items_total_count: number
  items_completed_count: number
}

/** A list as the person chose it: an existing one, or one the upload creates (its ID known only then). */
export interface ChosenList {
  listId: string
  listName: string
  createdByUpload?: boolean
}

export type MembershipEntry =
  /**
   * Written when the upload starts: what the person chose and confirmed. The removals are planned
   * from it once the upload has finished (after a restart too).
   */
  | {
      type: 'choice'
      at: string
      policy: MembershipPolicy
      lists: Partial<Record<GroupKey, ChosenList>>
      confirmed?: Partial<Record<GroupKey, { movedOut: number; notInFile: number }>>
    }
  | {
      type: 'plan'
      at: string
      /** 1 for the first plan; a later one replaces the batches not yet done (the files had to be made again). */
      generation: number
      policy: MembershipPolicy
      lists: Partial<Record<GroupKey, { listId: string; listName: string }>>
      comparedAt?: string
      batches: RemovalBatch[]
      /** What the person saw: a later plan that would take more off a list than this is refused. */
      confirmed?: Partial<Record<GroupKey, { movedOut: number; notInFile: number }>>
    }
  | { type: 'run_started'; at: string }
  | { type: 'remove_intent'; at: string; batch: string; attempt: number }
  | { type: 'remove_submitted'; at: string; batch: string; attempt: number; activityId: string; createdAt?: string }
  | {
      type: 'remove_reconciled'
      at: string
      batch: string
      attempt: number
      /** The activity found for it, or null: it never arrived (none found), or can't be told (`candidates`). */
      activityId: string | null
      createdAt?: string
      /** Several activities could be it: nothing is sent until the person decides. */
      candidates?: string[]
    }
  | { type: 'remove_resolved'; at: string; batch: string; attempt: number; decision: 'send_again' | 'done' }
  | { type: 'remove_rejected'; at: string; batch: string; attempt: number; error: ContractErrorData }
  | {
      type: 'remove_finished'
      at: string
      batch: string
      attempt: number
      activityId: string
      createdAt?: string
      state: string
      counts: RemovalCounts
      errors: string[]
    }
  | { type: 'stopped'; at: string; error: ContractErrorData & { resumeAt?: string } }
  | { type: 'cancelled'; at: string }
  | { type: 'completed'; at: string }

export type PlanEntry = Extract<MembershipEntry, { type: 'plan' }>
type FinishedEntry = Extract<MembershipEntry, { type: 'remove_finished' }>

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
    for (const batch of entry.batches)
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
