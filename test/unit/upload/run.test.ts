import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  JOURNAL_FILE,
  listUnfinishedJobs,
  planUpload,
  type UploadPlan,
  type UploadRun,
} from '../../../electron/services/upload/index'
import type { UploadChoices } from '../../../shared/upload/schemas'
import { IMPORT_LIMITS } from '../../../electron/services/upload/chunks'
import type { SpeedSetting } from '../../../electron/services/cc-simulator/activities'
import type { CcEvent } from '../../../electron/services/constant-contact/transport'
import { jumpingClock, settle } from '../clock'
import { TEST_SPEED } from '../pace'
import { connectedAccount, waitFor, closeAfterEach } from '../constant-contact/helpers'
import {
  expectOutcome,
  journalLines,
  listEmails,
  preparedJob,
  progressRecorder,
  readReportCsv,
  sorted,
  tempDir,
  upload,
  type PreparedJob,
} from './helpers'

const closeLater = closeAfterEach()

async function setup(speed: SpeedSetting = TEST_SPEED, onEvent?: (event: CcEvent) => void) {
  const events: CcEvent[] = []
  /** Every request to the API as the client starts it ("GET /v3/activities/…"), answered or not. */
  const started: string[] = []
  const ctx = await connectedAccount(
    { speed, seed: 'practice' },
    {
      onEvent: (e) => {
        events.push(e)
        onEvent?.(e)
      },
      fetch: (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input))
        if (url.pathname.startsWith('/v3/')) started.push(`${init?.method ?? 'GET'} ${url.pathname}`)
        return fetch(input, init)
      },
    },
  )
  closeLater(ctx.close)
  return { ...ctx, client: await ctx.account.client(), events, started }
}

/** True for the transport's report of an answered import. */
const isImportAnswer = (e: CcEvent): boolean =>
  e.type === 'response' && e.method === 'POST' && e.path.endsWith('/activities/contacts_json_import')

const choices = (a: string, b: string): UploadChoices => ({
  lists: { '0': { kind: 'name', name: a }, '1': { kind: 'name', name: b } },
  createLists: true,
  createCustomFields: true,
})

/** A plan cut into activities of `per` contacts, so a small job has several activities. */
async function smallPlan(
  ctx: Awaited<ReturnType<typeof setup>>,
  job: PreparedJob,
  names: [string, string],
  per = 5,
): Promise<UploadPlan> {
  const plan = await planUpload(job.dir, ctx.client, choices(...names), {
    limits: { ...IMPORT_LIMITS, maxContacts: per },
  })
  expect(plan.blockers).toEqual([])
  return plan
}

function listId(ctx: Awaited<ReturnType<typeof setup>>, name: string): string {
  return ctx.sim.control.snapshot().lists.find((l) => l.name === name)!.list_id
}

/** Both lists hold exactly the job's contacts, and the report has one outcome per row. */
async function expectExactLists(ctx: Awaited<ReturnType<typeof setup>>, job: PreparedJob, names: [string, string]) {
  expect(sorted(await listEmails(ctx.client, listId(ctx, names[0])))).toEqual(sorted(job.emails['0']))
  expect(sorted(await listEmails(ctx.client, listId(ctx, names[1])))).toEqual(sorted(job.emails['1']))
  const report = readReportCsv(job.dir)
  expect(report.rows).toHaveLength(job.summary.rows)
  expect(new Set(report.rows.map((r) => r.Row)).size).toBe(job.summary.rows)
}

function importPosts(ctx: Awaited<ReturnType<typeof setup>>) {
  return ctx.sim.control
    .requests()
    .filter((r) => r.method === 'POST' && r.path === '/activities/contacts_json_import' && r.status === 201)
}

/** Every import POST that reached the local Constant Contact, answered or not. */
function importPostsAll(ctx: Awaited<ReturnType<typeof setup>>) {
  return ctx.sim.control.requests().filter((r) => r.method === 'POST' && r.path === '/activities/contacts_json_import')
}

/** The import activities the local Constant Contact holds for a list. */
function importsInto(ctx: Awaited<ReturnType<typeof setup>>, list: string) {
  return ctx.sim.control.snapshot().activities.filter((a) => a.kind === 'json_import' && a.list_ids.includes(list))
}

