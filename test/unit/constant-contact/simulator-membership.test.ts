import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import Papa from 'papaparse'
import { allPages, type CcClient } from '../../../electron/services/constant-contact/client'
import { CC_LIMITS } from '../../../electron/services/constant-contact/limits'
import type { SimQuirks } from '../../../electron/services/cc-simulator/index'
import { DEFAULT_QUIRKS } from '../../../electron/services/cc-simulator/api-context'
import { createRateLimiter } from '../../../electron/services/constant-contact/rate-limiter'
import { connectedAccount, FAST_RETRY, waitFor } from './helpers'

/**
 * The local Constant Contact's contact exports and its strict remove_list_memberships: what the
 * description and the guides document, refused the way they say; undocumented behaviour both ways.
 */
let ctx: Awaited<ReturnType<typeof connectedAccount>>
let client: CcClient
let run = 0
beforeAll(async () => {
  // One sign-in for the file; fast limits (the 4-a-second limit has its own real-speed tests).
  ctx = await connectedAccount(
    { speed: 'instant', seed: 'empty' },
    { limiter: createRateLimiter({ perWindow: 1000 }), retry: { ...FAST_RETRY, maxQueueWaitMs: 200 } },
  )
  ctx.sim.control.setLimits({ requestsPerSecond: 1000 })
  client = await ctx.account.client()
}, 30_000)
afterAll(() => ctx?.close())
afterEach(() => {
  ctx.sim.control.setQuirks(DEFAULT_QUIRKS)
  ctx.sim.control.setStrict(false)
  ctx.sim.control.setSpeed('instant')
  ctx.sim.control.setLimits({ queuedActivities: CC_LIMITS.queuedActivities })
})

/** Two new lists; the three contacts (new, or updated) on the first. */
async function setup(quirks: Partial<SimQuirks> = {}) {
  ctx.sim.control.setQuirks(quirks)
  run++
  const listA = (await client.createList({ name: `A ${run}` })).list_id!
  const listB = (await client.createList({ name: `B ${run}` })).list_id!
  const imported = await client.importContactsJson({
    import_data: [
      { email: 'one@example.com', first_name: 'One', last_name: 'First' },
      { email: 'Two@Example.com', first_name: 'Two, with "quotes"' },
      { email: 'three@example.com' },
    ],
    list_ids: [listA],
  })
  await finished(client, imported.activity_id!)
  return { sim: ctx.sim, client, listA, listB }
}

function finished(client: CcClient, id: string) {
  return waitFor(async () => {
    const a = await client.getActivity(id)
    return ['completed', 'failed', 'timed_out', 'cancelled'].includes(a.state!) ? a : undefined
  })
}

async function readFile(client: CcClient, id: string): Promise<string> {
  return client.readContactExportFile(id, (body) => new Response(body).text())
}

function rejection(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected a refusal')
    },
    (error: { status?: number; details?: Array<{ key?: string }> }) => ({
      status: error.status,
      key: error.details?.[0]?.key,
    }),
  )
}

