import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runSimulatorCommand } from '../../../electron/cli/commands/simulator'
import { ActivityEngine, SPEEDS } from '../../../electron/services/cc-simulator/activities'
import { createClock } from '../../../electron/services/cc-simulator/clock'
import { startSimulator } from '../../../electron/services/cc-simulator/index'
import { seedData } from '../../../electron/services/cc-simulator/seed'
import {
  DamagedStateError,
  readStateFile,
  stateGenerationOnDisk,
  writeStateFile,
} from '../../../electron/services/cc-simulator/state-file'
import type { ContactRecord, SimData } from '../../../electron/services/cc-simulator/records'
import { SimStore } from '../../../electron/services/cc-simulator/store'
import { closeAfterEach, tempDir } from './helpers'

/**
 * The practice account's saved state: compact after a big upload, read back as it was written, and
 * never written over a reset made by someone else while it runs.
 */
const closeLater = closeAfterEach()

const STATE = 'cc-simulator-state.jsonl'

/** An account after an import of `count` contacts (worked through 1,000 a second, as practice does). */
function importedAccount(count: number): SimStore {
  const clock = createClock()
  const store = new SimStore(seedData('practice', clock.now()))
  const engine = new ActivityEngine(store, clock, SPEEDS.instant)
  const list = store.data.lists[0]!.list_id
  const FIRST = ['Anna', 'Bruno', 'Chloé', 'David']
  for (let start = 0; start < count; start += 40_000) {
    const items = Array.from({ length: Math.min(40_000, count - start) }, (_, i) => ({
      email: `person${start + i}@example${i % 97}.com`,
      first_name: FIRST[i % FIRST.length],
      city: 'Paris',
    }))
    engine.create('json_import', items, [list])
    while (engine.advance(1_000)) clock.advance(1_000)
    engine.advance()
  }
  return store
}

function everyKindOfContact(data: SimData): ContactRecord {
  const contact: ContactRecord = {
    contact_id: 'not-a-uuid-kept-as-it-is',
    address: 'Every.Field@Example.com',
    permission_to_send: 'unsubscribed',
    opt_in_source: 'Contact',
    opt_in_date: '2026-01-02T03:04:05.000Z',
    opt_out_source: 'Contact',
    opt_out_date: '2026-02-03T04:05:06.000Z',
    first_name: 'Zoë',
    last_name: 'Ünal',
    job_title: 'Chief "quoted" officer',
    company_name: 'Line\nbreak Ltd',
    birthday_month: 2,
    birthday_day: 29,
    anniversary: '2020-05-01',
    phones: [{ kind: 'mobile', phone_number: '+1 555 0100' }],
    addresses: [{ kind: 'work', street: '1 Main St', city: 'Springfield', postal_code: '12345', country: 'US' }],
    custom_fields: { [data.custom_fields[0]!.custom_field_id]: 'since 2019' },
    lists: data.lists.map((l) => l.list_id),
    created_at: '2026-01-02T03:04:05.000Z',
    updated_at: '2026-03-04T05:06:07.000Z',
  }
  return contact
}

