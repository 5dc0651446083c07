import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { CcClient } from '../../../electron/services/constant-contact/client'
import { DEFAULT_QUIRKS } from '../../../electron/services/cc-simulator/api-context'
import { compareLists } from '../../../electron/services/membership/compare-lists'
import { exportList, readExports } from '../../../electron/services/membership/export-list'
import { forEachExportMember } from '../../../electron/services/membership/export-members'
import { MEMBERSHIP_FILES, membershipDir } from '../../../electron/services/membership/files'
import { tempDir } from '../upload/helpers'
import { TEST_POLL, fastAccount } from './helpers'

/**
 * Reading a list's members through a contact export: the saved file used again only while it can
 * be trusted, an interrupted export followed again rather than made anew, a download that breaks
 * off read again from the start, and the undocumented shapes of the file and its link.
 */
let ctx: Awaited<ReturnType<typeof fastAccount>>
let client: CcClient
let listId: string
const MEMBERS = 3_000

beforeAll(async () => {
  ctx = await fastAccount()
  client = ctx.client
  listId = (await client.createList({ name: 'Exported' })).list_id!
  const imported = await client.importContactsJson({
    import_data: Array.from({ length: MEMBERS }, (_, i) => ({ email: `E${i}@Example.com`, first_name: `First ${i}` })),
    list_ids: [listId],
  })
  for (;;) {
    const a = await client.getActivity(imported.activity_id!)
    if (a.state === 'completed') break
    await new Promise((r) => setTimeout(r, 30))
  }
}, 30_000)
afterAll(() => ctx?.close())
afterEach(() => {
  ctx.sim.control.clearFaults()
  ctx.sim.control.setQuirks(DEFAULT_QUIRKS)
})

const exportPosts = () => ctx.sim.control.requests().filter((r) => r.path === '/activities/contact_exports').length
const fileGets = () => ctx.sim.control.requests().filter((r) => r.path.startsWith('/contact_exports/')).length

async function readMembers(dir: string): Promise<string[]> {
  const found: string[] = []
  await forEachExportMember(join(dir, MEMBERSHIP_FILES.export('0')), 'Exported', (m) => found.push(m.address))
  return found.sort()
}

const everyone = Array.from({ length: MEMBERS }, (_, i) => `e${i}@example.com`).sort()

