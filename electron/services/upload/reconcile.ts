import type { CcClient } from '../constant-contact/client'
import type { Activity } from '../constant-contact/types'
import type { JournalActivity, JournalState } from './journal-state'

/**
 * After a restart, or within a run right after a send whose answer was lost (the import is sent
 * with `repeatable: false`, so the connection layer never resends it itself), an activity whose send
 * was started but whose answer was never recorded may or may not exist in Constant Contact. Imports carry no name or key of ours, so it is recognised in
 * `GET /activities` (the last 10 days, newest first) by what can be known:
 * - an import (its status has `person_count`) with exactly the activity's number of contacts;
 * - not an activity this job already recorded;
 * - created after every activity this job recorded before it (sends are one at a time, so nothing
 *   earlier can be it; this also skips a copy the connection layer resent after a lost answer), by
 *   Constant Contact's own clock;
 * - not older than the newest activity Constant Contact had when the run began (its `anchor`);
 * - and not long after the send was started (by this computer's clock, with a wide margin).
 * When nothing matches, it never arrived and is sent again (imports upsert, so even a wrong
 * "never arrived" costs only a duplicate activity, never a lost or doubled contact). A match could
 * still be another job's import of the same size sent in that window, so an adopted activity is
 * checked when it ends: a few of its contacts must be on the list, or it is sent again.
 */
export const CLOCK_MARGIN_MS = 5 * 60_000
/** How long a send can take, retries included, before the connection layer gives up. */
export const SEND_WINDOW_MS = 20 * 60_000

export interface ReconcileDecision {
  activity: JournalActivity
  activityId: string | null
  createdAt?: string
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
  const earliestIntent = Date.parse(unknown[0]!.intentAt ?? new Date().toISOString())
  const candidates = await recentImports(client, earliestIntent - CLOCK_MARGIN_MS, signal)
  const lastRecorded = lastRecordedCreation(state)
  const taken = new Set<string>()
  const decisions: ReconcileDecision[] = []
  for (const activity of unknown) {
    const intent = Date.parse(activity.intentAt ?? '')
    const anchor = Date.parse(activity.anchor?.createdAt ?? '')
    const bounds = [lastRecorded, Number.isFinite(anchor) ? anchor : undefined].filter(
      (b): b is number => b !== undefined,
    )
    const lowerBound = bounds.length ? Math.max(...bounds) : intent - CLOCK_MARGIN_MS
    const match = candidates
      .filter((c) => {
        const created = Date.parse(c.created_at ?? '')
        return (
          !!c.activity_id &&
          c.activity_id !== activity.anchor?.activityId &&
          !state.knownActivityIds.has(c.activity_id) &&
          !taken.has(c.activity_id) &&
          c.status?.items_total_count === activity.planned.count &&
          created >= lowerBound &&
          created <= intent + SEND_WINDOW_MS
        )
      })
      // The latest: if the connection layer sent it twice, both copies hold the same contacts.
      .sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? ''))[0]
    if (match?.activity_id) taken.add(match.activity_id)
    decisions.push({
      activity,
      activityId: match?.activity_id ?? null,
      ...(match?.created_at ? { createdAt: match.created_at } : {}),
    })
  }
  return decisions
}

/** The newest activity Constant Contact has now: a run's anchor. */
export async function newestActivity(
  client: CcClient,
  signal?: AbortSignal,
): Promise<{ activityId: string | null; createdAt: string | null }> {
  const newest = (await client.getActivities({ limit: 1 }, signal ? { signal } : {})).activities?.[0]
  return { activityId: newest?.activity_id ?? null, createdAt: newest?.created_at ?? null }
}

/** Imports of the account created since `sinceMs` (Constant Contact keeps 10 days). */
async function recentImports(client: CcClient, sinceMs: number, signal?: AbortSignal): Promise<Activity[]> {
  const call = signal ? { signal } : {}
  const found: Activity[] = []
  let page = await client.getActivities({ limit: 500 }, call)
  for (;;) {
    let older = false
    for (const a of page.activities ?? []) {
      if (Date.parse(a.created_at ?? '') < sinceMs) older = true
      else if (a.status && 'person_count' in a.status) found.push(a as Activity)
    }
    const next = page._links?.next?.href
    if (older || !next) return found
    page = await client.getActivities({ next }, call)
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
