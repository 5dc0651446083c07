import type { CcClient } from '../constant-contact/client'
import {
  lostActivityCandidates,
  lostRequestWindow,
  readActivitiesCreatedBetween,
} from '../constant-contact/lost-requests'
import type { Activity } from '../constant-contact/types'
import type { JournalActivity, JournalState } from './journal-state'

/**
 * After a restart, or within a run right after a send whose answer was lost (the import is sent
 * with `repeatable: false`, so the connection layer never resends it itself), an activity whose
 * send was started but whose answer was never recorded may or may not exist in Constant Contact.
 * It is looked for with the rule of ../constant-contact/lost-requests.ts — an import of n or n + 1
 * items, created between the send's intent and now, over every page of GET /activities in
 * whatever order they come — plus two facts of the job's own, by Constant Contact's own clock:
 * sends are one at a time, so the lost one was created no earlier than every activity this job
 * recorded before it; and no earlier than the newest activity the account had when the run began
 * (its anchor: the latest `created_at` over every page, since the list's order isn't documented).
 *
 * - No candidate: it never arrived, and is sent again.
 * - One: it is adopted, and checked when it ends (a few of its contacts must be on the group's
 *   list: the list is what a match can't be told by), or it is sent again.
 * - Several: it can't be told apart from another import of the same size sent at the same time
 *   (another job, or someone else on the account). Nothing is sent again on a guess: the run stops
 *   and the person decides (`resendUnclear`).
 */
export interface ReconcileDecision {
  activity: JournalActivity
  found: 'none' | 'one' | 'several'
  activityId: string | null
  createdAt?: string
  /** The imports it could be (found: several). */
  candidates?: Array<{ activityId: string; createdAt?: string; items?: number }>
}

export async function reconcileUnknownSends(
  client: CcClient,
  state: JournalState,
  signal?: AbortSignal,
): Promise<ReconcileDecision[]> {
  const unknown = [...state.activities.values()]
    .filter((a) => a.phase === 'unknown')
    .sort((a, b) => (a.intentAt ?? '').localeCompare(b.intentAt ?? ''))
  if (unknown.length === 0) return []
  const now = Date.now()
  const { from } = lostRequestWindow({ since: unknown[0]!.intentAt ?? new Date(now).toISOString(), now })
  const { until } = lostRequestWindow({ since: now, now })
  const activities = await readActivitiesCreatedBetween(client, from, until, signal)
  const lastRecorded = lastRecordedCreation(state)
  const taken = new Set(state.knownActivityIds)
  const decisions: ReconcileDecision[] = []
  for (const activity of unknown) {
    const candidates = lostActivityCandidates(activities, {
      kind: 'import',
      items: activity.planned.count,
      since: activity.intentAt ?? new Date(now).toISOString(),
      exclude: taken,
      now,
    }).filter((c) => newEnough(c, activity, lastRecorded))
    decisions.push(decide(activity, candidates))
    if (candidates.length === 1) taken.add(candidates[0]!.activity_id!)
  }
  return decisions
}

/** Created no earlier than what this job recorded before, and than the run's anchor (and not the anchor itself). */
function newEnough(candidate: Activity, activity: JournalActivity, lastRecorded: number | undefined): boolean {
  const created = Date.parse(candidate.created_at ?? '')
  if (lastRecorded !== undefined && created < lastRecorded) return false
  const anchor = activity.anchor
  if (!anchor) return true
  return candidate.activity_id !== anchor.activityId && !(created < Date.parse(anchor.createdAt ?? ''))
}

/**
 * The newest activity Constant Contact has now: a run's anchor. The order of GET /activities is
 * not documented, so every page is read and the latest `created_at` taken.
 */
export async function newestActivity(
  client: CcClient,
  signal?: AbortSignal,
): Promise<{ activityId: string | null; createdAt: string | null }> {
  let newest: Activity | undefined
  for (const a of await readActivitiesCreatedBetween(client, -Infinity, Infinity, signal)) {
    if (!newest || Date.parse(a.created_at ?? '') > Date.parse(newest.created_at ?? '')) newest = a
  }
  return { activityId: newest?.activity_id ?? null, createdAt: newest?.created_at ?? null }
}

function decide(activity: JournalActivity, candidates: Activity[]): ReconcileDecision {
  if (candidates.length === 0) return { activity, found: 'none', activityId: null }
  if (candidates.length === 1) {
    const match = candidates[0]!
    return {
      activity,
      found: 'one',
      activityId: match.activity_id!,
      ...(match.created_at ? { createdAt: match.created_at } : {}),
    }
  }
  return {
    activity,
    found: 'several',
    activityId: null,
    candidates: candidates.map((c) => ({
      activityId: c.activity_id!,
      ...(c.created_at ? { createdAt: c.created_at } : {}),
      ...(c.status?.items_total_count !== undefined ? { items: c.status.items_total_count } : {}),
    })),
  }
}

/** Constant Contact's creation time of the newest activity this job recorded. */
function lastRecordedCreation(state: JournalState): number | undefined {
  let latest: number | undefined
  for (const a of state.activities.values()) {
    const times = [a.phase === 'submitted' ? a.createdAt : undefined, ...a.attempts.map((t) => t.createdAt)]
    for (const t of times) {
      const ms = Date.parse(t ?? '')
      if (Number.isFinite(ms) && (latest === undefined || ms > latest)) latest = ms
    }
  }
  return latest
}
