import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { runSimulatorCommand } from '../../../electron/cli/commands/simulator'
import { createAccountHandlers } from '../../../electron/services/account/handlers'
import { seedData } from '../../../electron/services/cc-simulator/seed'
import { SimStore } from '../../../electron/services/cc-simulator/store'
import type { CcClient } from '../../../electron/services/constant-contact/client'
import { connectedPractice as connectedPracticeAccount, tempDir, closeAfterEach } from './helpers'

/**
 * "Reset the practice account" (the app's Connect step) and `splitsend simulator --reset`: what
 * practising made goes, the campaigns are drafts again, and whoever is connected stays connected.
 */
const closeLater = closeAfterEach()

const SEED_LISTS = ['Customers', 'Newsletter', 'Volunteers']

const connectedPractice = (dataDir?: string) => connectedPracticeAccount(closeLater, dataDir)

/** What practising leaves: a list of its own, and the first campaign scheduled to it. */
async function practise(client: CcClient): Promise<void> {
  const list = (await client.createList({ name: 'Practised list' })).list_id!
  const campaign = (await client.getEmailCampaigns()).campaigns!.find((c) => c.current_status === 'Draft')!
  const primary = (await client.getEmailCampaign(campaign.campaign_id!)).campaign_activities!.find(
    (a) => a.role === 'primary_email',
  )!.campaign_activity_id!
  const activity = await client.getEmailCampaignActivity(primary)
  await client.updateEmailCampaignActivity(primary, { ...activity, contact_list_ids: [list] })
  await client.scheduleEmailCampaignActivity(primary, new Date(Date.now() + 3600_000).toISOString())
}

async function accountNow(client: CcClient) {
  return {
    lists: (await client.getLists()).lists!.map((l) => l.name).sort(),
    campaigns: (await client.getEmailCampaigns()).campaigns!.map((c) => c.current_status),
    contacts: (await client.getContacts({ limit: 500 })).contacts!.length,
  }
}

describe('resetting the practice account', () => {
  it('in the app: its lists and schedules go, the campaigns are as they started, and the connection stays', async () => {
    const { account, client } = await connectedPractice()
    const before = await accountNow(client)
    await practise(client)
    expect(await accountNow(client)).toMatchObject({ lists: [...SEED_LISTS, 'Practised list'].sort() })
    expect((await accountNow(client)).campaigns).not.toEqual(before.campaigns)

    await createAccountHandlers(account, () => {})['account.resetPractice'](undefined as never)
    // The same client, signed in before the reset, goes on working.
    expect(await accountNow(client)).toEqual(before)
    expect(before.lists).toEqual(SEED_LISTS)
    expect((await account.status()).connected).toBe(true)
  })

  it('is refused while an upload or a send is under way', async () => {
    const { account, client } = await connectedPractice()
    await practise(client)
    const handlers = createAccountHandlers(
      account,
      () => {},
      () => true,
    )
    await expect(handlers['account.resetPractice'](undefined as never)).rejects.toMatchObject({
      code: 'practice_busy',
    })
    expect((await accountNow(client)).lists).toContain('Practised list')
  })

  it('by the command, while Splitsend is closed: the kept account starts as new next time', async () => {
    const { account, client, dataDir } = await connectedPractice()
    const before = await accountNow(client)
    await practise(client)
    await account.close()

    let output = ''
    const io = { stdout: (t: string) => (output += t), stderr: (t: string) => (output += t) }
    await expect(runSimulatorCommand(['--reset', '--data-dir', dataDir], io, Promise.resolve())).resolves.toBe(0)
    expect(output).toContain('back to how it started')

    const again = await connectedPractice(dataDir)
    expect(await accountNow(again.client)).toEqual(before)

    const nothing = join(tempDir('none'), 'practice-account')
    output = ''
    await expect(runSimulatorCommand(['--reset', '--data-dir', nothing], io, Promise.resolve())).resolves.toBe(0)
    expect(output).toContain('Nothing to reset')
    expect(existsSync(nothing)).toBe(false)
    await expect(runSimulatorCommand(['--reset', '--port', '5000'], io, Promise.resolve())).rejects.toThrow(
      '--reset takes only --data-dir',
    )
  })

  it('whose saved data is damaged: set aside, started as new, and the Connect screen’s status says so', async () => {
    const { account, client, dataDir } = await connectedPractice()
    await practise(client)
    await account.close()
    const [state] = readdirSync(dataDir).filter((name) => name.startsWith('cc-simulator-state'))
    writeFileSync(join(dataDir, state!), '{"not": "a practice account"}\n')

    const again = await connectedPractice(dataDir)
    const status = await again.account.status()
    expect(status).toMatchObject({ connected: true, practice: true })
    expect(status.practiceNotice).toMatch(/damaged.*set aside.*starts again as new/)
    expect(readdirSync(dataDir)).toContain('cc-simulator-state.damaged')
    // A practice account whose data was read says nothing.
    const fine = await connectedPractice()
    expect((await fine.account.status()).practiceNotice).toBeUndefined()
  })
})

describe('keeping a big practice account', () => {
  it('writes its state at most one part in twenty of the time, however long a write takes; closing writes the rest', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    closeLater(() => void vi.useRealTimers())
    const dataDir = tempDir('sim-store')
    const file = join(dataDir, 'cc-simulator-state.jsonl')
    const store = new SimStore(seedData('practice', Date.now()), dataDir)
    store.changed()
    vi.advanceTimersByTime(200)
    expect(existsSync(file)).toBe(true)
    // As after practising with a 1,000,000-row file: one write took 15 s.
    ;(store as unknown as { lastSaveMs: number }).lastSaveMs = 15_000
    rmSync(file)
    store.changed()
    vi.advanceTimersByTime(200)
    expect(existsSync(file)).toBe(false)
    vi.advanceTimersByTime(15_000 * 20 - 200)
    expect(existsSync(file)).toBe(true)
    rmSync(file)
    store.changed()
    store.flush()
    expect(existsSync(file)).toBe(true)
  })
})
