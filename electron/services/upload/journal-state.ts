import type { ContractErrorData } from '../../../shared/errors'
import type { StopError, AccountInfo, ImportCounts } from '../../../shared/upload/schemas'
import type { JournalEntry } from './journal'
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
  const activity = (id: unknown): JournalActivity | undefined => state.activities.get(String(id))
  {
    state.lastAt = entry.at
    const e = entry as Record<string, unknown> & JournalEntry
    switch (entry.type) {
      case 'plan': {
        const plan = e.plan as UploadPlan
        state.plan = plan
        state.activities = new Map(
          plan.activities.map((a) => [
            a.id,
            { planned: a, phase: 'pending', attempt: 0, attempts: [], endedThisRun: 0 },
          ]),
        )
        break
      }
      case 'run_started':
        state.startedAt ??= entry.at
        if (e.account) state.account = e.account as AccountInfo
        delete state.ending
        delete state.anchor
        // Each run may send a failed activity again, as many times as the first run could.
        for (const a of state.activities.values()) a.endedThisRun = 0
        break
      case 'anchor':
        state.anchor = {
          activityId: (e.activityId as string | null) ?? null,
          createdAt: (e.createdAt as string | null) ?? null,
        }
        break
      case 'list_ready':
        state.lists[e.group as GroupKey] = {
          listId: String(e.listId),
          name: String(e.name),
          created: e.created === true,
          ...(typeof e.memberCountBefore === 'number' ? { memberCountBefore: e.memberCountBefore } : {}),
        }
        break
      case 'field_ready':
        state.fieldNames.set(String(e.column), String(e.name))
        break
      case 'submit_intent': {
        const a = activity(e.activity)
        if (!a) break
        a.phase = 'unknown'
        a.attempt = Number(e.attempt)
        a.intentAt = entry.at
        delete a.activityId
        delete a.createdAt
        delete a.verify
        if (state.anchor) a.anchor = state.anchor
        else delete a.anchor
        break
      }
      case 'submitted':
      case 'reconciled': {
        const a = activity(e.activity)
        if (!a) break
        if (e.activityId) {
          a.phase = 'submitted'
          a.activityId = String(e.activityId)
          a.submittedAt = entry.type === 'submitted' ? entry.at : (a.intentAt ?? entry.at)
          if (typeof e.createdAt === 'string') a.createdAt = e.createdAt
          else delete a.createdAt
          if (entry.type === 'reconciled' && e.verify === true) a.verify = true
          state.knownActivityIds.add(a.activityId)
        } else {
          a.phase = 'pending' // it never arrived (or the person said to send it again): sent again
          delete a.candidates
        }
        break
      }
      case 'not_on_list':
      case 'members_checked': {
        const a = activity(e.activity)
        if (!a) break
        // Kept as written: only the report (in its worker) looks records up, and decodes them then.
        const notOnList =
          entry.type === 'not_on_list' ? bitmapRecordSet(e.bitmap, a.planned.count) : listRecordSet(e.notOnList)
        if (notOnList) a.membersChecked = { attempt: Number(e.attempt), notOnList }
        break
      }
      case 'unclear': {
        const a = activity(e.activity)
        if (!a) break
        a.phase = 'unclear'
        a.candidates = (e.candidates as JournalActivity['candidates']) ?? []
        break
      }
      case 'split': {
        const a = activity(e.activity)
        if (!a) break
        const parts = e.parts as PlannedActivity[]
        a.phase = 'split'
        a.rejection = e.error as ContractErrorData
        a.parts = parts.map((p) => p.id)
        for (const planned of parts)
          state.activities.set(planned.id, { planned, phase: 'pending', attempt: 0, attempts: [], endedThisRun: 0 })
        break
      }
      case 'rejected': {
        const a = activity(e.activity)
        if (!a) break
        a.phase = 'rejected'
        a.rejection = e.error as ContractErrorData
        break
      }
      case 'finished': {
        const a = activity(e.activity)
        if (!a) break
        const done: FinishedAttempt = {
          attempt: Number(e.attempt),
          activityId: String(e.activityId),
          ...(typeof e.createdAt === 'string'
            ? { createdAt: e.createdAt }
            : a.createdAt
              ? { createdAt: a.createdAt }
              : {}),
          state: String(e.state),
          counts: e.counts as ImportCounts,
          errors: (e.errors as string[]) ?? [],
          moreErrors: Number(e.moreErrors ?? 0),
          at: entry.at,
        }
        a.phase = 'finished'
        delete a.verify
        a.last = done
        a.attempts.push(done)
        a.endedThisRun++
        state.knownActivityIds.add(done.activityId)
        break
      }
      case 'completed':
      case 'cancelled':
      case 'stopped':
        state.ending = {
          type: entry.type,
          at: entry.at,
          ...(e.error ? { error: e.error as StopError } : {}),
        }
        break
      case 'list_intent':
      case 'field_intent':
        break
      default:
        state.other.push(entry)
    }
  }
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