describe('reading a list’s members', () => {
  it('exports the list once and uses the saved file while it can be trusted', async () => {
    const dir = tempDir('export')
    const posts = exportPosts()
    const saved = await exportList(dir, client, '0', listId, { poll: TEST_POLL })
    expect(saved).toMatchObject({ state: 'saved', listId })
    expect(await readMembers(dir)).toEqual(everyone)
    expect(exportPosts()).toBe(posts + 1)

    const requests = ctx.sim.control.requests().length
    expect(await exportList(dir, client, '0', listId, { poll: TEST_POLL })).toEqual(saved)
    expect(ctx.sim.control.requests().length).toBe(requests) // not one request

    // Changed on disk: read again.
    writeFileSync(join(dir, MEMBERSHIP_FILES.export('0')), 'contact_id,email_address\r\n')
    await exportList(dir, client, '0', listId, { poll: TEST_POLL })
    expect(exportPosts()).toBe(posts + 2)
    expect(await readMembers(dir)).toEqual(everyone)

    // Too old to stand for the list now: read again.
    await exportList(dir, client, '0', listId, { poll: TEST_POLL, trustMs: 0 })
    expect(exportPosts()).toBe(posts + 3)
  })

  it('follows an export a crash interrupted instead of making another', async () => {
    const dir = tempDir('export-resume')
    const started = await client.createContactExport({ list_ids: [listId], fields: ['email_address'] })
    // What a run killed right after asking for the export leaves behind.
    membershipDir(dir)
    writeFileSync(
      join(dir, MEMBERSHIP_FILES.exports),
      JSON.stringify({
        version: 1,
        lists: {
          '0': { listId, activityId: started.activity_id, requestedAt: new Date().toISOString(), state: 'running' },
        },
      }),
    )
    const posts = exportPosts()
    const saved = await exportList(dir, client, '0', listId, { poll: TEST_POLL })
    expect(saved.activityId).toBe(started.activity_id)
    expect(exportPosts()).toBe(posts)
    // Only the fields it was asked for: a contact ID and an address are enough to compare.
    expect(readFileSync(join(dir, MEMBERSHIP_FILES.export('0')), 'utf8').split('\r\n')[0]).toBe(
      'contact_id,email_address',
    )
  })

  it('reads a file again from the start when the connection breaks off in the middle of it', async () => {
    const dir = tempDir('export-cut')
    const gets = fileGets()
    ctx.sim.control.inject({ kind: 'cut_body', afterBytes: 70_000, match: { path: /^\/contact_exports\// } })
    const saved = await exportList(dir, client, '0', listId, { poll: TEST_POLL })
    expect(fileGets()).toBe(gets + 2)
    expect(saved.bytes).toBe(readFileSync(join(dir, MEMBERSHIP_FILES.export('0'))).length)
    expect(saved.bytes).toBeGreaterThan(70_000)
    expect(await readMembers(dir)).toEqual(everyone)
  })

  it('leaves no part of the file behind when its download keeps breaking off', async () => {
    const dir = tempDir('export-cut-always')
    ctx.sim.control.inject({ kind: 'cut_body', afterBytes: 70_000, times: 20, match: { path: /^\/contact_exports\// } })
    await expect(exportList(dir, client, '0', listId, { poll: TEST_POLL })).rejects.toThrow()
    const file = join(dir, MEMBERSHIP_FILES.export('0'))
    expect([existsSync(file), existsSync(`${file}.part`)]).toEqual([false, false])
  })

  it('compares a list as its file downloads, counting each member once when the download starts over', async () => {
    const dir = tempDir('export-cut-compare')
    ctx.sim.control.inject({ kind: 'cut_body', afterBytes: 70_000, match: { path: /^\/contact_exports\// } })
    const gets = fileGets()
    const record = await compareLists(
      dir,
      client,
      { '0': { listId, listName: 'Exported' } },
      { poll: TEST_POLL, listsOnly: true, trustMs: 0 },
    )
    expect(fileGets()).toBe(gets + 2)
    expect(record.comparison.lists[0]).toMatchObject({ members: MEMBERS, notInFile: MEMBERS, movedOut: 0 })
  })

  it('works whichever way the file’s header and its link are written (both are undocumented)', async () => {
    ctx.sim.control.setQuirks({ exportHeaders: 'labels', exportResultsLink: 'spec_example' })
    const dir = tempDir('export-labels')
    await exportList(dir, client, '0', listId, { poll: TEST_POLL })
    expect(readFileSync(join(dir, MEMBERSHIP_FILES.export('0')), 'utf8').split('\r\n')[0]).toBe(
      'Contact ID,Email address,First name,Last name',
    )
    expect(await readMembers(dir)).toEqual(everyone)
  })

  it('says so plainly when Constant Contact’s export fails', async () => {
    ctx.sim.control.failNextActivities({ state: 'failed', atPercent: 10 })
    const dir = tempDir('export-failed')
    await expect(exportList(dir, client, '0', listId, { poll: TEST_POLL })).rejects.toMatchObject({
      code: 'membership_export_failed',
    })
    expect(readExports(dir).lists['0']?.state).toBe('running')
  })

  it('checks an export again soon when an early status projects a long wait', async () => {
    // "1 % done after 0.6 s" projects a minute; the export ends a moment later. The next check
    // comes within the time already spent, not a minute later.
    const dir = tempDir('export-soon')
    const started = Date.now()
    const checks: number[] = []
    const stub = {
      createContactExport: () => Promise.resolve({ activity_id: 'soon' }),
      getActivity: () => {
        checks.push(Date.now())
        const early = {
          activity_id: 'soon',
          state: 'processing',
          percent_done: 1,
          started_at: new Date(started).toISOString(),
          updated_at: new Date(started + 600).toISOString(),
        }
        return Promise.resolve(
          checks.length === 1 ? early : { activity_id: 'soon', state: 'completed', percent_done: 100 },
        )
      },
      readContactExportFile: <R>(_id: string, consume: (body: ReadableStream<Uint8Array>) => Promise<R>) =>
        consume(new Blob(['contact_id,email_address\r\nc1,a@example.com\r\n']).stream()),
    } as unknown as CcClient
    const saved = await exportList(dir, stub, '0', 'list-soon', { poll: { minMs: 50, firstMinMs: 50, maxMs: 60_000 } })
    expect(saved.state).toBe('saved')
    expect(checks).toHaveLength(2)
    expect(checks[1]! - checks[0]!).toBeLessThan(20_000)
  }, 30_000)
})
