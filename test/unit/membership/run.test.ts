import { readFileSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CcClient } from '../../../electron/services/constant-contact/client'
import { DEFAULT_QUIRKS } from '../../../electron/services/cc-simulator/api-context'
import {
  compareLists,
  MEMBERSHIP_FILES,
  MEMBERSHIP_JOURNAL,
  startMembership,
  type ComparisonRecord,
  type MembershipChoice,
  type MembershipRunOptions,
} from '../../../electron/services/membership/index'
import type { MembershipPolicy } from '../../../shared/membership/schemas'
import { batchesOf, type PlanEntry } from '../../../electron/services/membership/journal-state'
import type { GroupKey } from '../../../shared/ids'
import {
  TEST_POLL,
  members,
  removalActivities,
  sortedUnique,
  twoMonths,
  uploadMonth,
  type Month,
  fastAccount,
} from './helpers'

/**
 * The membership step against the local Constant Contact: month 1 uploaded, month 2 compared,
 * uploaded and brought in line with each choice; lost answers, unsure outcomes, changed lists and
 * damaged files. One signed-in account for the file; fast limits and timings.
 */
let ctx: Awaited<ReturnType<typeof fastAccount>>
let client: CcClient
let run = 0

beforeAll(async () => {
  ctx = await fastAccount()
  client = ctx.client
}, 30_000)
afterAll(() => ctx?.close())
afterEach(() => {
  ctx.sim.control.clearFaults()
  ctx.sim.control.setQuirks(DEFAULT_QUIRKS)
  ctx.sim.control.setStrict(false)
})

const FAST: MembershipRunOptions = {
  poll: TEST_POLL,
  exports: { poll: TEST_POLL },
  comparison: 'here',
}

interface Scenario {
  month1: Month
  month2: Month
  ids: Record<GroupKey, string>
  names: [string, string]
  before: Record<GroupKey, string[]>
  record: ComparisonRecord
}

/** Month 1 uploaded to two new lists, month 2 compared with them (as the plan does) and uploaded. */
async function scenario(
  spec: Parameters<typeof twoMonths>[0],
  comparison: 'here' | 'worker' = 'here',
  beforeUpload?: (s: Pick<Scenario, 'month1' | 'month2' | 'ids'>) => Promise<void>,
): Promise<Scenario> {
  run++
  const names: [string, string] = [`Run ${run} zero`, `Run ${run} one`]
  const { month1, month2 } = await twoMonths({ tag: `r${run}-`, ...spec })
  const ids = await uploadMonth(client, month1, names)
  const before = { '0': members(ctx.sim, ids['0']), '1': members(ctx.sim, ids['1']) }
  const record = await compareLists(
    month2.dir,
    client,
    { '0': { listId: ids['0'], listName: names[0] }, '1': { listId: ids['1'], listName: names[1] } },
    { ...FAST, comparison },
  )
  await beforeUpload?.({ month1, month2, ids })
  await uploadMonth(client, month2, names)
  return { month1, month2, ids, names, before, record }
}

/** The removals of a policy for a scenario's month 2, at the tests' pace. */
function runRemovals(s: Scenario, policy: MembershipPolicy, options: MembershipRunOptions = {}) {
  return startMembership(s.month2.dir, client, { choice: choice(s, policy) }, { ...FAST, ...options }).done
}

function choice(s: Scenario, policy: MembershipPolicy): MembershipChoice {
  const confirmed: MembershipChoice['confirmed'] = {}
  for (const l of s.record.comparison.lists) confirmed[l.group] = { movedOut: l.movedOut, notInFile: l.notInFile }
  return {
    policy,
    lists: { '0': { listId: s.ids['0'], listName: s.names[0] }, '1': { listId: s.ids['1'], listName: s.names[1] } },
    confirmed,
  }
}

/** After "move": each list lost the other group of the file and gained its own; nobody else changed. */
function expectMoved(s: Scenario): void {
  for (const [g, other] of [
    ['0', '1'],
    ['1', '0'],
  ] as const) {
    const otherGroup = new Set(s.month2.groups[other])
    const expected = sortedUnique([...s.before[g].filter((e) => !otherGroup.has(e)), ...s.month2.groups[g]])
    expect(members(ctx.sim, s.ids[g])).toEqual(expected)
  }
  const zero = new Set(members(ctx.sim, s.ids['0']))
  expect(members(ctx.sim, s.ids['1']).filter((e) => zero.has(e))).toEqual([])
}

