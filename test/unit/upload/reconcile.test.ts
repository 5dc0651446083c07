/**
 * Finding a lost import again (issue 14 item 3), against the strict local Constant Contact: GET
 * /activities in an order of no meaning, and items_total_count counting a header row.
 */
import { createHash, randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { seedData } from '../../../electron/services/cc-simulator/seed'
import type { SimData } from '../../../electron/services/cc-simulator/index'
import { findLostActivity } from '../../../electron/services/constant-contact/lost-requests'
import type { CcEvent } from '../../../electron/services/constant-contact/transport'
import { planUpload } from '../../../electron/services/upload/index'
import type { UploadChoices } from '../../../shared/upload/schemas'
import { IMPORT_LIMITS } from '../../../electron/services/upload/chunks'
import { connectedAccount, closeAfterEach } from '../constant-contact/helpers'
import { expectOutcome, journalLines, upload, listEmails, preparedJob, readReportCsv, sorted, tempDir } from './helpers'

const closeLater = closeAfterEach()

async function strictSetup(options: { onEvent?: (e: CcEvent) => void; data?: SimData } = {}) {
  let dataDir: string | undefined
  if (options.data) {
    dataDir = tempDir('strict-sim')
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(join(dataDir, 'cc-simulator-state.json'), JSON.stringify(options.data))
  }
  const ctx = await connectedAccount(
    { speed: 'fast', strict: true, ...(dataDir ? { dataDir } : {}) },
    { ...(options.onEvent ? { onEvent: options.onEvent } : {}) },
  )
  closeLater(ctx.close)
  return { ...ctx, client: await ctx.account.client() }
}

const oneGroup = (name: string): UploadChoices => ({
  lists: { '0': { kind: 'name', name }, '1': { kind: 'skip' } },
  createLists: true,
  createCustomFields: true,
})

const journal = journalLines

function importsInto(ctx: Awaited<ReturnType<typeof strictSetup>>, name: string) {
  const list = ctx.sim.control.snapshot().lists.find((l) => l.name === name)!.list_id
  return ctx.sim.control.snapshot().activities.filter((a) => a.kind === 'json_import' && a.list_ids.includes(list))
}

describe('a lost import found again, with nothing documented assumed', () => {
  it('finds an import that counts a header row (n + 1) among activities listed in any order: nothing is sent twice', async () => {
    const ctx = await strictSetup()
    const job = await preparedJob({ group0: 9, group1: 0, tag: 'strict' })
    const plan = await planUpload(job.dir, ctx.client, oneGroup('Strict'), {
      limits: { ...IMPORT_LIMITS, maxContacts: 3 },
    })
    // The answers to the first two imports are lost after Constant Contact has handled them.
    ctx.sim.control.inject({
      kind: 'drop_connection',
      when: 'after_handling',
      times: 2,
      match: { path: '/activities/contacts_json_import' },
    })
    const result = await upload(job.dir, ctx.client, { plan }).done
    expectOutcome(result, 'all_added')
    expect(importsInto(ctx, 'Strict').map((a) => a.counts.items_total_count)).toEqual([4, 4, 4]) // header rows
    const found = journal(job.dir).filter((e) => e.type === 'reconciled')
    expect(found).toHaveLength(2)
    expect(found.every((e) => typeof e.activityId === 'string')).toBe(true)
    expect(sorted(await listEmails(ctx.client, importsInto(ctx, 'Strict')[0]!.list_ids[0]!))).toEqual(
      sorted(job.emails['0']),
    )
  })

  it('reads every page of GET /activities, whatever their order, to find it', async () => {
    const data = seedData('practice', Date.now())
    const hashOf = (id: string) => createHash('sha256').update(id).digest('hex')
    const old = new Date(Date.now() - 3 * 3600_000).toISOString()
    const record = (id: string, created: string, items: number): SimData['activities'][number] => ({
      activity_id: id,
      kind: 'json_import',
      state: 'completed',
      created_at: created,
      updated_at: created,
      started_at: created,
      completed_at: created,
      start_ms: Date.parse(created),
      duration_ms: 0,
      list_ids: [data.lists[0]!.list_id],
      items: [],
      applied: items,
      total: items,
      counts: {
        items_total_count: items + 1,
        person_count: items,
        error_count: 0,
        correctable_count: 0,
        cannot_add_to_list_count: 0,
      },
      activity_errors: [],
    })
    // 1,200 imports of three hours ago, and the lost one (7 contacts) a moment ago, with an ID
    // that lists it last in the strict order: only a reader of every page finds it.
    const others = Array.from({ length: 1200 }, () => record(randomUUID(), old, 7))
    const highest = others
      .map((a) => hashOf(a.activity_id))
      .sort()
      .at(-1)!
    let lostId = randomUUID()
    while (hashOf(lostId) < highest) lostId = randomUUID()
    data.activities = [...others, record(lostId, new Date(Date.now() - 1000).toISOString(), 7)]
    const ctx = await strictSetup({ data })

    const finding = await findLostActivity(ctx.client, { kind: 'import', items: 7, since: Date.now() - 2000 })
    expect(finding).toMatchObject({ found: 'one', activity: { activity_id: lostId } })
    const pages = ctx.sim.control.requests().filter((r) => r.method === 'GET' && r.path === '/activities')
    expect(pages).toHaveLength(3)
  })

  it('when other imports of the same size arrived at the same time: asks, sends nothing on a guess, and sends again when told', async () => {
    let armed = false
    const ctx = await strictSetup({
      onEvent: (e) => {
        // Once the plan has read the account's activities: the answer to the send is lost, and the
        // network goes, so the run can't look for it.
        if (!armed && e.type === 'response' && e.method === 'GET' && e.path.endsWith('/activities')) {
          armed = true
          ctx.sim.control.inject({
            kind: 'drop_connection',
            when: 'after_handling',
            times: 1,
            match: { path: '/activities/contacts_json_import' },
          })
          ctx.sim.control.inject({
            kind: 'drop_connection',
            when: 'before_handling',
            times: 5,
            match: { method: 'GET', path: '/activities' },
          })
        }
      },
    })
    const job = await preparedJob({ group0: 4, group1: 0, tag: 'asked' })
    const stopped = await upload(job.dir, ctx.client, {
      plan: await planUpload(job.dir, ctx.client, oneGroup('Asked')),
    }).done
    expect(stopped.error?.code).toBe('cc_unreachable')

    // Meanwhile two other jobs send imports of exactly the same size.
    for (const tag of ['other-a', 'other-b']) {
      const other = await preparedJob({ group0: 4, group1: 0, tag })
      const plan = await planUpload(other.dir, ctx.client, oneGroup(`List ${tag}`))
      expectOutcome(await upload(other.dir, ctx.client, { plan }).done, 'all_added')
    }

    const asked = await upload(job.dir, ctx.client, { resume: true }).done
    expect(asked.outcome).toBe('stopped')
    expect(asked.error).toMatchObject({ code: 'upload_import_unclear' })
    expect(asked.error!.message).toContain('can’t tell whether Constant Contact got it')
    expect(asked.error!.hint).toContain('Send it again')
    expect(importsInto(ctx, 'Asked')).toHaveLength(1) // the lost one only: nothing sent on a guess
    const unclear = journal(job.dir).find((e) => e.type === 'unclear')!
    expect((unclear.candidates as unknown[]).length).toBe(3)
    const report = readReportCsv(job.dir)
    expect(report.rows.filter((r) => r.Status === 'Sent; not finished when the report was made')).toHaveLength(4)
    expect(report.rows[0]!.Details).toContain('can’t tell whether Constant Contact got it')

    // Asked again without an answer: still asks, still sends nothing.
    expect((await upload(job.dir, ctx.client, { resume: true }).done).error?.code).toBe('upload_import_unclear')
    expect(importsInto(ctx, 'Asked')).toHaveLength(1)

    // The person says to send it again.
    expectOutcome(await upload(job.dir, ctx.client, { resume: true, resendUnclear: true }).done, 'all_added')
    expect(importsInto(ctx, 'Asked')).toHaveLength(2)
    expect(journal(job.dir).find((e) => e.type === 'reconciled' && e.decidedBy === 'person')).toBeDefined()
    expect(readReportCsv(job.dir).rows.filter((r) => r.Status === 'Added to the list')).toHaveLength(4)
  })
})
