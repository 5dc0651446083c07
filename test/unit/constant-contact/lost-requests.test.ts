import { describe, expect, it } from 'vitest'
import { lostActivityCandidates } from '../../../electron/services/constant-contact/lost-requests'
import type { Activity } from '../../../electron/services/constant-contact/types'

/**
 * The general rule for finding a lost bulk activity again, as a removal uses it: a list-membership
 * activity on one list counting at most the IDs sent (Constant Contact doesn't say whether it counts
 * every ID or only the list's members), never an export (whose status looks alike but names no list).
 */
const NOW = Date.parse('2026-03-01T12:00:00Z')
const at = (minutesAgo: number): string => new Date(NOW - minutesAgo * 60_000).toISOString()

function activity(id: string, status: Activity['status'], created = at(1)): Activity {
  return { activity_id: id, state: 'completed', created_at: created, status } as Activity
}

const removal = (id: string, total: number, lists = 1) =>
  activity(id, { items_total_count: total, items_completed_count: total, list_count: lists })
const exported = (id: string, total: number) => activity(id, { items_total_count: total, items_completed_count: total })

const query = { kind: 'list_membership', items: 20, since: at(2), now: NOW } as const
const ids = (found: Activity[]) => found.map((a) => a.activity_id)

describe('a lost removal among the account’s activities', () => {
  it('counts as sent by default: n (or n + 1), not fewer', () => {
    const all = [removal('sent-all', 20), removal('members-only', 12), removal('more', 22)]
    expect(ids(lostActivityCandidates(all, query))).toEqual(['sent-all'])
  })

  it('with counted “at most”, anything from 0 to n fits, more does not', () => {
    const all = [removal('sent-all', 20), removal('members-only', 12), removal('none', 0), removal('more', 21)]
    expect(ids(lostActivityCandidates(all, { ...query, counted: 'at_most' }))).toEqual([
      'sent-all',
      'members-only',
      'none',
    ])
  })

  it('with a number of lists, an export (no list_count) and an activity on two lists are left out', () => {
    const all = [removal('ours', 15), exported('export', 15), removal('two-lists', 15, 2)]
    expect(ids(lostActivityCandidates(all, { ...query, counted: 'at_most', lists: 1 }))).toEqual(['ours'])
    expect(ids(lostActivityCandidates(all, { ...query, counted: 'at_most' }))).toEqual(['ours', 'export', 'two-lists'])
  })
})
