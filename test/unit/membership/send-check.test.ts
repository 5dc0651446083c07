import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CcClient } from '../../../electron/services/constant-contact/client'
import type { MembershipProgress } from '../../../shared/membership/schemas'
import { bothListsCheck, moveOnBothListsNow } from '../../../electron/services/send/both-lists-check'
import { sendAnywayOnBothLists, uploadJournalOutcomes } from '../../../electron/services/send/index'
import { TEST_POLL, fastAccount, members, twoMonths, uploadMonth } from './helpers'

/**
 * The Send step's check that nobody is on both lists: after a month uploaded with "add only", the
 * customers whose flag flipped are on both; the check blocks with the count and names, reads the
 * lists only again when they changed, and "move them now" or "send anyway" settle it.
 */
let ctx: Awaited<ReturnType<typeof fastAccount>>
let client: CcClient

beforeAll(async () => {
  ctx = await fastAccount()
  client = ctx.client
}, 30_000)
afterAll(() => ctx?.close())

const OPTIONS = { poll: TEST_POLL, comparison: 'here' as const }
const exportsAsked = () => ctx.sim.control.requests().filter((r) => r.path === '/activities/contact_exports').length

describe('nobody is on both lists', () => {
  it('blocks with the count and names, then “move them now” takes each off the other group’s list', async () => {
    const { month1, month2, flipped } = await twoMonths({ contacts: 400, flip: 0.1, leave: 0.05, tag: 'both-' })
    const ids = await uploadMonth(client, month1, ['Both zero', 'Both one'])
    await uploadMonth(client, month2, ['Both zero', 'Both one']) // "add only": the flipped are on both now
    // Someone who isn't in the file is on both lists too (added another way).
    const other = await client.importContactsJson({
      import_data: [{ email: 'stranger@example.com', first_name: 'Sam', last_name: 'Stranger' }],
      list_ids: [ids['0'], ids['1']],
    })
    for (;;) if ((await client.getActivity(other.activity_id!)).state === 'completed') break

    const uploads = await uploadJournalOutcomes(month2.dir)
    const blocked = await bothListsCheck(month2.dir, client, uploads, OPTIONS)
    expect(blocked).toMatchObject({ id: 'one_list_each', result: 'blocked' })
    expect(blocked!.bothLists).toMatchObject({ onBoth: flipped.length + 1, movable: flipped.length })
    expect(blocked!.message).toMatch(
      new RegExp(
        `^${flipped.length + 1} contacts are on both “Both zero” and “Both one”, so they would get both messages — for example `,
      ),
    )
    expect(blocked!.hint).toMatch(
      new RegExp(
        `^Move them now: the ${flipped.length} of them who are in this file are taken off the list of the group they aren’t in`,
      ),
    )
    expect(blocked!.hint).toContain('1 aren’t in this file')

    // Asked again with nothing changed (the other group's check): no list is read again.
    const asked = exportsAsked()
    expect(await bothListsCheck(month2.dir, client, uploads, OPTIONS)).toEqual(blocked)
    expect(exportsAsked()).toBe(asked)

    const seen: MembershipProgress[] = []
    const moved = await moveOnBothListsNow(month2.dir, client, uploads, {
      ...OPTIONS,
      onProgress: (p) => void seen.push(p),
    })
    expect(moved.outcome).toBe('done')
    // Its progress, for the bar on the Send step: the exports read to the end, the comparison, then
    // the removals counted up to everyone moved.
    const phases = seen.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1])
    expect(phases).toEqual(expect.arrayContaining(['reading_lists', 'comparing', 'removing', 'finished']))
    expect(phases.indexOf('reading_lists')).toBeLessThan(phases.indexOf('comparing'))
    expect(phases.indexOf('comparing')).toBeLessThan(phases.indexOf('removing'))
    const reading = seen.filter((p) => p.phase === 'reading_lists').map((p) => p.readingPercent)
    expect(reading.at(-1)).toBe(100)
    expect(
      seen.filter((p) => p.phase === 'removing' || p.phase === 'finished').every((p) => p.readingPercent === undefined),
    ).toBe(true)
    expect(seen.at(-1)!.overall).toMatchObject({
      contactsDone: flipped.length,
      contactsTotal: flipped.length,
      fraction: 1,
    })
    expect(moved.lists.reduce((n, l) => n + l.removed, 0)).toBe(flipped.length)
    const zero = new Set(members(ctx.sim, ids['0']))
    expect(members(ctx.sim, ids['1']).filter((e) => zero.has(e))).toEqual(['stranger@example.com'])

    // The lists changed: checked again from fresh exports. The stranger is left to the person.
    const after = await bothListsCheck(month2.dir, client, uploads, OPTIONS)
    expect(exportsAsked()).toBeGreaterThan(asked + 2)
    expect(after).toMatchObject({ result: 'blocked', bothLists: { onBoth: 1, movable: 0 } })
    expect(after!.message).toContain('Sam Stranger <stranger@example.com>')
    // What was moved stays said.
    const off = moved.lists.filter((l) => l.removed > 0).map((l) => `${l.removed} off “${l.listName}”`)
    expect(after!.message).toContain(`Moved before sending: ${off.join(', ')}.`)

    sendAnywayOnBothLists(month2.dir, after!.bothLists!.checkedAt)
    expect(await bothListsCheck(month2.dir, client, uploads, OPTIONS)).toMatchObject({ result: 'note' })
  }, 60_000)
})
