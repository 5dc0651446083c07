/**
 * Finding again what a request made when its answer was lost (the connection broke, the app
 * stopped between writing its intent and recording the answer). Bulk activities carry no name or
 * key of the caller's, and Constant Contact documents neither the order of GET /activities nor how
 * `items_total_count` counts ("rows, including the header row"), so an activity is recognised only
 * by what the request itself fixes:
 *
 * - its kind (an import's status has `person_count`; a list-membership activity's has `list_count`
 *   or `items_completed_count`);
 * - how many items it carried: `items_total_count` of n or n + 1 (a header row); for a removal by
 *   contact IDs anything from 0 to n (`counted: 'at_most'`: it may count only those that were on the
 *   list, which Constant Contact doesn't document either);
 * - for a list-membership activity, how many lists it went to, when the caller says (`lists`): its
 *   status counts them (`list_count`), and an export's status, which looks alike, doesn't;
 * - when: created between the intent (less a margin for the two clocks) and now (plus the margin);
 * - not one the caller has already accounted for;
 *
 * over every activity of that window, whatever order the pages come in. The list an activity went
 * to can't be read from it: a caller that adopts a match checks that afterwards (the upload looks
 * for a few of its contacts on the list). Exactly one candidate is the lost activity; none means the
 * request never arrived; several means it can't be told apart, and the person is asked — nothing is
 * sent again on a guess.
 *
 *   readActivitiesCreatedBetween(client, fromMs, untilMs)   every activity created in the window
 *   matchLostActivity(activities, query)                     → { found: 'none' | 'one' | 'several', … }
 *   findLostActivity(client, query)                          both in one
 */
import type { CcClient } from './client'
import type { Activity } from './types'

/** How far Constant Contact's clock (its `created_at`) may be from this computer's. */
export const CLOCK_MARGIN_MS = 5 * 60_000
/** Pages of 500 read at most: 25,000 activities, far more than 10 days of any account's (1,000 queued at most). */
const MAX_PAGES = 50

type LostActivityKind = 'import' | 'list_membership'

export interface LostActivityQuery {
  kind: LostActivityKind
  /** Contacts (or contact IDs) the request carried. */
  items: number
  /** When the intent was written, by this computer's clock (ISO-8601 or ms). */
  since: string | number
  /** How the activity counts the items: as sent (n, or n + 1 for a header row; the default), or at most n. */
  counted?: 'as_sent' | 'at_most'
  /** The number of lists the request named (its status must say so in `list_count`). */
  lists?: number
  /** Activities already accounted for (the caller's own, recorded ones). */
  exclude?: ReadonlySet<string>
  /** Now, by this computer's clock (tests). */
  now?: number
}

export type LostActivityFinding =
  { found: 'none' } | { found: 'one'; activity: Activity } | { found: 'several'; candidates: Activity[] }

/** The kind of an activity, from the counters its status carries (undefined when it carries neither kind's). */
function activityKind(activity: Activity): LostActivityKind | undefined {
  const status = activity.status ?? {}
  if ('person_count' in status || 'correctable_count' in status || 'cannot_add_to_list_count' in status) return 'import'
  if ('list_count' in status || 'items_completed_count' in status) return 'list_membership'
  return undefined
}

/** The window a lost request's activity was created in: [intent − margin, now + margin]. */
export function lostRequestWindow(query: Pick<LostActivityQuery, 'since' | 'now'>): { from: number; until: number } {
  const since = typeof query.since === 'number' ? query.since : Date.parse(query.since)
  return { from: since - CLOCK_MARGIN_MS, until: (query.now ?? Date.now()) + CLOCK_MARGIN_MS }
}

/** The activities that could be the lost request's (see the rules above). */
export function lostActivityCandidates(activities: readonly Activity[], query: LostActivityQuery): Activity[] {
  const { from, until } = lostRequestWindow(query)
  return activities.filter((a) => {
    const created = Date.parse(a.created_at ?? '')
    const total = a.status?.items_total_count
    return (
      !!a.activity_id &&
      !query.exclude?.has(a.activity_id) &&
      activityKind(a) === query.kind &&
      countFits(total, query) &&
      (query.lists === undefined || a.status?.list_count === query.lists) &&
      created >= from &&
      created <= until
    )
  })
}

function countFits(total: number | undefined, query: LostActivityQuery): boolean {
  if (total === undefined) return false
  if (query.counted === 'at_most') return total >= 0 && total <= query.items
  return total === query.items || total === query.items + 1
}

function matchLostActivity(activities: readonly Activity[], query: LostActivityQuery): LostActivityFinding {
  const candidates = lostActivityCandidates(activities, query)
  if (candidates.length === 0) return { found: 'none' }
  if (candidates.length === 1) return { found: 'one', activity: candidates[0]! }
  return { found: 'several', candidates }
}

/**
 * Every activity GET /activities lists that was created between `fromMs` and `untilMs`, reading
 * every page: the order of the list is not documented, so no page can be skipped.
 */
export async function readActivitiesCreatedBetween(
  client: CcClient,
  fromMs: number,
  untilMs: number,
  signal?: AbortSignal,
): Promise<Activity[]> {
  const call = signal ? { signal } : {}
  const found: Activity[] = []
  let page = await client.getActivities({ limit: 500 }, call)
  for (let n = 1; ; n++) {
    for (const a of page.activities ?? []) {
      const created = Date.parse(a.created_at ?? '')
      if (created >= fromMs && created <= untilMs) found.push(a as Activity)
    }
    const next = page._links?.next?.href
    if (!next || n >= MAX_PAGES) return found
    page = await client.getActivities({ next }, call)
  }
}

export async function findLostActivity(
  client: CcClient,
  query: LostActivityQuery,
  signal?: AbortSignal,
): Promise<LostActivityFinding> {
  const { from, until } = lostRequestWindow(query)
  return matchLostActivity(await readActivitiesCreatedBetween(client, from, until, signal), query)
}
