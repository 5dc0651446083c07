import { describe, expect, it } from 'vitest'
import { buildImportBody, IMPORT_LIMITS } from '../../../electron/services/upload/chunks'
import { contactBuilder } from '../../../electron/services/upload/contact-json'
import { openGroupFile } from '../../../electron/services/upload/group-file'
import { planUpload } from '../../../electron/services/upload/index'
import type { UploadChoices } from '../../../shared/upload/schemas'
import { CC_LIMITS } from '../../../electron/services/constant-contact/limits'
import { connectedAccountPerTest } from '../constant-contact/helpers'
import { expectOutcome, listEmails, preparedJob, sorted, upload } from './helpers'

const connectAccount = connectedAccountPerTest()

async function setup() {
  const ctx = await connectAccount({ speed: 'instant', seed: 'empty' })
  return { ...ctx, client: await ctx.account.client() }
}

const byName = (a: string, b: string, extra: Partial<UploadChoices> = {}): UploadChoices => ({
  lists: { '0': { kind: 'name', name: a }, '1': { kind: 'name', name: b } },
  createLists: true,
  createCustomFields: true,
  ...extra,
})

/** The serialised body of each planned activity, built exactly as the run sends it. */
async function measuredBodies(dir: string, plan: Awaited<ReturnType<typeof planUpload>>, listId: string) {
  const file = openGroupFile(dir, '0')
  try {
    const builder = contactBuilder(file.header, new Map(Object.entries(plan.sizing.fieldNames)))
    const bodies = []
    for (const a of plan.activities.filter((a) => a.group === '0')) {
      const built = await buildImportBody(file, a, builder, listId)
      // The text built a slice at a time is exactly what JSON.stringify makes of the whole body.
      const contacts = file.read(a.first, a.count).map((cells) => builder.build(cells))
      expect(built.text).toBe(JSON.stringify({ import_data: contacts, list_ids: [listId] }))
      const next =
        a.first + a.count < file.count ? JSON.stringify(builder.build(file.read(a.first + a.count, 1)[0]!)) : undefined
      bodies.push({ activity: a, bytes: built.bytes, next })
    }
    return bodies
  } finally {
    file.close()
  }
}