function journal(dir: string): Array<Record<string, unknown>> {
  return readFileSync(join(dir, MEMBERSHIP_JOURNAL), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}

/** Contacts in the first removal planned (list 0's first batch of movers). */
function firstBatch(dir: string): number {
  const plan = journal(dir).find((e) => e.type === 'plan') as PlanEntry
  return batchesOf(plan)[0]!.count
}

function batchCount(dir: string): number {
  const plans = journal(dir).filter((e) => e.type === 'plan') as PlanEntry[]
  return plans.reduce((n, p) => n + batchesOf(p).length, 0)
}

describe('month 1 → month 2 with 10,000 contacts (7 % flip, 3 % leave)', () => {
  it('“move”: nobody is on both lists afterwards and nobody else changed, in removals of at most 500 from one list', async () => {
    // The comparison in its worker thread, as the app runs it.
    const s = await scenario({ contacts: 10_000, flip: 0.07, leave: 0.03, join: 0.02 }, 'worker')
    const [zero, one] = s.record.comparison.lists
    expect(zero!.movedOut + one!.movedOut).toBeGreaterThan(600) // ≈ 7 % of 10,000
    expect(zero!.notInFile + one!.notInFile).toBeGreaterThan(200) // ≈ 3 %
    const requestsBefore = ctx.sim.control.requests().length
    const removalsBefore = removalActivities(ctx.sim).length

    const result = await runRemovals(s, 'move')
    expect(result.outcome, JSON.stringify(result.error)).toBe('done')
    expectMoved(s)
    expect(result.lists.map((l) => l.removed)).toEqual([zero!.movedOut, one!.movedOut])

    const removals = removalActivities(ctx.sim).slice(removalsBefore)
    expect(removals).toHaveLength(batchCount(s.month2.dir))
    for (const r of removals) {
      expect(r.items).toBeLessThanOrEqual(500)
      expect(r.lists).toHaveLength(1)
    }
    // The saved exports from the plan were used: no list was read again, and never page by page.
    const during = ctx.sim.control.requests().slice(requestsBefore)
    expect(during.filter((r) => r.path === '/activities/contact_exports')).toHaveLength(0)
    expect(during.filter((r) => r.path === '/contacts')).toHaveLength(0)
  }, 120_000)

  it('“match”: each list equals its group of the file', async () => {
    const s = await scenario({ contacts: 10_000, flip: 0.07, leave: 0.03, join: 0.02 })
    const result = await runRemovals(s, 'match')
    expect(result.outcome, JSON.stringify(result.error)).toBe('done')
    expect(members(ctx.sim, s.ids['0'])).toEqual(sortedUnique(s.month2.groups['0']))
    expect(members(ctx.sim, s.ids['1'])).toEqual(sortedUnique(s.month2.groups['1']))
  }, 120_000)
})

/** Someone else's removal, by contact IDs, of every other contact who moves from one group to the other. */
async function colleagueTakesOffHalfTheMovers(s: Pick<Scenario, 'month1' | 'month2' | 'ids'>): Promise<void> {
  const contactIds = new Map(ctx.sim.control.snapshot().contacts.map((c) => [c.address.toLowerCase(), c.contact_id]))
  for (const [from, to] of [
    ['0', '1'],
    ['1', '0'],
  ] as const) {
    const arrived = new Set(s.month2.groups[to])
    const movers = s.month1.groups[from].filter((e) => arrived.has(e)).filter((_, i) => i % 2 === 0)
    const removal = await client.removeListMemberships({
      list_ids: [s.ids[from]],
      source: { contact_ids: movers.map((e) => contactIds.get(e)!) },
    })
    await waitForActivity(removal.activity_id!)
  }
}

describe('removals', () => {
  it('“add only” removes nobody', async () => {
    const s = await scenario({ contacts: 200, flip: 0.1, leave: 0.05 })
    const removalsBefore = removalActivities(ctx.sim).length
    const result = await runRemovals(s, 'add')
    expect(result.outcome).toBe('nothing_to_do')
    expect(removalActivities(ctx.sim)).toHaveLength(removalsBefore)
  }, 60_000)

  it('finds a removal whose answer was lost, whatever the order of GET /activities and however it counts, and never sends it twice', async () => {
    // A colleague took every other customer whose flag changed off their old list after the plan
    // read the lists (before this month's upload): the removals then carry IDs that are no longer
    // members, and a removal that counts only members counts fewer than it was sent.
    const s = await scenario({ contacts: 300, flip: 0.2, leave: 0.05 }, 'here', colleagueTakesOffHalfTheMovers)
    ctx.sim.control.setStrict(true)
    ctx.sim.control.setQuirks({ removalCount: 'members' })
    loseRemovalAnswer('after_handling', 2)
    const removalsBefore = removalActivities(ctx.sim).length
    const result = await runRemovals(s, 'move', { batchSize: 20 })
    expect(result.outcome, JSON.stringify(result.error)).toBe('done')
    expectMoved(s)
    expect(removalActivities(ctx.sim).length - removalsBefore).toBe(batchCount(s.month2.dir))
    const found = journal(s.month2.dir).filter((e) => e.type === 'remove_reconciled')
    expect(found).toHaveLength(2)
    expect(found.every((e) => typeof e.activityId === 'string')).toBe(true)
  }, 60_000)

  it('sends again a removal that never arrived', async () => {
    const s = await scenario({ contacts: 200, flip: 0.2, leave: 0.05 })
    loseRemovalAnswer('before_handling')
    const removalsBefore = removalActivities(ctx.sim).length
    const result = await runRemovals(s, 'move', { batchSize: 25 })
    expect(result.outcome, JSON.stringify(result.error)).toBe('done')
    expectMoved(s)
    expect(removalActivities(ctx.sim).length - removalsBefore).toBe(batchCount(s.month2.dir))
    expect(journal(s.month2.dir).find((e) => e.type === 'remove_reconciled')).toMatchObject({ activityId: null })
  }, 60_000)

  it('takes a lone look-alike for the lost removal only once it is seen to have removed ours', async () => {
    const s = await scenario({ contacts: 200, flip: 0.2, leave: 0.05 })
    // Ours never arrives; someone else's removal, just before, looks like it.
    await someoneElsesRemoval()
    loseRemovalAnswer('before_handling')
    const result = await runRemovals(s, 'move', { batchSize: 25 })
    expect(result.outcome, JSON.stringify(result.error)).toBe('done')
    expectMoved(s)
    const entries = journal(s.month2.dir)
    expect(entries.find((e) => e.type === 'remove_reconciled')).toMatchObject({ activityId: expect.any(String) })
    expect(entries.find((e) => e.type === 'remove_finished' && e.state === 'lost')).toBeDefined()
  }, 60_000)

  it('stops and asks when several activities could be the lost one; the answer is journaled', async () => {
    const s = await scenario({ contacts: 200, flip: 0.2, leave: 0.05 })
    await someoneElsesRemoval()
    loseRemovalAnswer('after_handling')
    const stopped = await runRemovals(s, 'move', { batchSize: 25 })
    expect(stopped.outcome).toBe('stopped')
    expect(stopped.error).toMatchObject({ code: 'membership_unsure', message: expect.stringContaining('can’t tell') })
    expect(stopped.lists.reduce((n, l) => n + l.notRemoved, 0)).toBe(firstBatch(s.month2.dir))

    // Run again without an answer: it still asks, and sends nothing.
    const removals = removalActivities(ctx.sim).length
    const again = await startMembership(s.month2.dir, client, { resume: true }, FAST).done
    expect(again.error?.code).toBe('membership_unsure')
    expect(removalActivities(ctx.sim)).toHaveLength(removals)

    const answered = await startMembership(s.month2.dir, client, { resume: true }, { ...FAST, unsure: 'send_again' })
      .done
    expect(answered.outcome).toBe('done')
    expectMoved(s)
    expect(journal(s.month2.dir).filter((e) => e.type === 'remove_resolved')).toEqual([
      expect.objectContaining({ decision: 'send_again' }),
    ])
  }, 60_000)

  it('counts a removal the person says is done as unconfirmed, never as removed', async () => {
    const s = await scenario({ contacts: 120, flip: 0.2, leave: 0.05 })
    await someoneElsesRemoval()
    loseRemovalAnswer('after_handling')
    const result = await runRemovals(s, 'move', { batchSize: 10, unsure: 'done' })
    expect(result.outcome).toBe('done')
    expect(result.lists.reduce((n, l) => n + l.unconfirmed, 0)).toBe(firstBatch(s.month2.dir))
    expectMoved(s) // it had arrived
  }, 60_000)

  it('refuses to remove more than the person confirmed when the lists changed since the plan', async () => {
    const s = await scenario({ contacts: 200, flip: 0.2, leave: 0.05 })
    // Someone puts three more of group 1 on list 0 after the plan was shown.
    const extra = s.month2.groups['1'].filter((e) => !s.before['0'].includes(e)).slice(0, 3)
    const add = await client.importContactsJson({
      import_data: extra.map((email) => ({ email })),
      list_ids: [s.ids['0']],
    })
    await waitForActivity(add.activity_id!)
    const result = await startMembership(
      s.month2.dir,
      client,
      { choice: choice(s, 'move') },
      { ...FAST, exports: { ...FAST.exports, trustMs: 0 } }, // the saved exports are not trusted: read again
    ).done
    expect(result.outcome).toBe('stopped')
    expect(result.error).toMatchObject({ code: 'membership_plan_changed' })
    expect(result.error?.message).toMatch(/would now leave/)
  }, 60_000)

  it('reads the lists again when a leaving file is damaged after removals began, and removes nobody twice', async () => {
    const s = await scenario({ contacts: 300, flip: 0.2, leave: 0.05 })
    let cancelled = false
    const first = startMembership(
      s.month2.dir,
      client,
      { choice: choice(s, 'move') },
      {
        ...FAST,
        batchSize: 10,
        maxInFlight: 1,
        onProgress: (p) => {
          if (!cancelled && p.lists.some((l) => l.activitiesFinished >= 1)) {
            cancelled = true
            first.cancel()
          }
        },
      },
    )
    expect((await first.done).outcome).toBe('cancelled')
    for (const group of ['0', '1'] as const) {
      const file = join(s.month2.dir, MEMBERSHIP_FILES.leaving(group, 'moved'))
      writeFileSync(file, readFileSync(file, 'utf8').split('\r\n').slice(0, 5).join('\r\n'))
    }
    const removalsBefore = removalActivities(ctx.sim).length
    const result = await startMembership(s.month2.dir, client, { resume: true }, { ...FAST, batchSize: 10 }).done
    expect(result.outcome, JSON.stringify(result.error)).toBe('done')
    expectMoved(s)
    const plans = journal(s.month2.dir).filter((e) => e.type === 'plan')
    expect(plans.map((p) => p.generation)).toEqual([1, 2])
    // The new plan holds only who was still on a list: no contact is removed twice.
    expect(removalActivities(ctx.sim).length - removalsBefore).toBe(batchesOf(plans[1] as PlanEntry).length)
  }, 60_000)

  it('sends again a removal that failed, and continues a finished run without sending anything', async () => {
    const s = await scenario({ contacts: 200, flip: 0.2, leave: 0.05 })
    ctx.sim.control.failNextActivities({ state: 'failed', atPercent: 0 }, 1)
    const result = await runRemovals(s, 'move', { batchSize: 25 })
    expect(result.outcome).toBe('done')
    expectMoved(s)
    const finished = journal(s.month2.dir).filter((e) => e.type === 'remove_finished')
    expect(finished.filter((e) => e.state === 'failed')).toHaveLength(1)

    const removals = removalActivities(ctx.sim).length
    const again = await runRemovals(s, 'move')
    expect(again.outcome).toBe('done')
    expect(removalActivities(ctx.sim)).toHaveLength(removals)
  }, 60_000)

  it('reports a removal Constant Contact refuses and still makes the others', async () => {
    const s = await scenario({ contacts: 200, flip: 0.2, leave: 0.05 })
    ctx.sim.control.inject({
      kind: 'refuse',
      status: 400,
      match: { method: 'POST', path: '/activities/remove_list_memberships' },
    })
    const result = await runRemovals(s, 'move', { batchSize: 25 })
    expect(result.outcome).toBe('some_not_removed')
    const refused = firstBatch(s.month2.dir)
    expect(result.lists.reduce((n, l) => n + l.notRemoved, 0)).toBe(refused)
    expect(journal(s.month2.dir).filter((e) => e.type === 'remove_rejected')).toHaveLength(1)
    // Everyone else moved: only the refused removal's contacts are still on list 0.
    const stillThere = members(ctx.sim, s.ids['0']).filter((e) => s.month2.groups['1'].includes(e))
    expect(stillThere).toHaveLength(refused)
  }, 60_000)
})

/** Someone else's removal of one contact from another list, a moment before: the same shape as ours. */
async function someoneElsesRemoval(): Promise<void> {
  const other = (await client.createList({ name: `Other ${run}` })).list_id!
  await client.removeListMemberships({
    list_ids: [other],
    source: { contact_ids: ['00000000-0000-4000-8000-000000000001'] },
  })
}

/** The next removal's answer is lost: the request never arrives (`before_handling`), or arrives and is done. */
function loseRemovalAnswer(when: 'before_handling' | 'after_handling', times = 1): void {
  ctx.sim.control.inject({
    kind: 'drop_connection',
    when,
    match: { method: 'POST', path: '/activities/remove_list_memberships' },
    times,
  })
}

async function waitForActivity(id: string): Promise<void> {
  for (;;) {
    const a = await client.getActivity(id)
    if (['completed', 'failed', 'timed_out'].includes(a.state!)) return
    await sleep(30)
  }
}