/** The journal's entries of one type, as far as it is written (none before it exists). */
function journalEntries(dir: string, type: string): Array<Record<string, unknown>> {
  return existsSync(join(dir, JOURNAL_FILE)) ? readJournal(dir).filter((e) => e.type === type) : []
}

const readJournal = journalLines

describe('a run', () => {
  it('reports per-activity and overall progress as plain data, and a report for every row', async () => {
    const ctx = await setup()
    const job = await preparedJob({ group0: 12, group1: 8, problems: 3, tag: 'prog' })
    const plan = await smallPlan(ctx, job, ['P0', 'P1'])
    const requestsBeforeRun = ctx.sim.control.requests().length
    const { events, onProgress } = progressRecorder()
    const result = await upload(
      job.dir,
      ctx.client,
      { plan },
      { onProgress, account: { name: 'Test account', email: 'me@example.com' } },
    ).done
    // Started right after its plan: the plan's anchor serves, and each new list is looked up once and created.
    const runRequests = ctx.sim.control.requests().slice(requestsBeforeRun)
    expect(runRequests.filter((r) => r.method === 'GET' && r.path === '/activities')).toHaveLength(0)
    expect(runRequests.filter((r) => r.path === '/contact_lists').map((r) => r.method)).toEqual([
      'GET',
      'POST',
      'GET',
      'POST',
    ])
    expectOutcome(result, 'all_added')
    expect(result).toMatchObject({ contactsPlanned: 20, contactsAdded: 20, contactsNotAdded: 0, contactsNotSent: 0 })

    const ids = plan.activities.map((a) => a.id)
    expect(ids).toEqual(['0-1', '0-2', '0-3', '1-1', '1-2'])
    const last = events.at(-1)!
    expect(last.phase).toBe('finished')
    expect(last.overall).toMatchObject({
      contactsTotal: 20,
      contactsProcessed: 20,
      activitiesTotal: 5,
      activitiesFinished: 5,
      fraction: 1,
    })
    for (const row of last.activities) {
      expect(row).toMatchObject({ state: 'completed', percentDone: 100, attempt: 1, errorLines: 0 })
      expect(row.activityId).toMatch(/^[0-9a-f-]{36}$/)
      expect(row.counts).toMatchObject({ items_total_count: row.contacts, person_count: row.contacts, error_count: 0 })
    }
    // Each activity's states were seen in their order, from waiting to completed. Events are at most
    // ~10 a second, so at the tests' pace a short activity's steps between can fall inside one of them.
    const LIFECYCLE = ['waiting', 'sending', 'initialized', 'processing', 'completed']
    // Repeats in a row dropped, not all repeats: a state that came back later must still be seen.
    const statesOf = (id: string) =>
      events.map((e) => e.activities.find((a) => a.id === id)!.state).filter((s, i, all) => i === 0 || s !== all[i - 1])
    for (const id of ids) {
      const seen = statesOf(id)
      expect(seen[0]).toBe('waiting')
      expect(seen.at(-1)).toBe('completed')
      expect(seen.map((s) => LIFECYCLE.indexOf(s))).toEqual(seen.map((s) => LIFECYCLE.indexOf(s)).sort((a, b) => a - b))
    }
    const fractions = events.filter((e) => e.phase === 'uploading').map((e) => e.overall.fraction)
    expect(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!)).toBe(true)
    expect(events.some((e) => e.phase === 'uploading' && e.overall.etaSeconds !== undefined)).toBe(true)
    // Several activities were in flight at once.
    expect(
      Math.max(
        ...events.map((e) => e.activities.filter((a) => ['initialized', 'processing'].includes(a.state)).length),
      ),
    ).toBeGreaterThan(1)
    // No 429 in a normal run, and few status checks: about one or two per activity.
    expect(ctx.sim.control.requests().filter((r) => r.status === 429)).toHaveLength(0)
    const polls = ctx.sim.control.requests().filter((r) => r.method === 'GET' && r.path.startsWith('/activities/'))
    expect(polls.length).toBeLessThanOrEqual(ids.length * 3)

    await expectExactLists(ctx, job, ['P0', 'P1'])
    const report = readReportCsv(job.dir)
    expect(report.text.startsWith('\ufeffRow,Email,Group,Outcome')).toBe(true)
    expect(report.rows.filter((r) => r.Status === 'Added to the list')).toHaveLength(20)
    expect(report.rows.filter((r) => r.Status === 'Left out')).toHaveLength(3)
    expect(report.rows.find((r) => r.Email === job.emails['0'][0])).toMatchObject({
      Outcome: 'Added to list “P0”',
      List: 'P0',
      Group: 'Flag: no',
    })
    const rowNumbers = report.rows.map((r) => Number(r.Row))
    expect(rowNumbers).toEqual([...rowNumbers].sort((a, b) => a - b))
    const html = readFileSync(join(job.dir, 'report.html'), 'utf8')
    expect(html).toContain('Constant Contact added all 20 contacts')
    expect(html).toContain('Test account (me@example.com)')
    expect(html).toContain('<svg')
    expect(html).not.toMatch(/<script|src=|href=|@import|url\(/i)
    for (const row of last.activities) expect(html).toContain(row.activityId!)
  })

  it('pauses (no requests while paused) and resumes to the end', async () => {
    let run: UploadRun | undefined
    let imports = 0
    let startedAtPause = -1
    const ctx = await setup(TEST_SPEED, (e) => {
      // Paused the moment the second import is answered, before the engine can send a third.
      if (isImportAnswer(e) && ++imports === 2) {
        run!.pause()
        startedAtPause = ctx.started.length
      }
    })
    const job = await preparedJob({ group0: 15, group1: 10, tag: 'pause' })
    const plan = await smallPlan(ctx, job, ['Pause0', 'Pause1'])
    const clock = jumpingClock()
    const { events, onProgress } = progressRecorder()
    run = upload(job.dir, ctx.client, { plan }, { onProgress, timers: clock })
    // The send under way when it paused finishes: its outcome must be known.
    await waitFor(() => (journalEntries(job.dir, 'submitted').length >= 2 ? true : undefined))
    expect(run.paused).toBe(true)
    // Ten minutes pass for the engine, every status check and wake-up it had planned falls due: nothing is sent.
    await clock.jump(10 * 60_000)
    await settle()
    expect(ctx.started.length).toBe(startedAtPause)
    expect(importPosts(ctx)).toHaveLength(2)
    expect(events.at(-1)!.phase).toBe('paused')
    run.resume()
    const result = await run.done
    expectOutcome(result, 'all_added')
    expect(importPosts(ctx)).toHaveLength(plan.activities.length)
    await expectExactLists(ctx, job, ['Pause0', 'Pause1'])
  })

  it('cancels: sends nothing more, says what was sent, and a later run finishes without resending', async () => {
    let run: UploadRun | undefined
    let imports = 0
    const ctx = await setup(TEST_SPEED, (e) => {
      // Cancelled the moment the second import is answered, before the engine can send a third.
      if (isImportAnswer(e) && ++imports === 2) run!.cancel()
    })
    const job = await preparedJob({ group0: 15, group1: 10, problems: 2, tag: 'cancel' })
    const plan = await smallPlan(ctx, job, ['Cancel0', 'Cancel1'])
    const clock = jumpingClock()
    run = upload(job.dir, ctx.client, { plan }, { timers: clock })
    const result = await run.done
    expect(result.outcome).toBe('cancelled')
    const started = ctx.started.length
    await clock.jump(10 * 60_000)
    await settle()
    expect(ctx.started.length).toBe(started) // nothing more went out, however long
    expect(importPosts(ctx)).toHaveLength(2)
    // The three activities never sent, plus those sent and not finished when it stopped.
    expect(result.contactsNotSent).toBeGreaterThanOrEqual(15)
    const report = readReportCsv(job.dir)
    expect(report.rows).toHaveLength(job.summary.rows)
    expect(report.rows.filter((r) => r.Status === 'Not sent')).toHaveLength(15)
    expect(readFileSync(join(job.dir, 'report.html'), 'utf8')).toContain('The upload was cancelled')
    expect(listUnfinishedJobs(join(job.dir, '..'))).toEqual([])
    expect(listUnfinishedJobs(join(job.dir, '..'), { includeCancelled: true })).toMatchObject([
      { jobDir: job.dir, status: 'cancelled' },
    ])

    const finished = await upload(job.dir, ctx.client, { resume: true }).done
    expectOutcome(finished, 'all_added')
    expect(importPosts(ctx)).toHaveLength(plan.activities.length) // each activity sent exactly once
    await expectExactLists(ctx, job, ['Cancel0', 'Cancel1'])
    expect(readReportCsv(job.dir).rows.filter((r) => r.Status === 'Added to the list')).toHaveLength(25)
  })

  it('reports an activity that completes with errors, row by row, and exits as "some not added"', async () => {
    const ctx = await setup('instant')
    // The practice account has a contact who unsubscribed before: an import can't put them on a list.
    const job = await preparedJob({
      group0: 4,
      group1: 3,
      tag: 'err',
      extraRows: [['former.member@practice.example', '0', 'Former']],
    })
    const plan = await planUpload(job.dir, ctx.client, choices('Err0', 'Err1'))
    const result = await upload(job.dir, ctx.client, { plan }).done
    expect(result.outcome).toBe('some_not_added')
    expect(result.contactsNotAdded).toBe(1)
    const row = result.activities.find((a) => a.group === '0')!
    expect(row.counts).toMatchObject({ items_total_count: 5, person_count: 4, cannot_add_to_list_count: 1 })
    const report = readReportCsv(job.dir)
    const group0Rows = report.rows.filter((r) => r.Group === 'Flag: no')
    // Which contact it was is known (it isn't on the list): the rows agree with Constant Contact's counts.
    expect(group0Rows.filter((r) => r.Status === 'Added to the list')).toHaveLength(4)
    const notAdded = group0Rows.filter((r) => r.Status === 'Not added')
    expect(notAdded.map((r) => r.Email)).toEqual(['former.member@practice.example'])
    expect(notAdded[0]!.Details).toMatch(/added 4 of the 5 contacts.*1 had unsubscribed before/)
    expect(report.rows.filter((r) => r.Group === 'Flag: yes').every((r) => r.Status === 'Added to the list')).toBe(true)
    expect(readFileSync(join(job.dir, 'report.html'), 'utf8')).toContain('reported 1 it did not add')
  })

  it('neutralises formula-looking cells in report.csv', async () => {
    const ctx = await setup('instant')
    const job = await preparedJob({
      group0: 1,
      group1: 1,
      tag: 'formula',
      extraRows: [
        ['=cmd@example.com', '0', 'x'],
        ['+sum@example.com', '1', 'y'],
        ['@bad', '2', 'z'],
      ],
    })
    const plan = await planUpload(job.dir, ctx.client, choices('F0', 'F1'))
    await upload(job.dir, ctx.client, { plan }).done
    const { rows } = readReportCsv(job.dir)
    expect(rows).toHaveLength(job.summary.rows)
    for (const r of rows) for (const cell of Object.values(r)) expect(cell).not.toMatch(/^[=+\-@]/)
    expect(rows.some((r) => r.Email === "'@bad")).toBe(true)
  })

  it('lets one uploader at a time work on a job: a second is refused at once and nothing is sent twice', async () => {
    const ctx = await setup()
    const job = await preparedJob({ group0: 12, group1: 9, tag: 'lock' })
    const plan = await smallPlan(ctx, job, ['Lock0', 'Lock1'])
    const first = upload(job.dir, ctx.client, { plan })
    const second = await upload(job.dir, ctx.client, { plan }).done
    expect(second.outcome).toBe('stopped')
    expect(second.error).toMatchObject({
      code: 'upload_busy',
      message: expect.stringContaining('uploading the contacts of this job'),
    })
    expectOutcome(await first.done, 'all_added')
    expect(existsSync(join(job.dir, 'upload.lock'))).toBe(false)
    expect(importPosts(ctx)).toHaveLength(plan.activities.length)
    await expectExactLists(ctx, job, ['Lock0', 'Lock1'])
    // Once the first has finished, the job can be opened again.
    expectOutcome(await upload(job.dir, ctx.client, { resume: true }).done, 'all_added')
    expect(importPosts(ctx)).toHaveLength(plan.activities.length)
  })
})