describe('the plan', () => {
  it('puts exactly 40,000 contacts in one activity and 40,001 in two, and uploads every one', async () => {
    const { client, sim } = await setup()
    const job = await preparedJob({ group0: 40_000, group1: 40_001, tag: 'limit' })
    const plan = await planUpload(job.dir, client, byName('Forty thousand', 'Forty thousand and one'))
    expect(plan.blockers).toEqual([])
    expect(plan.activities.map((a) => [a.id, a.count])).toEqual([
      ['0-1', 40_000],
      ['1-1', 40_000],
      ['1-2', 1],
    ])
    expect(plan.groups.map((g) => g.activities)).toEqual([1, 2])
    for (const a of plan.activities) expect(a.bodyBytes).toBeLessThan(CC_LIMITS.importMaxBytes)
    expect(plan.totals).toMatchObject({ contacts: 80_001, activities: 3 })
    expect(plan.estimatedSeconds).toBeGreaterThan(0)

    const result = await upload(job.dir, client, { plan }).done
    expectOutcome(result, 'all_added')
    expect(result.contactsAdded).toBe(80_001)
    const lists = plan.groups.map((g) => sim.control.snapshot().lists.find((l) => l.name === g.list!.name)!)
    expect(sorted(sim.control.listMembers(lists[0]!.list_id))).toEqual(sorted(job.emails['0']))
    expect(sorted(sim.control.listMembers(lists[1]!.list_id))).toEqual(sorted(job.emails['1']))
  }, 120_000)

  it('cuts wide rows by the measured body size, just under 4 MB, before 40,000 contacts', async () => {
    const { client, sim } = await setup()
    // ~4.6 KB a contact: 18 custom fields of 250 characters.
    const job = await preparedJob({ group0: 2_000, group1: 3, customFields: 18, customWidth: 250, tag: 'wide' })
    const plan = await planUpload(job.dir, client, byName('Wide', 'Narrow'))
    expect(plan.blockers).toEqual([])
    const group0 = plan.activities.filter((a) => a.group === '0')
    expect(group0.length).toBeGreaterThan(1)
    expect(group0.every((a) => a.count < 40_000)).toBe(true)
    expect(group0.reduce((n, a) => n + a.count, 0)).toBe(2_000)

    const result = await upload(job.dir, client, { plan }).done
    expectOutcome(result, 'all_added')
    const listId = sim.control.snapshot().lists.find((l) => l.name === 'Wide')!.list_id
    // What was measured is what is sent: every body is under 4 MB and one more contact would not be.
    for (const body of await measuredBodies(job.dir, plan, listId)) {
      expect(body.bytes).toBe(body.activity.bodyBytes)
      expect(body.bytes).toBeLessThan(CC_LIMITS.importMaxBytes)
      if (body.next)
        expect(body.bytes + 1 + Buffer.byteLength(body.next)).toBeGreaterThanOrEqual(CC_LIMITS.importMaxBytes)
    }
    // The local Constant Contact drops anything past 4 MB, exactly like the real one: nothing was.
    expect(sorted(sim.control.listMembers(listId))).toEqual(sorted(job.emails['0']))
    const contact = (await client.getContacts({ email: job.emails['0'][5]!, include: 'custom_fields' })).contacts![0]!
    expect(contact.custom_fields).toHaveLength(18)
  }, 120_000)

  it('respects a smaller limit exactly (the same code path as 40,000)', async () => {
    const { client } = await setup()
    const job = await preparedJob({ group0: 10, group1: 11, tag: 'small' })
    const plan = await planUpload(job.dir, client, byName('S0', 'S1'), { limits: { ...IMPORT_LIMITS, maxContacts: 5 } })
    expect(plan.activities.map((a) => `${a.id}:${a.first}+${a.count}`)).toEqual([
      '0-1:0+5',
      '0-2:5+5',
      '1-1:0+5',
      '1-2:5+5',
      '1-3:10+1',
    ])
  })
})

