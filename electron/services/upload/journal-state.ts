import type { ContractErrorData } from '../../../shared/errors'
import type { StopError, AccountInfo, ImportCounts } from '../../../shared/upload/schemas'
import { isUploadEntry, type JournalEntry, type UploadEntry } from './journal'
import type { GroupKey } from '../../../shared/ids'
import type { PlannedActivity, UploadPlan } from './plan'
import { bitmapRecordSet, listRecordSet, type RecordSet } from './record-set'

/** Activity states after which a resend is worth trying (imports upsert, so a resend is harmless). */
const RESENDABLE_STATES = new Set(['failed', 'timed_out', 'cancelled', 'lost'])
/** Sends of one activity in all (the first included) before a failure is reported instead. */
/**
 * Sends of one activity in one run (the first included) before a failure is reported instead; a
 * later run of the upload tries again, as many times.
 */
const MAX_SENDS_PER_ACTIVITY = 3

interface FinishedAttempt {
  attempt: number
  activityId: string
  /** Constant Contact's creation time of the activity. */
  createdAt?: string
  state: string
  counts: ImportCounts
  errors: string[]
  moreErrors: number
  at: string
}

/**
 * One planned activity as the journal knows it:
 * - `pending`: not sent (or a send that never reached Constant Contact);
 * - `unknown`: a send started but its answer was never recorded: ask Constant Contact first;
 * - `submitted`: Constant Contact has it (`activityId`); follow it until it ends;
 * - `finished`: it ended (`last`); it may still be resent if it failed;
 * - `rejected`: Constant Contact refused the request itself;
 * - `unclear`: its answer was lost and several imports could be it: the person decides;
 * - `split`: Constant Contact refused it with 400, and its contacts went on in two halves (`parts`).
 */
export interface JournalActivity {
  planned: PlannedActivity
  phase: 'pending' | 'unknown' | 'submitted' | 'finished' | 'rejected' | 'unclear' | 'split'
  attempt: number
  activityId?: string
  intentAt?: string
  submittedAt?: string
  /** Constant Contact's creation time of `activityId`. */
  createdAt?: string
  /** The run's anchor when this send was started (see the `anchor` journal entry). */
  anchor?: { activityId: string | null; createdAt: string | null }
  /** Adopted by reconciliation: check a few of its contacts are on the list before trusting it. */
  verify?: boolean
  last?: FinishedAttempt
  attempts: FinishedAttempt[]
  /** Attempts that ended since the current run started (the run's budget of resends: MAX_SENDS_PER_ACTIVITY). */
  endedThisRun: number
  rejection?: ContractErrorData
  /** The imports an unclear send could be. */
  candidates?: Array<{ activityId: string; createdAt?: string; items?: number }>
  /** The halves a refused activity was split into (phase `split`). */
  parts?: string[]
  /** Which of its records are not on the list, for the attempt that completed with problems (see `not_on_list`). */
  membersChecked?: { attempt: number; notOnList: RecordSet }
}

export interface JournalState {
  plan?: UploadPlan
  account?: AccountInfo
  lists: Partial<Record<GroupKey, { listId: string; name: string; created: boolean; memberCountBefore?: number }>>
  /** Prepared `cf:` column → Constant Contact field name, once the field is known to exist. */
  fieldNames: Map<string, string>
  activities: Map<string, JournalActivity>
  /** Every Constant Contact activity ID this job has recorded (reconciliation skips them). */
  knownActivityIds: Set<string>
  /** How the last run ended, if it ended; undefined while a run is (or was, before a crash) going. */
  ending?: {
    type: 'completed' | 'cancelled' | 'stopped'
    at: string
    error?: StopError
  }
  startedAt?: string
  lastAt?: string
  /** The current run's anchor, once recorded. */
  anchor?: { activityId: string | null; createdAt: string | null }
  /** Entry types this version doesn't know (added by later steps, e.g. Send), in order. */
  other: JournalEntry[]
}

/** Replays the journal into the state of every planned activity. */
export function replayJournal(entries: readonly JournalEntry[]): JournalState {
  const state: JournalState = {
    lists: {},
    fieldNames: new Map(),
    activities: new Map(),
    knownActivityIds: new Set(),
    other: [],
  }
  for (const entry of entries) applyEntry(state, entry)
  return state
}

/** Applies one more journal entry to the state. */
export function applyEntry(state: JournalState, entry: JournalEntry): void {
  state.lastAt = entry.at
  if (!isUploadEntry(entry)) state.other.push(entry)
  else if (entry.type === 'plan' || entry.type === 'run_started' || entry.type === 'anchor') applyRunEntry(state, entry)
  else if (entry.type === 'list_ready') state.lists[entry.group] = listOf(entry)
  else if (entry.type === 'field_ready') state.fieldNames.set(entry.column, entry.name)
  else if (entry.type === 'completed' || entry.type === 'cancelled' || entry.type === 'stopped')
    state.ending = { type: entry.type, at: entry.at, ...(entry.type === 'stopped' ? { error: entry.error } : {}) }
  else if ('activity' in entry) {
    const a = state.activities.get(entry.activity)
    if (a) applyActivityEntry(state, a, entry)
  }
}

