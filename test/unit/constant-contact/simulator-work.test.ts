import { describe, expect, it } from 'vitest'
import { ActivityEngine, SPEEDS } from '../../../electron/services/cc-simulator/activities'
import { createClock } from '../../../electron/services/cc-simulator/clock'
import { newContactId } from '../../../electron/services/cc-simulator/contact-ids'
import { seedData } from '../../../electron/services/cc-simulator/seed'
import { SimStore } from '../../../electron/services/cc-simulator/store'
import { connectedAccountPerTest } from './helpers'

const connectAccount = connectedAccountPerTest()

function engineWithList() {
  const clock = createClock()
  const store = new SimStore(seedData('empty', clock.now()))
  return { store, engine: new ActivityEngine(store, clock, SPEEDS.instant) }
}

describe('how the local Constant Contact works through imports', () => {
  it('applies at most the items it is given leave to, and ends the activity only when all are applied', () => {
    const { store, engine } = engineWithList()
    const activity = engine.create(
      'json_import',
      Array.from({ length: 25 }, (_, i) => ({ email: `p${i}@example.com` })),
      ['list-a'],
    )
    expect(engine.advance(10)).toBe(true)
    expect(activity).toMatchObject({ state: 'processing', applied: 10 })
    expect(engine.percentDone(activity)).toBe(40)
    expect(store.contactsByEmail.size).toBe(10)
    expect(engine.advance(10)).toBe(true)
    expect(activity.state).toBe('processing')
    expect(engine.advance(10)).toBe(false)
    expect(activity.state).toBe('completed')
    expect(activity.counts.person_count).toBe(25)
    expect([...store.contactsByEmail.values()].every((c) => c.lists.includes('list-a'))).toBe(true)
  })

  it('keeps shared defaults of new contacts untouched when one of them changes', () => {
    const { store, engine } = engineWithList()
    store.data.custom_fields.push({
      custom_field_id: 'cf-1',
      label: 'Colour',
      name: 'Colour',
      type: 'string',
      created_at: '',
      updated_at: '',
    })
    engine.create('json_import', [{ email: 'a@example.com' }, { email: 'b@example.com' }], ['list-a'])
    engine.advance()
    engine.create(
      'json_import',
      [{ email: 'a@example.com', 'cf:Colour': 'red', phone: '555', city: 'Paris' }],
      ['list-b'],
    )
    engine.advance()
    const a = store.contactsByEmail.get('a@example.com')!
    const b = store.contactsByEmail.get('b@example.com')!
    expect(a).toMatchObject({
      custom_fields: { 'cf-1': 'red' },
      phones: [{ kind: 'other', phone_number: '555' }],
      addresses: [{ kind: 'home', city: 'Paris' }],
      lists: ['list-a', 'list-b'],
    })
    expect(b).toMatchObject({ custom_fields: {}, phones: [], addresses: [], lists: ['list-a'] })
  })

  it('answers while a 40,000-contact import is still being worked through, and finishes it without further requests', async () => {
    const ctx = await connectAccount({ speed: 'instant', seed: 'empty' })
    const client = await ctx.account.client()
    const list = (await client.createList({ name: 'Big' })).list_id!
    const emails = Array.from({ length: 40_000 }, (_, i) => `big${i}@example.com`)
    const sent = await client.importContactsJson({ import_data: emails.map((email) => ({ email })), list_ids: [list] })
    // Other requests are answered meanwhile, and no status check is needed for the work to go on.
    expect((await client.getLists()).lists?.map((l) => l.name)).toContain('Big')
    await ctx.sim.control.caughtUp()
    // A request applies at most 3,000 contacts before answering: completed here means the rest
    // was done in the background.
    const done = await client.getActivity(sent.activity_id!)
    expect(done).toMatchObject({
      state: 'completed',
      percent_done: 100,
      status: { items_total_count: 40_000, person_count: 40_000 },
    })
    expect(ctx.sim.control.listMembers(list)).toHaveLength(40_000)
  })
})

describe('contact IDs', () => {
  it('are distinct version-4 UUIDs', () => {
    const ids = Array.from({ length: 20_000 }, () => newContactId())
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(new Set(ids).size).toBe(ids.length)
  })
})