describe('lists', () => {
  it('finds a list by exact name, warns with its member count, and never makes a second one on a re-run', async () => {
    const { client, sim } = await setup()
    const existing = await client.createList({ name: 'Members' })
    const imported = await client.importContactsJson({
      import_data: [{ email: 'old1@example.com' }, { email: 'old2@example.com' }],
      list_ids: [existing.list_id!],
    })
    // At the instant speed a small import is done by the next request.
    expect((await client.getActivity(imported.activity_id!)).state).toBe('completed')
    const job = await preparedJob({ group0: 3, group1: 2, tag: 'find' })

    const plan = await planUpload(job.dir, client, byName('Members', 'Brand new'))
    expect(plan.groups[0]!.list).toMatchObject({
      name: 'Members',
      listId: existing.list_id,
      exists: true,
      memberCount: 2,
    })
    expect(plan.groups[1]!.list).toMatchObject({ name: 'Brand new', exists: false })
    expect(plan.warnings.join('\n')).toMatch(/“Members” \(for “Flag: no”\) already has 2 members/)
    expect(plan.warnings.join('\n')).toMatch(/new list “Brand new” will be created/)
    expectOutcome(await upload(job.dir, client, { plan }).done, 'all_added')

    // A second job to the same names: found, not created again.
    const again = await preparedJob({ group0: 1, group1: 1, tag: 'again' })
    const plan2 = await planUpload(again.dir, client, byName('Members', 'Brand new'))
    expect(plan2.groups.map((g) => g.list!.exists)).toEqual([true, true])
    expectOutcome(await upload(again.dir, client, { plan: plan2 }).done, 'all_added')
    const names = sim.control.snapshot().lists.map((l) => l.name)
    expect(names.filter((n) => n === 'Brand new')).toHaveLength(1)
    expect(names.filter((n) => n === 'Members')).toHaveLength(1)
    expect(sorted(await listEmails(client, existing.list_id!))).toEqual(
      sorted(['old1@example.com', 'old2@example.com', ...job.emails['0'], ...again.emails['0']]),
    )
  })

  it('refuses the same list for both groups, a missing list without consent, and no list at all', async () => {
    const { client } = await setup()
    const list = await client.createList({ name: 'One list' })
    const job = await preparedJob({ group0: 2, group1: 2, tag: 'refuse' })
    const same = await planUpload(job.dir, client, {
      lists: { '0': { kind: 'existing', listId: list.list_id! }, '1': { kind: 'name', name: 'One list' } },
      createLists: false,
      createCustomFields: false,
    })
    expect(same.blockers.join(' ')).toMatch(/Both groups would go to the same list “One list”/)
    const missing = await planUpload(job.dir, client, byName('One list', 'Nope', { createLists: false }))
    expect(missing.blockers.join(' ')).toMatch(/no list named “Nope”.*Allow Splitsend to create it/)
    const none = await planUpload(job.dir, client, {
      lists: { '0': { kind: 'skip' }, '1': { kind: 'skip' } },
      createLists: true,
      createCustomFields: true,
    })
    expect(none.blockers.join(' ')).toMatch(/at least one of the two groups/)
    // A blocked plan can't be started.
    const result = await upload(job.dir, client, { plan: same }).done
    expect(result.outcome).toBe('stopped')
    expect(result.error?.message).toMatch(/same list/)
  })

  it('uploads only the chosen group when the other is skipped, and says so per row', async () => {
    const { client, sim } = await setup()
    const job = await preparedJob({ group0: 3, group1: 4, tag: 'skip' })
    const plan = await planUpload(job.dir, client, {
      lists: { '0': { kind: 'skip' }, '1': { kind: 'name', name: 'Only ones' } },
      createLists: true,
      createCustomFields: false,
    })
    expect(plan.activities.every((a) => a.group === '1')).toBe(true)
    const result = await upload(job.dir, client, { plan }).done
    expectOutcome(result, 'all_added')
    const listId = sim.control.snapshot().lists.find((l) => l.name === 'Only ones')!.list_id
    expect(sorted(sim.control.listMembers(listId))).toEqual(sorted(job.emails['1']))
  })
})

describe('custom fields', () => {
  it('creates missing custom fields once, only with consent, and maps the columns to them', async () => {
    const { client, sim } = await setup()
    const job = await preparedJob({ group0: 2, group1: 2, customFields: 2, tag: 'cf' })
    const refused = await planUpload(job.dir, client, byName('CF0', 'CF1', { createCustomFields: false }))
    expect(refused.blockers.join(' ')).toMatch(/no custom field for “Note 1”, “Note 2”/)
    await client.createCustomField({ label: 'Note 2', type: 'string' }) // one exists already
    const plan = await planUpload(job.dir, client, byName('CF0', 'CF1'))
    expect(plan.customFields).toEqual([
      { column: 'cf:note_1', label: 'Note 1', exists: false },
      { column: 'cf:note_2', label: 'Note 2', name: 'Note_2', exists: true },
    ])
    expectOutcome(await upload(job.dir, client, { plan }).done, 'all_added')
    const fields = sim.control.snapshot().custom_fields
    expect(fields.map((f) => f.name).sort()).toEqual(['Note_1', 'Note_2'])
    const contact = (await client.getContacts({ email: job.emails['1'][0]!, include: 'custom_fields' })).contacts![0]!
    expect(contact.custom_fields?.map((f) => f.value).sort()).toEqual([
      expect.stringMatching(/^0-/),
      expect.stringMatching(/^1-/),
    ])
    // A second upload doesn't create them again.
    const again = await preparedJob({ group0: 1, group1: 1, customFields: 2, tag: 'cf2' })
    const plan2 = await planUpload(again.dir, client, byName('CF0', 'CF1', { createCustomFields: false }))
    expect(plan2.blockers).toEqual([])
    expectOutcome(await upload(again.dir, client, { plan: plan2 }).done, 'all_added')
    expect(sim.control.snapshot().custom_fields).toHaveLength(2)
  })
})
