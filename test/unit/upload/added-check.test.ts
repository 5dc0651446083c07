/**
 * Issue 16, "no main-process call that scales with file or job size": when an import's counts say
 * some contacts weren't added and its error lines don't name them all, the run finds which from one
 * export of the list (its active members), read in the body worker against the group file — a few
 * requests whatever the list's size, and nothing per member or address on the run's thread, which
 * gets only each import's bitmap.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { planUpload } from '../../../electron/services/upload/index'
import { KeptWorker } from '../../../electron/services/kept-worker'
import { openGroupFile as openGroupFileHere } from '../../../electron/services/upload/group-file'
import { bitmapRecordSet } from '../../../electron/services/upload/record-set'
import type { UploadChoices } from '../../../shared/upload/schemas'
import type { SimQuirks } from '../../../electron/services/cc-simulator/api-context'
import { connectedAccountPerTest, waitFor } from '../constant-contact/helpers'
import { TEST_SPEED } from '../pace'
import { journalLines, preparedJob, readReportCsv, tempDir, upload } from './helpers'

// What the run's thread does itself: the worker has its own modules, so a call counted here is a
// member or an address handled on the thread that serves the person.
vi.mock('../../../electron/services/upload/added-check', async (original) => {
  const actual = await original<typeof import('../../../electron/services/upload/added-check')>()
  return {
    ...actual,
    namedInErrors: vi.fn(actual.namedInErrors),
    notActiveMembers: vi.fn(actual.notActiveMembers),
  }
})
vi.mock('../../../electron/services/membership/export-members', async (original) => {
  const actual = await original<typeof import('../../../electron/services/membership/export-members')>()
  return { ...actual, forEachExportMember: vi.fn(actual.forEachExportMember) }
})
const { namedInErrors, notActiveMembers } = await import('../../../electron/services/upload/added-check')
const { forEachExportMember } = await import('../../../electron/services/membership/export-members')

const connectAccount = connectedAccountPerTest()
beforeEach(() => vi.clearAllMocks())

const toList = (name: string): UploadChoices => ({
  lists: { '0': { kind: 'name', name }, '1': { kind: 'skip' } },
  createLists: true,
  createCustomFields: true,
})

async function setup(quirks: Partial<SimQuirks> = {}) {
  const ctx = await connectAccount({ speed: TEST_SPEED, seed: 'practice' })
  ctx.sim.control.setQuirks(quirks)
  return { ...ctx, client: await ctx.account.client() }
}

type Ctx = Awaited<ReturnType<typeof setup>>

/** The requests made from the `from`th on, their IDs left out. */
function requestsSince(ctx: Ctx, from: number): string[] {
  return ctx.sim.control
    .requests()
    .slice(from)
    .map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/g, '{id}')}`)
}

async function uploadToList(ctx: Ctx, tag: string, list: string, extraRows: string[][] = []) {
  const job = await preparedJob({ group0: 6, group1: 0, tag, extraRows })
  const plan = await planUpload(job.dir, ctx.client, toList(list))
  const result = await upload(job.dir, ctx.client, { plan }).done
  return { job, result }
}

const notAddedEmails = (dir: string): string[] =>
  readReportCsv(dir)
    .rows.filter((r) => r.Status === 'Not added')
    .map((r) => r.Email!)

describe('which contacts an import added, found from an export of the list', () => {
  for (const exportHeaders of ['field_names', 'labels'] as const)
    it(`asks for one export of the list's active members, not pages of contacts (headers: ${exportHeaders})`, async () => {
      const ctx = await setup({ exportHeaders })
      // Someone who unsubscribed before: Constant Contact counts them, names no one, and leaves them off.
      const job = await preparedJob({
        group0: 6,
        group1: 0,
        tag: `export-${exportHeaders}`,
        extraRows: [['former.member@practice.example', '0', 'Frank']],
      })
      // The sync's export of the list, from before the upload: the check leaves it as it is.
      mkdirSync(join(job.dir, 'membership'), { recursive: true })
      writeFileSync(join(job.dir, 'membership', 'list-0-export.csv'), 'contact_id,email_address\r\n')
      const plan = await planUpload(job.dir, ctx.client, toList(`Export ${exportHeaders}`))
      const before = ctx.sim.control.requests().length
      const messages: string[] = []
      const result = await upload(job.dir, ctx.client, { plan }, { onProgress: (p) => messages.push(p.message ?? '') })
        .done
      expect(result).toMatchObject({ outcome: 'some_not_added', contactsAdded: 6, contactsNotAdded: 1 })
      // The person sees what it waits for.
      expect(messages).toContain(`Asking Constant Contact which contacts it put on the list “Export ${exportHeaders}”…`)
      const check = requestsSince(ctx, before)
      expect(check.filter((r) => r === 'POST /activities/contact_exports')).toHaveLength(1)
      expect(check.filter((r) => r === 'GET /contact_exports/{id}')).toHaveLength(1)
      expect(check.filter((r) => r.startsWith('GET /contacts'))).toEqual([])
      expect(notAddedEmails(job.dir)).toEqual(['former.member@practice.example'])
      // Its own file, removed after; the sync's files untouched.
      expect(readFileSync(join(job.dir, 'membership', 'list-0-export.csv'), 'utf8')).toBe(
        'contact_id,email_address\r\n',
      )
      expect(readdirSync(join(job.dir, 'membership'))).toEqual(['list-0-export.csv'])
    })

  it('a member of the list who unsubscribed counts as not added (they get none of its emails)', async () => {
    const ctx = await setup()
    const first = await uploadToList(ctx, 'member', 'Members')
    expect(first.result.outcome).toBe('all_added')
    const leaver = first.job.emails['0'][2]!
    ctx.sim.control.unsubscribe(leaver)
    // Still on the list, unsubscribed: the next month's import can't add them, and says so only in its counts.
    const listId = ctx.sim.control.snapshot().lists.find((l) => l.name === 'Members')!.list_id
    expect(ctx.sim.control.listMembers(listId)).toContain(leaver)
    const again = await uploadToList(ctx, 'member', 'Members')
    expect(again.result).toMatchObject({ outcome: 'some_not_added', contactsNotAdded: 1 })
    expect(notAddedEmails(again.job.dir)).toEqual([leaver])
  })

  it('the run’s thread holds no member or address: the body worker answers each import’s bitmap', async () => {
    const ctx = await setup()
    const asked: Array<{ op: string; output: unknown }> = []
    const run = KeptWorker.prototype.run
    vi.spyOn(KeptWorker.prototype, 'run').mockImplementation(async function (
      this: KeptWorker<unknown, unknown>,
      input,
    ) {
      const output = await run.call(this, input)
      asked.push({ op: (input as { op?: string }).op ?? '', output })
      return output
    })
    const { job, result } = await uploadToList(ctx, 'thread', 'Thread', [['former.member@practice.example', '0', 'F']])
    expect(result.contactsNotAdded).toBe(1)
    // No addresses came back from the body worker; the check's answers are bitmaps (or "not named").
    expect(asked.filter((a) => a.op === 'emails')).toEqual([])
    const answers = asked.filter((a) => a.op === 'named' || a.op === 'notActive').map((a) => a.output)
    expect(answers).toEqual([null, [expect.stringMatching(/^[A-Za-z0-9+/=]{4}$/)]])
    // Nothing of the check ran here: no group file read, no export read.
    expect(vi.mocked(namedInErrors)).not.toHaveBeenCalled()
    expect(vi.mocked(notActiveMembers)).not.toHaveBeenCalled()
    expect(vi.mocked(forEachExportMember)).not.toHaveBeenCalled()
    const entry = journalLines(job.dir).find((e) => e.type === 'not_on_list')!
    const set = bitmapRecordSet(entry.bitmap, 7)!
    expect([0, 1, 2, 3, 4, 5, 6].filter((i) => set.has(i))).toEqual([6])
  })

  it('a cancel while the export is read stops the check: the run ends cancelled, its file removed', async () => {
    const ctx = await setup()
    // The export's file takes longer than the test may: only the cancel can end the run in time.
    ctx.sim.control.inject({ kind: 'slow', delayMs: 120_000, match: { path: /^\/contact_exports\// } })
    const job = await preparedJob({
      group0: 4,
      group1: 0,
      tag: 'cancel',
      extraRows: [['former.member@practice.example', '0', 'F']],
    })
    const plan = await planUpload(job.dir, ctx.client, toList('Cancel'))
    const run = upload(job.dir, ctx.client, { plan })
    await waitFor(() =>
      ctx.sim.control.requests().some((r) => r.path.startsWith('/contact_exports/')) ? true : undefined,
    )
    run.cancel()
    const result = await run.done
    expect(result.outcome).toBe('cancelled')
    expect(journalLines(job.dir).some((e) => e.type === 'not_on_list')).toBe(false)
    expect(existsSync(join(job.dir, 'membership'))).toBe(false) // nothing else was there: no empty folder left
  })

  for (const [what, fault] of [
    ['the export is refused', { kind: 'refuse', status: 400, match: { path: '/activities/contact_exports' } }],
    [
      'the export file can’t be read',
      { kind: 'refuse', status: 404, times: 5, match: { path: /^\/contact_exports\// } },
    ],
  ] as const)
    it(`when ${what}, the upload still ends and report.csv says to check those contacts`, async () => {
      const ctx = await setup()
      ctx.sim.control.inject(fault)
      const { job, result } = await uploadToList(ctx, 'fails', 'Fails', [['former.member@practice.example', '0', 'F']])
      expect(result).toMatchObject({ outcome: 'some_not_added', contactsNotAdded: 1 })
      expect(journalLines(job.dir).some((e) => e.type === 'not_on_list')).toBe(false)
      const rows = readReportCsv(job.dir).rows
      expect(rows.filter((r) => r.Status === 'Not added')).toEqual([])
      expect(rows.every((r) => /Check this contact in Constant Contact/.test(r.Details ?? ''))).toBe(true)
      expect(existsSync(join(job.dir, 'membership'))).toBe(false)
    })
})

describe('reading an export against an import’s records (in the body worker)', () => {
  async function groupFile() {
    const job = await preparedJob({ group0: 5, group1: 0, tag: 'read' })
    return { file: openGroupFileHere(job.dir, '0'), emails: job.emails['0'] }
  }

  function exportFile(lines: string[]): string {
    const path = join(tempDir('export'), 'export.csv')
    writeFileSync(path, `${lines.join('\r\n')}\r\n`)
    return path
  }

  const offsets = (bitmap: string, count: number): number[] => {
    const set = bitmapRecordSet(bitmap, count)!
    return Array.from({ length: count }, (_, i) => i).filter((i) => set.has(i))
  }

  it('with the status filter applied (no permission column): whoever isn’t in the export wasn’t added', async () => {
    const { file, emails } = await groupFile()
    const path = exportFile(['contact_id,email_address', `a,${emails[0]!.toUpperCase()}`, `b,${emails[3]}`])
    const [bitmap] = await notActiveMembers(file, [{ first: 0, count: 5 }], path, 'L')
    expect(offsets(bitmap!, 5)).toEqual([1, 2, 4])
    file.close()
  })

  it('with the status filter ignored: a row whose permission says unsubscribed counts as not added', async () => {
    const { file, emails } = await groupFile()
    const path = exportFile([
      'Contact ID,Email address,Email permission',
      ...emails.map((e, i) => `c${i},${e},${i === 2 ? 'Unsubscribed' : 'implicit'}`),
    ])
    const bitmaps = await notActiveMembers(
      file,
      [
        { first: 0, count: 3 },
        { first: 3, count: 2 },
      ],
      path,
      'L',
    )
    expect(offsets(bitmaps[0]!, 3)).toEqual([2])
    expect(offsets(bitmaps[1]!, 2)).toEqual([])
    file.close()
  })

  it('holds at most so many records’ addresses at once: past that, the export is read again for the next part', async () => {
    const { file, emails } = await groupFile()
    const path = exportFile(['contact_id,email_address', `a,${emails[1]}`, `b,${emails[3]}`])
    const runs = [
      { first: 0, count: 2 },
      { first: 2, count: 1 },
      { first: 3, count: 2 },
    ]
    const whole = await notActiveMembers(file, runs, path, 'L')
    expect(vi.mocked(forEachExportMember)).toHaveBeenCalledTimes(1)
    vi.mocked(forEachExportMember).mockClear()
    const inParts = await notActiveMembers(file, runs, path, 'L', 3)
    expect(vi.mocked(forEachExportMember)).toHaveBeenCalledTimes(2)
    expect(inParts).toEqual(whole)
    expect(whole.map((b, i) => offsets(b, runs[i]!.count))).toEqual([[0], [0], [1]])
    file.close()
  })

  it('error lines that name every contact not added settle it without the export', async () => {
    const { file, emails } = await groupFile()
    const errors = [`Contact 2: ${emails[1]} could not be added.`, `Contact 5: "${emails[4]}" is on too many lists.`]
    expect(offsets(namedInErrors(file, { first: 0, count: 5 }, errors, 2)!, 5)).toEqual([1, 4])
    expect(namedInErrors(file, { first: 0, count: 5 }, errors, 3)).toBeNull()
    file.close()
  })
})