describe('the practice account’s saved state', () => {
  it('reads back exactly as it was: every field of a contact, and long lists of contacts in or out of order', () => {
    const store = importedAccount(3_000)
    store.addContact(everyKindOfContact(store.data))
    const ids = store.data.contacts.map((c) => c.contact_id)
    const clock = createClock()
    const engine = new ActivityEngine(store, clock, SPEEDS.fast)
    // A send's recipients (in order: a bitmap), an export in another order (places), and a
    // membership activity still under way naming a contact the account doesn't have.
    store.data.campaign_activities[0]!.recipients = ids.filter((_, i) => i % 3 === 0)
    const exported = engine.create('contact_export', [], [])
    exported.export = { contact_ids: [...ids].reverse(), fields: ['email_address'] }
    engine.create('add_list_memberships', [...ids.slice(0, 100), 'gone-contact'], [store.data.lists[1]!.list_id])
    const dataDir = tempDir('state')
    writeStateFile(dataDir, store.data, 7, (id) => store.contacts.placeOf(id))

    const loaded = readStateFile(dataDir)!
    expect(loaded.generation).toBe(7)
    expect(loaded.legacy).toBe(false)
    expect(loaded.data).toEqual(JSON.parse(JSON.stringify(store.data)))
    expect(stateGenerationOnDisk(dataDir)).toBe(7)
  })

  it('is small after a big upload: under 60 bytes a contact (its ID and address), where one JSON document took over 250', () => {
    const store = importedAccount(20_000)
    const dataDir = tempDir('state')
    writeStateFile(dataDir, store.data, 1, (id) => store.contacts.placeOf(id))
    const perContact = statSync(join(dataDir, STATE)).size / store.data.contacts.length
    const legacyPerContact = JSON.stringify(store.data).length / store.data.contacts.length
    expect(legacyPerContact).toBeGreaterThan(250)
    expect(perContact).toBeLessThan(60)
    // Values shared on disk are shared after loading: one list array for the imported contacts of a line.
    const contacts = readStateFile(dataDir)!.data.contacts.slice(10_000, 20_000)
    expect(new Set(contacts.map((c) => c.lists)).size).toBe(1)
  })

  it('a write after a few changes encodes again only their lines, and writes what a whole write would', () => {
    const store = importedAccount(15_000)
    const dataDir = tempDir('state')
    const kept = new SimStore(store.data, dataDir)
    kept.changed()
    kept.flush()
    // One contact of the first line changes lists, and an import adds one to the second.
    const engine = new ActivityEngine(kept, createClock(), SPEEDS.instant)
    const first = kept.data.contacts[10]!
    engine.create('add_list_memberships', [first.contact_id], [kept.data.lists[2]!.list_id])
    engine.create('json_import', [{ email: 'late@example.com' }], [kept.data.lists[1]!.list_id])
    engine.advance()
    expect(first.lists).toContain(kept.data.lists[2]!.list_id)
    kept.flush()

    const whole = tempDir('state')
    writeStateFile(whole, kept.data, stateGenerationOnDisk(dataDir) as number, (id) => kept.contacts.placeOf(id))
    expect(readFileSync(join(dataDir, STATE), 'utf8')).toBe(readFileSync(join(whole, STATE), 'utf8'))
    expect(readStateFile(dataDir)!.data.contacts[10]!.lists).toEqual(first.lists)
  })

  it('an older version’s single JSON document is read, and replaced by the compact file at the first write', () => {
    const dataDir = tempDir('state')
    mkdirSync(dataDir, { recursive: true })
    const data = importedAccount(10).data
    writeFileSync(join(dataDir, 'cc-simulator-state.json'), JSON.stringify(data))
    const store = SimStore.load(dataDir, () => seedData('empty', Date.now()))
    closeLater(() => store.close())
    expect(store.contactsByEmail.get('person3@example3.com')).toBeDefined()
    store.flush()
    expect(existsSync(join(dataDir, 'cc-simulator-state.json'))).toBe(false)
    expect(readStateFile(dataDir)!.data.contacts).toEqual(data.contacts)
  })
})