describe('faults of the local Constant Contact', () => {
  const faultCases = [
    {
      name: 'a burst of 500s on sends',
      fault: { kind: 'server_error', status: 500, times: 3, match: { path: '/activities/contacts_json_import' } },
    },
    {
      name: '503s on status checks',
      fault: { kind: 'server_error', status: 503, times: 3, match: { method: 'GET', path: /^\/activities\// } },
    },
    {
      name: 'a connection dropped before a send is handled',
      fault: {
        kind: 'drop_connection',
        when: 'before_handling',
        times: 2,
        match: { path: '/activities/contacts_json_import' },
      },
    },
    {
      name: 'a connection dropped after a send was handled',
      fault: {
        kind: 'drop_connection',
        when: 'after_handling',
        times: 1,
        match: { path: '/activities/contacts_json_import' },
      },
    },
    {
      name: 'a connection dropped on a status check',
      fault: {
        kind: 'drop_connection',
        when: 'after_handling',
        times: 2,
        match: { method: 'GET', path: /^\/activities\// },
      },
    },
    { name: '429 throttled answers', fault: { kind: 'throttle', times: 3 } },
    { name: 'slow answers', fault: { kind: 'slow', delayMs: 300, times: 4 } },
  ] as const
  for (const c of faultCases) {
    it(`gets every contact onto its list despite ${c.name}`, async () => {
      const ctx = await setup()
      const job = await preparedJob({ group0: 8, group1: 6, tag: `fault${c.name.length}` })
      const names: [string, string] = [`${c.name} 0`, `${c.name} 1`]
      const plan = await smallPlan(ctx, job, names, 4)
      ctx.sim.control.inject(structuredClone(c.fault) as never)
      const result = await upload(job.dir, ctx.client, { plan }).done
      expectOutcome(result, 'all_added')
      await expectExactLists(ctx, job, names)
    })
  }

  it('resends an activity that failed or timed out, a bounded number of times, then reports it', async () => {
    const ctx = await setup()
    const job = await preparedJob({ group0: 4, group1: 4, tag: 'failing' })
    const plan = await smallPlan(ctx, job, ['Fail0', 'Fail1'], 4)
    ctx.sim.control.failNextActivities({ state: 'failed', atPercent: 50 }, 1)
    ctx.sim.control.failNextActivities({ state: 'timed_out', atPercent: 0 }, 1)
    const ok = await upload(job.dir, ctx.client, { plan }).done
    expectOutcome(ok, 'all_added')
    expect(ok.activities.map((a) => a.attempt).sort()).toEqual([2, 2])
    await expectExactLists(ctx, job, ['Fail0', 'Fail1'])

    // Always failing: three sends, then reported as not added.
    const job2 = await preparedJob({ group0: 3, group1: 2, tag: 'alwaysfail' })
    const plan2 = await planUpload(job2.dir, ctx.client, {
      ...choices('Always0', 'Always1'),
      lists: { '0': { kind: 'name', name: 'Always0' }, '1': { kind: 'skip' } },
    })
    ctx.sim.control.failNextActivities({ state: 'failed', atPercent: 0, errors: ['Simulated internal error.'] }, 3)
    const failed = await upload(job2.dir, ctx.client, { plan: plan2 }).done
    expect(failed.outcome).toBe('some_not_added')
    const bad = failed.activities.find((a) => a.group === '0')!
    expect(bad).toMatchObject({ state: 'failed', attempt: 3 })
    expect(failed.contactsNotAdded).toBe(3)
    const report = readReportCsv(job2.dir)
    expect(report.rows.filter((r) => r.Status === 'Not added')).toHaveLength(3)
    expect(report.rows.filter((r) => r.Status === 'Group not uploaded')).toHaveLength(2)
    expect(report.rows.find((r) => r.Status === 'Not added')!.Outcome).toMatch(/could not finish the import/)
    expect(readFileSync(join(job2.dir, 'report.html'), 'utf8')).toContain('Simulated internal error.')
  })

  it('renews an expired access token without stopping', async () => {
    const ctx = await setup()
    const job = await preparedJob({ group0: 6, group1: 6, tag: 'expire' })
    const plan = await smallPlan(ctx, job, ['Exp0', 'Exp1'], 3)
    const run = upload(job.dir, ctx.client, { plan })
    await waitFor(() => (importPosts(ctx).length >= 1 ? true : undefined), 20_000, 10)
    ctx.sim.control.expireAccessTokens()
    expectOutcome(await run.done, 'all_added')
    expect(ctx.events.some((e) => e.type === 'retry' && e.reason === 'token_renewed')).toBe(true)
    await expectExactLists(ctx, job, ['Exp0', 'Exp1'])
  })

  it('stops cleanly when the sign-in ends, lists the job as unfinished, and resumes after reconnecting', async () => {
    const ctx = await setup()
    const jobsDir = tempDir('jobs')
    const job = await preparedJob({ group0: 6, group1: 6, tag: 'revoke' })
    const plan = await smallPlan(ctx, job, ['Rev0', 'Rev1'], 3)
    const run = upload(job.dir, ctx.client, { plan })
    await waitFor(() => (importPosts(ctx).length >= 1 ? true : undefined), 20_000, 10)
    ctx.sim.control.revokeRefreshTokens()
    ctx.sim.control.expireAccessTokens()
    const stopped = await run.done
    expect(stopped.outcome).toBe('stopped')
    expect(stopped.error).toMatchObject({
      code: 'cc_reconnect_needed',
      message: expect.stringMatching(/no longer connected/),
    })
    expect(readFileSync(join(job.dir, 'report.html'), 'utf8')).toContain('The upload stopped')
    const { renameSync } = await import('node:fs')
    const moved = join(jobsDir, 'job-1')
    renameSync(job.dir, moved)
    expect(listUnfinishedJobs(jobsDir)).toMatchObject([
      { jobId: 'job-1', status: 'stopped', error: { code: 'cc_reconnect_needed' }, activitiesTotal: 4 },
    ])
    renameSync(moved, job.dir)

    const endpoint = { apiBase: ctx.sim.apiBase, authBase: ctx.sim.authBase }
    await ctx.account.connect({ mode: 'browser', endpoint })
    const client = await ctx.account.client()
    const postsBefore = importPosts(ctx).length
    const finished = await upload(job.dir, client, { resume: true }).done
    expectOutcome(finished, 'all_added')
    expect(importPosts(ctx).length - postsBefore).toBeLessThan(plan.activities.length) // finished ones were not resent
    await expectExactLists(ctx, job, ['Rev0', 'Rev1'])
  })

  it('stops on the daily allowance with when to resume, and resumes from the journal', async () => {
    const ctx = await setup()
    const job = await preparedJob({ group0: 6, group1: 6, tag: 'quota' })
    const plan = await smallPlan(ctx, job, ['Quota0', 'Quota1'], 3)
    const run = upload(job.dir, ctx.client, { plan })
    await waitFor(() => (importPosts(ctx).length >= 2 ? true : undefined), 20_000, 10)
    ctx.sim.control.setDailyUsage(10_000)
    const stopped = await run.done
    expect(stopped.outcome).toBe('stopped')
    expect(stopped.error?.code).toBe('cc_daily_limit')
    expect(Date.parse(stopped.error!.resumeAt!)).toBeGreaterThan(Date.now())
    ctx.sim.control.setDailyUsage(0)
    expectOutcome(await upload(job.dir, ctx.client, { resume: true }).done, 'all_added')
    await expectExactLists(ctx, job, ['Quota0', 'Quota1'])
  })

  it('waits while Constant Contact has too many activities queued', async () => {
    // Each import stays queued long enough for the next send to find it there, even on a busy machine
    // (at the tests' 50 ms an import could finish before the next request arrived: failed once under load).
    const ctx = await setup({ ...TEST_SPEED, minDurationMs: 600 })
    ctx.sim.control.setLimits({ queuedActivities: 1 })
    const job = await preparedJob({ group0: 6, group1: 3, tag: 'queue' })
    const plan = await smallPlan(ctx, job, ['Queue0', 'Queue1'], 3)
    expectOutcome(await upload(job.dir, ctx.client, { plan }).done, 'all_added')
    expect(ctx.events.some((e) => e.type === 'retry' && e.reason === 'activity_queue_full')).toBe(true)
    await expectExactLists(ctx, job, ['Queue0', 'Queue1'])
  })

  it('when the answer to a send is lost after Constant Contact handled it: finds it at once and sends nothing twice', async () => {
    const ctx = await setup()
    const job = await preparedJob({ group0: 4, group1: 4, tag: 'lostanswer' })
    const names: [string, string] = ['Lost0', 'Lost1']
    const plan = await smallPlan(ctx, job, names, 4)
    ctx.sim.control.inject({
      kind: 'drop_connection',
      when: 'after_handling',
      times: 1,
      match: { path: '/activities/contacts_json_import' },
    })
    const result = await upload(job.dir, ctx.client, { plan }).done
    expectOutcome(result, 'all_added')

    // The import reached Constant Contact once and was never sent again, by the connection layer or the engine.
    expect(importPostsAll(ctx)).toHaveLength(plan.activities.length)
    for (const name of names) {
      const imports = importsInto(ctx, listId(ctx, name))
      expect(imports).toHaveLength(1)
      expect(imports[0]!.counts.items_total_count).toBe(4)
    }
    const journal = readJournal(job.dir)
    const reconciled = journal.filter((e) => e.type === 'reconciled')
    expect(reconciled).toHaveLength(1)
    expect(reconciled[0]!.activityId).toEqual(expect.any(String)) // found in GET /activities
    expect(ctx.sim.control.snapshot().activities.map((a) => a.activity_id)).toContain(reconciled[0]!.activityId)
    expect(journal.filter((e) => e.type === 'submit_intent')).toHaveLength(plan.activities.length)
    expect(journal.some((e) => e.type === 'stopped')).toBe(false)
    expect(ctx.events.some((e) => e.type === 'retry' && e.path.endsWith('/contacts_json_import'))).toBe(false)
    await expectExactLists(ctx, job, names)
  })

  it('when a send is lost before Constant Contact handled it: checks, then sends it once more', async () => {
    const ctx = await setup()
    const job = await preparedJob({ group0: 4, group1: 4, tag: 'lostsend' })
    const names: [string, string] = ['Gone0', 'Gone1']
    const plan = await smallPlan(ctx, job, names, 4)
    ctx.sim.control.inject({
      kind: 'drop_connection',
      when: 'before_handling',
      times: 1,
      match: { path: '/activities/contacts_json_import' },
    })
    const result = await upload(job.dir, ctx.client, { plan }).done
    expectOutcome(result, 'all_added')

    expect(importPostsAll(ctx)).toHaveLength(plan.activities.length + 1) // the lost one, then its resend
    expect(importPosts(ctx)).toHaveLength(plan.activities.length)
    for (const name of names) expect(importsInto(ctx, listId(ctx, name))).toHaveLength(1)
    const journal = readJournal(job.dir)
    const reconciled = journal.filter((e) => e.type === 'reconciled')
    expect(reconciled).toHaveLength(1)
    expect(reconciled[0]!.activityId).toBeNull() // not there…
    const lostId = reconciled[0]!.activity
    const intents = journal.filter((e) => e.type === 'submit_intent' && e.activity === lostId)
    expect(intents).toHaveLength(2) // …so sent once more, as the same attempt
    expect(intents.map((e) => e.attempt)).toEqual([1, 1])
    await expectExactLists(ctx, job, names)
  })

  it('when sends keep getting lost before Constant Contact handles them: tries a bounded number of times, then stops', async () => {
    const ctx = await setup()
    const job = await preparedJob({ group0: 4, group1: 4, tag: 'alwayslost' })
    const names: [string, string] = ['Always0', 'Always1']
    const plan = await smallPlan(ctx, job, names, 4)
    ctx.sim.control.inject({
      kind: 'drop_connection',
      when: 'before_handling',
      times: 5,
      match: { path: '/activities/contacts_json_import' },
    })
    const stopped = await upload(job.dir, ctx.client, { plan }).done
    expect(stopped.outcome).toBe('stopped')
    expect(stopped.error?.code).toBe('cc_outcome_unknown')
    expect(importPostsAll(ctx)).toHaveLength(5)
    expect(ctx.sim.control.snapshot().activities.filter((a) => a.kind === 'json_import')).toHaveLength(0)
    expect(
      readJournal(job.dir)
        .filter((e) => e.type === 'reconciled')
        .map((e) => e.activityId),
    ).toEqual([null, null, null, null, null])

    expectOutcome(await upload(job.dir, ctx.client, { resume: true }).done, 'all_added')
    for (const name of names) expect(importsInto(ctx, listId(ctx, name))).toHaveLength(1)
    await expectExactLists(ctx, job, names)
  })

  it('when Constant Contact stays unreachable after a lost answer: stops, then asks it before resending', async () => {
    let armed = false
    const ctx = await setup(TEST_SPEED, (e) => {
      // Once the run has read its anchor, the answer to the first send is lost and the network goes.
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
    })
    const job = await preparedJob({ group0: 4, group1: 4, tag: 'netloss' })
    const plan = await smallPlan(ctx, job, ['Net0', 'Net1'], 4)
    const stopped = await upload(job.dir, ctx.client, { plan }).done
    expect(stopped.outcome).toBe('stopped')
    expect(stopped.error?.code).toBe('cc_unreachable')
    const created = ctx.sim.control.snapshot().activities.length
    expect(created).toBe(1)
    expect(readJournal(job.dir).filter((e) => e.type === 'reconciled')).toHaveLength(0) // left for the next run

    const resumed = await upload(job.dir, ctx.client, { resume: true }).done
    expectOutcome(resumed, 'all_added')
    const reconciled = readJournal(job.dir).filter((e) => e.type === 'reconciled')
    expect(reconciled).toHaveLength(1)
    expect(reconciled[0]!.activityId).toEqual(expect.any(String)) // found, so not sent again
    expect(ctx.sim.control.snapshot().activities.length).toBe(created + 1) // only group 1's activity is new
    await expectExactLists(ctx, job, ['Net0', 'Net1'])
  })

  it('after a lost send, does not mistake another job’s import of the same size for it', async () => {
    let armed = false
    const ctx = await setup(TEST_SPEED, (e) => {
      // Once the run has read its anchor, the network is gone: the send never arrives, nor the check after it.
      if (!armed && e.type === 'response' && e.method === 'GET' && e.path.endsWith('/activities')) {
        armed = true
        ctx.sim.control.inject({
          kind: 'drop_connection',
          when: 'before_handling',
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
    })
    const job = await preparedJob({ group0: 4, group1: 0, tag: 'mine' })
    const other = await preparedJob({ group0: 4, group1: 0, tag: 'theirs' })
    const skip1 = (name: string): UploadChoices => ({
      ...choices(name, 'unused'),
      lists: { '0': { kind: 'name', name }, '1': { kind: 'skip' } },
    })
    const plan = await planUpload(job.dir, ctx.client, skip1('Mine'))
    expect((await upload(job.dir, ctx.client, { plan }).done).outcome).toBe('stopped')
    // Meanwhile another job sends an import of exactly the same size.
    expectOutcome(
      await upload(other.dir, ctx.client, { plan: await planUpload(other.dir, ctx.client, skip1('Theirs')) }).done,
      'all_added',
    )

    expectOutcome(await upload(job.dir, ctx.client, { resume: true }).done, 'all_added')
    const journal = readFileSync(join(job.dir, JOURNAL_FILE), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    const adopted = journal.find((e) => e.type === 'reconciled')!
    expect(adopted).toMatchObject({ verify: true, activityId: expect.any(String) }) // it looked like ours…
    expect(journal.find((e) => e.type === 'finished' && e.state === 'lost')).toBeDefined() // …the check said no
    expect(sorted(await listEmails(ctx.client, listId(ctx, 'Mine')))).toEqual(sorted(job.emails['0']))
    expect(sorted(await listEmails(ctx.client, listId(ctx, 'Theirs')))).toEqual(sorted(other.emails['0']))
  })
})
