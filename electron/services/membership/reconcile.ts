import type { CcClient } from '../constant-contact/client'
import type { Activity } from '../constant-contact/types'
import { CLOCK_MARGIN_MS, SEND_WINDOW_MS } from '../upload/reconcile'

/**
 * A removal whose answer was lost (or whose run was killed between the request and recording its
 * answer) may or may not exist in Constant Contact. It carries no name or key of ours, and
 * `GET /activities` promises no order and shows no list, so it is recognised by what the request
 * itself fixes, over every activity Constant Contact lists (10 days):
 * - a list-membership activity (its status counts lists; imports count people, exports have a file),
 *   on exactly one list, as every removal of ours is;
 * - of at most as many contacts as were sent (Constant Contact doesn't document whether it counts
 *   every ID sent or only the list's members, so anything from 0 to n fits);
 * - created in the window from the intent (less a margin for the two clocks) to the longest a send can take,
 *   and after the newest activity this job had already recorded (Constant Contact's clock);
 * - not an activity this job already knows.
 * None: it never arrived, and is sent again. One: it is followed, and confirmed as ours when it
 * ends (a few of its contacts must be off the list). Several: nobody can tell — nothing is sent
 * until the person decides, so a removal is never made twice by guesswork.
 */
export type LostRemoval =
  | { kind: 'none' }
  | { kind: 'one'; activityId: string; createdAt?: string }
  | { kind: 'several'; activityIds: string[] }

export interface LostRemovalQuery {
  /** Contact IDs the request carried. */
  count: number
  /** When the intent was written (this computer's clock). */
  intentAt: string
  /**
   * Constant Contact's creation time of the newest activity this job recorded before the intent (its
   * imports, its earlier removals): requests are sent one at a time, so the lost one was created
   * after it — by Constant Contact's own clock, which keeps another job's earlier removals out.
   */
  after?: string
}

export async function findLostRemoval(
  client: CcClient,
  query: LostRemovalQuery,
  known: ReadonlySet<string>,
  signal?: AbortSignal,
  now = Date.now(),
): Promise<LostRemoval> {
  const intent = Date.parse(query.intentAt)
  const after = Date.parse(query.after ?? '')
  const from = Math.max(intent - CLOCK_MARGIN_MS, Number.isFinite(after) ? after : -Infinity)
  const to = Math.max(intent + SEND_WINDOW_MS, now + CLOCK_MARGIN_MS)
  const matches: Activity[] = []
  for await (const a of everyActivity(client, signal)) {
    const created = Date.parse(a.created_at ?? '')
    if (!a.activity_id || known.has(a.activity_id)) continue
    if (!isSingleListMembership(a)) continue
    const counted = a.status?.items_total_count
    if (counted === undefined || counted < 0 || counted > query.count) continue
    if (!(created >= from && created <= to)) continue
    matches.push(a)
  }
  if (matches.length === 0) return { kind: 'none' }
  if (matches.length > 1) return { kind: 'several', activityIds: matches.map((a) => a.activity_id!) }
  const [one] = matches
  return { kind: 'one', activityId: one!.activity_id!, ...(one!.created_at ? { createdAt: one!.created_at } : {}) }
}

/** An add or remove list-membership activity on one list (the status shape tells the kinds apart). */
function isSingleListMembership(a: Activity): boolean {
  const status = a.status
  if (!status || a._links?.results) return false
  return status.list_count === 1 && status.person_count === undefined
}

/** Every activity GET /activities lists, page by page (its order is not relied on). */
async function* everyActivity(client: CcClient, signal?: AbortSignal): AsyncGenerator<Activity> {
  const call = signal ? { signal } : {}
  let page = await client.getActivities({ limit: 500 }, call)
  for (;;) {
    for (const a of page.activities ?? []) yield a as Activity
    const next = page._links?.next?.href
    if (!next) return
    page = await client.getActivities({ next }, call)
  }
}