describe('a saved state that was changed or damaged since it was written', () => {
  /** A saved state of 25,000 contacts (three lines of them), changed by `change` line by line. */
  function changedState(change: (lines: unknown[]) => void): string {
    const dataDir = tempDir('state')
    const store = importedAccount(25_000)
    store.addContact(everyKindOfContact(store.data))
    writeStateFile(dataDir, store.data, 3, (id) => store.contacts.placeOf(id))
    const file = join(dataDir, STATE)
    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown)
    change(lines)
    writeFileSync(file, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`)
    return dataDir
  }
  type Line = Record<string, any>
  const contactsLine = (lines: unknown[], at: number) => lines[2 + at] as Line

  it.each([
    ['an address that is not text', (lines: unknown[]) => (contactsLine(lines, 0).columns.address.values[7] = 42)],
    ['a contact with no address', (lines: unknown[]) => (contactsLine(lines, 1).columns.address.values[3] = null)],
    [
      'a contact’s lists that are not a list',
      (lines: unknown[]) => (contactsLine(lines, 0).columns.lists.dict[0] = 'x'),
    ],
    [
      'a permission that doesn’t exist',
      (lines: unknown[]) => (contactsLine(lines, 0).columns.permission_to_send.dict[0] = 'maybe'),
    ],
    [
      'a place past the end of a column’s values',
      (lines: unknown[]) => (contactsLine(lines, 0).columns.first_name.at[5] = 99),
    ],
    [
      'runs of values that don’t cover the line',
      (lines: unknown[]) => contactsLine(lines, 0).columns.lists.runs.push(0, 3),
    ],
    [
      'a run counting more contacts than its line has (checked before it is laid out)',
      (lines: unknown[]) => (contactsLine(lines, 0).columns.lists.runs = [0, 1e12]),
    ],
    [
      'a run counting a negative number',
      (lines: unknown[]) => contactsLine(lines, 0).columns.lists.runs.unshift(0, -1),
    ],
    ['IDs cut short', (lines: unknown[]) => (contactsLine(lines, 1).columns.contact_id.uuids = 'AAAA')],
    ['no addresses at all', (lines: unknown[]) => delete contactsLine(lines, 2).columns.address],
    ['a line of contacts that is not one', (lines: unknown[]) => (lines[3] = [1, 2, 3])],
    ['a list whose name is a number', (lines: unknown[]) => ((lines[1] as Line).lists[0].name = 7)],
    [
      'an import in a state that doesn’t exist',
      (lines: unknown[]) => ((lines[1] as Line).activities[0].state = 'half'),
    ],
    [
      'a send whose recipients are missing',
      (lines: unknown[]) => delete (lines[1] as Line).campaign_activities[0].recipients,
    ],
    ['a header of another program', (lines: unknown[]) => (lines[0] = { format: 'something-else', version: 2 })],
    ['a last line that counts other contacts', (lines: unknown[]) => ((lines.at(-1) as Line).contacts = 3)],
  ])('is refused, never half-read, when it has %s', (_, change) => {
    const dataDir = changedState(change)
    expect(() => readStateFile(dataDir)).toThrow(DamagedStateError)
  })

  it('is set aside, and the practice account starts again as new, saying so', () => {
    const dataDir = changedState((lines) => (contactsLine(lines, 0).columns.address.values[7] = 42))
    const notices: string[] = []
    const store = SimStore.load(
      dataDir,
      () => seedData('practice', Date.now()),
      (notice) => notices.push(notice),
    )
    closeLater(() => store.close())
    const addresses = (data: SimData) => data.contacts.map((c) => c.address)
    expect(addresses(store.data)).toEqual(addresses(seedData('practice', Date.now())))
    expect(notices).toEqual([expect.stringMatching(/saved state is damaged.*starts again as new.*connect to it again/)])
    expect(existsSync(join(dataDir, 'cc-simulator-state.damaged'))).toBe(true)
    store.flush()
    expect(readStateFile(dataDir)!.data.contacts).toHaveLength(store.data.contacts.length)
  })

  it('of an older version is set aside too', () => {
    const dataDir = tempDir('state')
    const data = importedAccount(10).data
    const withAddress = (address: unknown) => data.contacts.map((c, i) => (i === 3 ? { ...c, address } : c))
    for (const damaged of [
      { ...data, lists: 'none' },
      { ...data, contacts: withAddress(5) },
    ]) {
      writeFileSync(join(dataDir, 'cc-simulator-state.json'), JSON.stringify(damaged))
      const notices: string[] = []
      const store = SimStore.load(
        dataDir,
        () => seedData('empty', Date.now()),
        (notice) => notices.push(notice),
      )
      store.close()
      expect(store.data.contacts).toEqual([])
      expect(notices).toEqual([expect.stringContaining('(an older version’s) is damaged')])
      rmSync(join(dataDir, STATE))
    }
  })

  it('can be reset by the command, which starts it as new', async () => {
    const dataDir = changedState((lines) => (lines[1] = 'nothing'))
    const io = { stdout: () => {}, stderr: () => {} }
    await expect(runSimulatorCommand(['--reset', '--data-dir', dataDir], io, Promise.resolve())).resolves.toBe(0)
    const names = (data: SimData) => data.lists.map((l) => l.name)
    expect(names(readStateFile(dataDir)!.data)).toEqual(names(seedData('practice', Date.now())))
  })

  it('saved by a newer version is not set aside, and says so', async () => {
    const dataDir = changedState((lines) => (lines[0] = { ...(lines[0] as Line), version: 3 }))
    expect(() =>
      SimStore.load(
        dataDir,
        () => seedData('practice', Date.now()),
        () => {},
      ),
    ).toThrow(expect.objectContaining({ code: 'practice_state_newer' }))
    expect(existsSync(join(dataDir, STATE))).toBe(true)
    // As its message says, the command can still start it again as new.
    const io = { stdout: () => {}, stderr: () => {} }
    await expect(runSimulatorCommand(['--reset', '--data-dir', dataDir], io, Promise.resolve())).resolves.toBe(0)
    expect(readStateFile(dataDir)!.generation).toBe(1)
  })
})

describe('resetting the practice account while it runs', () => {
  it('by the command is refused, saying what to do, and works once the account is closed', async () => {
    const dataDir = tempDir('practice-account')
    const sim = await startSimulator({ dataDir, seed: 'practice' })
    let closed = false
    closeLater(() => (closed ? undefined : sim.close()))
    let output = ''
    const io = { stdout: (t: string) => (output += t), stderr: (t: string) => (output += t) }
    const reset = () => runSimulatorCommand(['--reset', '--data-dir', dataDir], io, Promise.resolve())
    sim.control.flush()
    await expect(reset()).rejects.toMatchObject({
      code: 'practice_in_use',
      message: expect.stringContaining(`is in use: a program (process ${process.pid}) is running it now`),
      hint: expect.stringContaining('Reset the practice account'),
    })
    await sim.close()
    closed = true
    await expect(reset()).resolves.toBe(0)
    expect(output).toContain('back to how it started')
  })

  it('by a lock a crashed or failed run left behind is not refused', async () => {
    const dataDir = tempDir('practice-account')
    const sim = await startSimulator({ dataDir, seed: 'practice' })
    await sim.close()
    // A process number no process has (above Linux's highest).
    writeFileSync(join(dataDir, 'cc-simulator.lock'), JSON.stringify({ pid: 4_194_305 }))
    const io = { stdout: () => {}, stderr: () => {} }
    const reset = () => runSimulatorCommand(['--reset', '--data-dir', dataDir], io, Promise.resolve())
    await expect(reset()).resolves.toBe(0)
    // This process's own, left by a local Constant Contact that never closed (it failed to start).
    writeFileSync(join(dataDir, 'cc-simulator.lock'), JSON.stringify({ pid: process.pid }))
    await expect(reset()).resolves.toBe(0)
  })

  /** A running store's state, then another program (say an older Splitsend's reset, which knew no lock) writing a fresh account. */
  function writtenByAnotherProgram() {
    const dataDir = tempDir('practice-account')
    const store = SimStore.load(dataDir, () => seedData('practice', Date.now()))
    closeLater(() => store.close())
    const notices: string[] = []
    store.onReplacedOnDisk = (message) => notices.push(message)
    store.flush()
    const generation = stateGenerationOnDisk(dataDir) as number
    const fresh = seedData('empty', Date.now())
    writeStateFile(dataDir, fresh, generation + 1, () => undefined)
    return { dataDir, store, notices, generation, fresh }
  }

  it('by another program writing the state anyway is noticed: the running one goes on from it instead of writing over it', () => {
    const { dataDir, store, notices, generation, fresh } = writtenByAnotherProgram()

    store.addList({ ...store.data.lists[0]!, list_id: 'made-here', name: 'Made after the reset' })
    store.changed()
    store.flush()
    expect(notices).toEqual([expect.stringContaining('was changed by another program while this one ran')])
    const onDisk = readStateFile(dataDir)!
    expect(onDisk.generation).toBe(generation + 2)
    expect(onDisk.data.lists).toEqual(fresh.lists)
    expect(store.data.lists).toEqual(fresh.lists)
    // The sign-ins of the one that runs stay valid.
    expect(onDisk.data.auth).toEqual(store.data.auth)
  })

  it('by a newer version of Splitsend: the running one never writes over it, and says so once', () => {
    const { dataDir, store, notices } = writtenByAnotherProgram()
    const file = join(dataDir, STATE)
    const [header, ...rest] = readFileSync(file, 'utf8').split('\n')
    writeFileSync(file, [JSON.stringify({ ...(JSON.parse(header!) as object), version: 3 }), ...rest].join('\n'))
    const newer = readFileSync(file, 'utf8')

    for (let i = 0; i < 2; i++) {
      store.changed()
      store.flush()
    }
    store.close()
    expect(readFileSync(file, 'utf8')).toBe(newer)
    expect(notices).toEqual([expect.stringMatching(/newer version of Splitsend saved.*no longer saves it/)])
  })

  it('by another program, damaged: set aside, and the running one writes its own in its place, saying so', () => {
    const { dataDir, store, notices } = writtenByAnotherProgram()
    const file = join(dataDir, 'cc-simulator-state.jsonl')
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n.*$/s, '\n["not a line of the state"]\n'))

    store.changed()
    store.flush()
    expect(notices).toEqual([expect.stringMatching(/damaged.*set aside.*goes on as it was here/)])
    expect(notices[0]).not.toContain('starts again as new')
    expect(existsSync(join(dataDir, 'cc-simulator-state.damaged'))).toBe(true)
    expect(readStateFile(dataDir)!.data.lists).toEqual(store.data.lists)
  })
})