describe('contact exports', () => {
  it('run as an activity and give a CSV of the list with contact IDs and the fields asked for', async () => {
    const { client, listA } = await setup()
    const started = await client.createContactExport({
      list_ids: [listA],
      fields: ['email_address', 'first_name', 'last_name'],
    })
    expect(started.state).toBe('initialized')
    expect(started.status).toEqual({ items_total_count: 3, items_completed_count: 0 })
    expect(started._links?.results).toBeUndefined() // no file before it has completed
    const done = await finished(client, started.activity_id!)
    expect(done.status).toEqual({ items_total_count: 3, items_completed_count: 3 })
    expect(done._links?.results?.href).toBe(`/v3/contact_exports/${started.activity_id}`)

    const csv = await readFile(client, started.activity_id!)
    const rows = Papa.parse<string[]>(csv.trim(), { newline: '\r\n' }).data
    expect(rows[0]).toEqual(['contact_id', 'email_address', 'first_name', 'last_name'])
    expect(rows.slice(1).map((r) => r.slice(1))).toEqual([
      ['one@example.com', 'One', 'First'],
      ['Two@Example.com', 'Two, with "quotes"', ''],
      ['three@example.com', '', ''],
    ])
    const ids = (await client.getContacts({ lists: listA, limit: 50 })).contacts!.map((c) => c.contact_id)
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual([...ids].sort())
  })

  it('exports every documented field when none are named, and lists by status', async () => {
    const { client, listA } = await setup()
    const all = await client.createContactExport({ list_ids: [listA], status: 'active' })
    await finished(client, all.activity_id!)
    const header = (await readFile(client, all.activity_id!)).split('\r\n')[0]!.split(',')
    expect(header.slice(0, 4)).toEqual(['contact_id', 'email_address', 'first_name', 'last_name'])
    expect(header).toContain('email_optout_reason')
    const none = await client.createContactExport({ list_ids: [listA], status: 'unsubscribed' })
    expect((await finished(client, none.activity_id!)).status?.items_total_count).toBe(0)
  })

  it('label the columns or link the file the other documented ways when told to (undocumented choices)', async () => {
    const { client, listA, sim } = await setup({ exportHeaders: 'labels', exportResultsLink: 'spec_example' })
    const started = await client.createContactExport({ list_ids: [listA], fields: ['email_address', 'first_name'] })
    const done = await finished(client, started.activity_id!)
    expect(done._links?.results?.href).toBe(`/v3/contacts_exports/${started.activity_id}`)
    expect((await readFile(client, started.activity_id!)).split('\r\n')[0]).toBe('Contact ID,Email address,First name')
    sim.control.setQuirks({ exportHeaders: 'field_names' })
    expect((await readFile(client, started.activity_id!)).split('\r\n')[0]).toBe('contact_id,email_address,first_name')
  })

  it('refuse what the description refuses', async () => {
    const { client, listA, sim } = await setup()
    const contactId = (await client.getContacts({ lists: listA, limit: 1 })).contacts![0]!.contact_id!
    const bad: Array<[object, number]> = [
      [{ list_ids: [listA], fields: ['shoe_size'] }, 400],
      [{ list_ids: [listA], fields: ['email_optin_date'] }, 400], // needs email_address too
      [{ list_ids: [listA], contact_ids: [contactId] }, 400], // two ways of choosing
      [{ contact_ids: Array.from({ length: 501 }, () => contactId) }, 400],
      [{ list_ids: Array.from({ length: 51 }, () => listA) }, 400],
      [{ list_ids: ['not-an-id'] }, 400],
      [{ list_ids: [listA], status: 'happy' }, 400],
      [{ contact_ids: [contactId], exclude: { contact_ids: [contactId] } }, 400],
      [{ list_ids: [listA], favourite: true }, 400],
      [{ list_ids: ['00000000-0000-4000-8000-000000000000'] }, 404],
    ]
    for (const [body, status] of bad)
      expect(await rejection(client.createContactExport(body as never)), JSON.stringify(body)).toMatchObject({ status })

    sim.control.setSpeed('slow')
    const running = await client.createContactExport({ list_ids: [listA], fields: ['email_address'] })
    expect(await rejection(readFile(client, running.activity_id!))).toMatchObject({ status: 404 })
    expect(await rejection(readFile(client, '00000000-0000-4000-8000-000000000000'))).toMatchObject({ status: 404 })
    sim.control.setLimits({ queuedActivities: 1 })
    expect(await rejection(client.createContactExport({ list_ids: [listA] }))).toMatchObject({ status: 429 })
  })

  it('are forgotten with their file after 10 days', async () => {
    const { client, listA, sim } = await setup()
    const started = await client.createContactExport({ list_ids: [listA], fields: ['email_address'] })
    await finished(client, started.activity_id!)
    await readFile(client, started.activity_id!)
    sim.control.advanceTime(10 * 24 * 3600_000 + 60_000)
    expect(await rejection(readFile(client, started.activity_id!))).toMatchObject({ status: 404 })
  })
})