type RunEntry = Extract<UploadEntry, { type: 'plan' | 'run_started' | 'anchor' }>
type ActivityEntry = Extract<UploadEntry, { activity: string }>

function applyRunEntry(state: JournalState, entry: RunEntry): void {
  switch (entry.type) {
    case 'plan':
      state.plan = entry.plan
      state.activities = new Map(entry.plan.activities.map((a) => [a.id, pendingActivity(a)]))
      return
    case 'run_started':
      state.startedAt ??= entry.at
      if (entry.account) state.account = entry.account
      delete state.ending
      delete state.anchor
      // Each run may send a failed activity again, as many times as the first run could.
      for (const a of state.activities.values()) a.endedThisRun = 0
      return
    case 'anchor':
      state.anchor = { activityId: entry.activityId, createdAt: entry.createdAt }
  }
}

function listOf(entry: Extract<UploadEntry, { type: 'list_ready' }>): NonNullable<JournalState['lists'][GroupKey]> {
  const { listId, name, created, memberCountBefore } = entry
  return { listId, name, created, ...(memberCountBefore !== undefined ? { memberCountBefore } : {}) }
}

function pendingActivity(planned: PlannedActivity): JournalActivity {
  return { planned, phase: 'pending', attempt: 0, attempts: [], endedThisRun: 0 }
}

function applyActivityEntry(state: JournalState, a: JournalActivity, entry: ActivityEntry): void {
  switch (entry.type) {
    case 'submit_intent':
      a.phase = 'unknown'
      a.attempt = entry.attempt
      a.intentAt = entry.at
      delete a.activityId
      delete a.createdAt
      delete a.verify
      if (state.anchor) a.anchor = state.anchor
      else delete a.anchor
      return
    case 'submitted':
    case 'reconciled':
      if (entry.activityId) {
        a.phase = 'submitted'
        a.activityId = entry.activityId
        a.submittedAt = entry.type === 'submitted' ? entry.at : (a.intentAt ?? entry.at)
        if (entry.createdAt !== undefined) a.createdAt = entry.createdAt
        else delete a.createdAt
        if (entry.type === 'reconciled' && entry.verify === true) a.verify = true
        state.knownActivityIds.add(entry.activityId)
      } else {
        a.phase = 'pending' // it never arrived (or the person said to send it again): sent again
        delete a.candidates
      }
      return
    case 'not_on_list':
    case 'members_checked': {
      // Kept as written: only the report (in its worker) looks records up, and decodes them then.
      const notOnList =
        entry.type === 'not_on_list' ? bitmapRecordSet(entry.bitmap, a.planned.count) : listRecordSet(entry.notOnList)
      if (notOnList) a.membersChecked = { attempt: entry.attempt, notOnList }
      return
    }
    case 'unclear':
      a.phase = 'unclear'
      a.candidates = entry.candidates
      return
    case 'split':
      a.phase = 'split'
      a.rejection = entry.error
      a.parts = entry.parts.map((p) => p.id)
      for (const planned of entry.parts) state.activities.set(planned.id, pendingActivity(planned))
      return
    case 'rejected':
      a.phase = 'rejected'
      a.rejection = entry.error
      return
    case 'finished':
      applyFinished(state, a, entry)
  }
}

function applyFinished(
  state: JournalState,
  a: JournalActivity,
  entry: Extract<UploadEntry, { type: 'finished' }>,
): void {
  const createdAt = entry.createdAt ?? a.createdAt
  const done: FinishedAttempt = {
    attempt: entry.attempt,
    activityId: entry.activityId,
    ...(createdAt !== undefined ? { createdAt } : {}),
    state: entry.state,
    counts: entry.counts,
    errors: entry.errors,
    moreErrors: entry.moreErrors,
    at: entry.at,
  }
  a.phase = 'finished'
  delete a.verify
  a.last = done
  a.attempts.push(done)
  a.endedThisRun++
  state.knownActivityIds.add(done.activityId)
}

/** Whether an ended activity is sent again: it failed (or timed out…), and this run's budget isn't spent. */
export function mayResend(a: JournalActivity): boolean {
  return !!a.last && RESENDABLE_STATES.has(a.last.state) && a.endedThisRun < MAX_SENDS_PER_ACTIVITY
}

/** What is left to do for an activity. */
export function nextStep(a: JournalActivity): 'send' | 'reconcile' | 'follow' | 'ask' | 'done' {
  switch (a.phase) {
    case 'pending':
      return 'send'
    case 'unknown':
      return 'reconcile'
    case 'unclear':
      return 'ask'
    case 'submitted':
      return 'follow'
    case 'rejected':
    case 'split':
      return 'done'
    case 'finished':
      return mayResend(a) ? 'send' : 'done'
  }
}

/** The activities whose contacts are still their own: every planned one, less those split into parts. */
export function liveActivities(state: JournalState): JournalActivity[] {
  return [...state.activities.values()].filter((a) => a.phase !== 'split')
}
