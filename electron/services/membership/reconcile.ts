import type { CcClient } from '../constant-contact/client'
import {
  lostActivityCandidates,
  lostRequestWindow,
  readActivitiesCreatedBetween,
} from '../constant-contact/lost-requests'

/**
 * A removal whose answer was lost (or whose run was killed between the request and recording its
 * answer) may or may not exist in Constant Contact. It is looked for with the rule of
 * ../constant-contact/lost-requests.ts — a list-membership activity on one list, counting at most
 * the contact IDs sent (whether it counts every ID or only the list's members isn't documented),
 * created between the intent and now, over every page of GET /activities — plus one fact of the
 * job's own, by Constant Contact's clock: removals are sent one at a time after the activities this
 * job recorded, so the lost one was created no earlier than the newest of them (which keeps another
 * job's earlier removals out).
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
  /** Constant Contact's creation time of the newest activity this job recorded before the intent. */
  after?: string
}

export async function findLostRemoval(
  client: CcClient,
  query: LostRemovalQuery,
  known: ReadonlySet<string>,
  signal?: AbortSignal,
  now = Date.now(),
): Promise<LostRemoval> {
  const { from, until } = lostRequestWindow({ since: query.intentAt, now })
  const after = Date.parse(query.after ?? '')
  const matches = lostActivityCandidates(await readActivitiesCreatedBetween(client, from, until, signal), {
    kind: 'list_membership',
    items: query.count,
    counted: 'at_most',
    lists: 1,
    since: query.intentAt,
    exclude: known,
    now,
  }).filter((a) => !(Date.parse(a.created_at ?? '') < after))
  if (matches.length === 0) return { kind: 'none' }
  if (matches.length > 1) return { kind: 'several', activityIds: matches.map((a) => a.activity_id!) }
  const [one] = matches
  return { kind: 'one', activityId: one!.activity_id!, ...(one!.created_at ? { createdAt: one!.created_at } : {}) }
}