describe('remove_list_memberships', () => {
  it('removes contacts by ID from the one target list, with the documented counts', async () => {
    const { client, listA, listB, sim } = await setup()
    const contacts = (await client.getContacts({ lists: listA, limit: 50 })).contacts!
    const add = await client.addListMemberships({ list_ids: [listB], source: { list_ids: [listA] } })
    await finished(client, add.activity_id!)
    const one = contacts.find((c) => c.email_address?.address === 'one@example.com')!.contact_id!
    const removal = await client.removeListMemberships({ list_ids: [listA], source: { contact_ids: [one] } })
    expect(removal.status).toEqual({ items_total_count: 1, items_completed_count: 0, list_count: 1 })
    const done = await finished(client, removal.activity_id!)
    expect(done.status).toEqual({ items_total_count: 1, items_completed_count: 1, list_count: 1 })
    expect(sim.control.listMembers(listA).sort()).toEqual(['Two@Example.com', 'three@example.com'])
    expect(sim.control.listMembers(listB)).toHaveLength(3) // only the target list changes
  })

  it('takes up to 500 contact IDs (the description’s maxItems: 0 is a documented bug) and refuses 501', async () => {
    const { client, listA } = await setup()
    const ids = Array.from({ length: 500 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)
    const ok = await client.removeListMemberships({ list_ids: [listA], source: { contact_ids: ids } })
    expect(ok.status?.items_total_count).toBe(500)
    expect(
      await rejection(client.removeListMemberships({ list_ids: [listA], source: { contact_ids: [...ids, ids[0]!] } })),
    ).toMatchObject({ status: 400 })
  })

  it('refuses what the description refuses', async () => {
    const { client, listA, listB } = await setup()
    const id = (await client.getContacts({ lists: listA, limit: 1 })).contacts![0]!.contact_id!
    const bad: Array<[object, number]> = [
      [{ source: { contact_ids: [id] } }, 400], // no target list
      [{ list_ids: [], source: { contact_ids: [id] } }, 400],
      [{ list_ids: Array.from({ length: 51 }, () => listA), source: { contact_ids: [id] } }, 400],
      [{ list_ids: [listA] }, 400], // no source
      [{ list_ids: [listA], source: {} }, 400],
      [{ list_ids: [listA], source: { contact_ids: [id], list_ids: [listB] } }, 400],
      [{ list_ids: [listA], source: { emails: ['one@example.com'] } }, 400],
      [{ list_ids: [listA], source: { contact_ids: ['one@example.com'] } }, 400],
      [{ list_ids: [listA], source: { contact_ids: [] } }, 400],
      [{ list_ids: [listA], source: { contact_ids: [id] }, exclude: { contact_ids: [id] } }, 400],
      [{ list_ids: [listA], source: { engagement_level: 'enormous' } }, 400],
      [{ list_ids: [listA], source: { contact_ids: [id] }, extra: 1 }, 400],
      [{ list_ids: ['00000000-0000-4000-8000-000000000000'], source: { contact_ids: [id] } }, 404],
    ]
    for (const [body, status] of bad)
      expect(await rejection(client.removeListMemberships(body as never)), JSON.stringify(body)).toMatchObject({
        status,
      })
    // exclude with the list_ids source is allowed.
    const ok = await client.removeListMemberships({
      list_ids: [listB],
      source: { list_ids: [listA] },
      exclude: { contact_ids: [id] },
    })
    expect(ok.status?.list_count).toBe(1)
  })

  it('counts every ID sent, or only the lists’ members, as told (undocumented)', async () => {
    const { client, listA, listB, sim } = await setup()
    const ids = (await client.getContacts({ lists: listA, limit: 50 })).contacts!.map((c) => c.contact_id!)
    const requested = await client.removeListMemberships({ list_ids: [listB], source: { contact_ids: ids } })
    expect((await finished(client, requested.activity_id!)).status).toEqual({
      items_total_count: 3,
      items_completed_count: 3,
      list_count: 1,
    })
    sim.control.setQuirks({ removalCount: 'members' })
    const members = await client.removeListMemberships({ list_ids: [listB], source: { contact_ids: ids } })
    expect((await finished(client, members.activity_id!)).status).toEqual({
      items_total_count: 0,
      items_completed_count: 0,
      list_count: 1,
    })
  })
})

describe('GET /activities', () => {
  it('lists in no particular order in strict mode, the same order on every page', async () => {
    const { client, listA, sim } = await setup()
    sim.control.setStrict(true)
    for (let i = 0; i < 6; i++) await client.createContactExport({ list_ids: [listA], fields: ['email_address'] })
    const all = (await client.getActivities({ limit: 50 })).activities!.map((a) => a.activity_id)
    const paged: string[] = []
    for await (const page of allPages(
      () => client.getActivities({ limit: 4 }),
      (next) => client.getActivities(next),
    ))
      paged.push(...page.activities!.map((a) => a.activity_id!))
    expect(paged).toEqual(all)
    const newestFirst = [...sim.control.snapshot().activities].reverse().map((a) => a.activity_id)
    expect(all).not.toEqual(newestFirst)
    expect([...all].sort()).toEqual([...newestFirst].sort())
  })
})
