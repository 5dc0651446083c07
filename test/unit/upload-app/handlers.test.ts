import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { events as contractEvents, type EventName, type EventPayload } from '../../../shared/contract'
import { dispatchRequest, type Handlers } from '../../../electron/services/contract-dispatch'
import { createUploadHandlers } from '../../../electron/services/upload/handlers'
import { createUploadRates } from '../../../electron/services/upload/rates'
import { createLastChoicesStore } from '../../../electron/services/last-choices'
import { createReportHandlers } from '../../../electron/services/report/handlers'
import { createJobsHandlers } from '../../../electron/services/jobs/handlers'
import type { SpeedSetting } from '../../../electron/services/cc-simulator/activities'
import { connectedAccount, waitFor, closeAfterEach } from '../constant-contact/helpers'
import { preparedJob, tempDir } from '../upload/helpers'

const closeLater = closeAfterEach()

/** The Upload handlers on a connected local Constant Contact, with one prepared job in their jobs folder. */
async function setup(
  speed: SpeedSetting = 'fast',
  spec: { group0: number; group1: number; problems: number; customFields?: number } = {
    group0: 6,
    group1: 4,
    problems: 2,
  },
) {
  const ctx = await connectedAccount({ speed, seed: 'practice' })
  const jobsDir = tempDir('jobs')
  const job = await preparedJob({ ...spec, tag: 'app' })
  const jobId = 'job-one'
  cpSync(job.dir, join(jobsDir, jobId), { recursive: true })
  const emitted: Array<{ event: EventName; payload: unknown }> = []
  const dataDir = tempDir('data')
  const lastChoices = createLastChoicesStore(join(dataDir, 'last-choices.json'))
  const upload = createUploadHandlers({
    account: ctx.account,
    jobsDir,
    rates: createUploadRates(join(dataDir, 'upload-speeds.json')),
    lastChoices,
    emit: (event, payload) => {
      // Every event must be what the contract promises, as it would be checked on the way out.
      contractEvents[event].parse(payload)
      emitted.push({ event, payload })
    },
  })
  const report = createReportHandlers({ jobsDir })
  const jobs = createJobsHandlers({ jobsDir, live: upload.live, forget: () => {} })
  closeLater(async () => {
    await upload.dispose()
    await report.dispose()
    await ctx.close()
  })
  const handlers = { ...upload.handlers, ...report.handlers, ...jobs } as unknown as Handlers
  /** Calls a request the way a transport does: input checked, output checked against the contract. */
  const call = async (name: string, input?: unknown) => dispatchRequest(handlers, name, input, () => {})
  const value = async <T = any>(name: string, input?: unknown): Promise<T> => {
    const envelope = await call(name, input)
    if (!envelope.ok) throw new Error(`${name} failed: ${JSON.stringify(envelope.error)}`)
    return envelope.value as T
  }
  const finished = () =>
    waitFor(
      () => emitted.find((e) => e.event === 'upload.finished')?.payload as EventPayload<'upload.finished'> | undefined,
      30_000,
    )
  return { ctx, jobsDir, jobId, job, emitted, call, value, finished, lastChoices, report }
}

const byName = (name0: string, name1: string) => ({
  lists: { '0': { kind: 'name', name: name0 }, '1': { kind: 'name', name: name1 } },
  createLists: true,
  createCustomFields: false,
})

describe('the Upload handlers', () => {
  it('list the account’s lists with their member counts, by name', async () => {
    const t = await setup()
    const lists = await t.value<Array<{ name: string; memberCount?: number }>>('upload.lists')
    expect(lists.map((l) => l.name)).toEqual(['Customers', 'Newsletter', 'Volunteers'])
    expect(lists.find((l) => l.name === 'Customers')?.memberCount).toBe(2)
  })

  it('plan, upload with progress events, and finish with every contact added and a report', async () => {
    const t = await setup()
    const customers = (await t.value<Array<{ listId: string; name: string }>>('upload.lists')).find(
      (l) => l.name === 'Customers',
    )!
    const plan = await t.value('upload.plan', {
      jobId: t.jobId,
      choices: {
        lists: { '0': { kind: 'existing', listId: customers.listId }, '1': { kind: 'name', name: 'App users' } },
        createLists: true,
        createCustomFields: false,
      },
    })
    expect(plan.blockers).toEqual([])
    expect(plan.groups.map((g: any) => [g.list.name, g.list.exists, g.contacts])).toEqual([
      ['Customers', true, 6],
      ['App users', false, 4],
    ])
    expect(plan.warnings.join(' ')).toMatch(/already has 2 members/)
    expect(plan.totals).toMatchObject({ contacts: 10, activities: 2 })
    expect(JSON.stringify(plan)).not.toContain(t.jobsDir)
    // Planning changes nothing in Constant Contact.
    expect(t.ctx.sim.control.snapshot().lists.map((l) => l.name)).not.toContain('App users')

    const started = await t.value('upload.start', { jobId: t.jobId, start: { planId: plan.planId } })
    expect(started.run).toBe('running')
    const again = await t.call('upload.start', { jobId: t.jobId, start: { planId: plan.planId } })
    expect(again).toMatchObject({ ok: false, error: { code: 'upload_running' } })

    const { result } = await t.finished()
    // The choices are kept for next month's file with the same columns, the new list by its ID now.
    const columns = ['Email', 'Flag', 'First Name']
    expect(t.lastChoices.find(columns)?.lists).toEqual({
      '0': { kind: 'list', name: 'Customers', listId: customers.listId },
      '1': {
        kind: 'list',
        name: 'App users',
        listId: t.ctx.sim.control.snapshot().lists.find((l) => l.name === 'App users')!.list_id,
      },
    })
    expect(result).toMatchObject({
      outcome: 'all_added',
      contactsPlanned: 10,
      contactsAdded: 10,
      contactsNotAdded: 0,
      contactsNotSent: 0,
    })
    const progress = t.emitted
      .filter((e) => e.event === 'upload.progress')
      .map((e) => e.payload as EventPayload<'upload.progress'>)
    expect(progress.length).toBeGreaterThan(1)
    expect(progress.every((p) => p.jobId === t.jobId)).toBe(true)
    expect(
      progress.some((p) =>
        p.progress.activities.some(
          (a) => a.state === 'processing' || a.state === 'initialized' || a.state === 'sending',
        ),
      ),
    ).toBe(true)
    expect(progress.at(-1)!.progress.overall.fraction).toBe(1)

    const status = await t.value('upload.status', { jobId: t.jobId })
    expect(status).toMatchObject({
      run: 'ended',
      sourceFile: 'contacts.csv',
      groupContacts: { '0': 6, '1': 4 },
      journal: { ending: 'completed' },
    })
    expect(await t.value('jobs.list')).toMatchObject([
      { jobId: t.jobId, upload: { state: 'finished', added: 10, notAdded: 0 }, next: 'send', busy: false },
    ])

    const model = await t.value('report.model', { jobId: t.jobId })
    expect(model.status).toBe('all_added')
    expect(model.groups.map((g: any) => [g.listName, g.added])).toEqual([
      ['Customers', 6],
      ['App users', 4],
    ])
    expect(model.rowCounts).toMatchObject({ added: 10, left_out: 2 })
    expect(model.activities.every((a: any) => typeof a.activityId === 'string')).toBe(true)

    const files = await t.value('report.files', { jobId: t.jobId })
    expect(existsSync(files.csvPath) && existsSync(files.htmlPath)).toBe(true)
    // What a download hands over (the web bridge streams it): the stored files, named after the source.
    const csv = await t.report.fileToDownload(t.jobId, 'csv')
    expect(csv).toEqual({
      path: files.csvPath,
      fileName: 'contacts – Splitsend report.csv',
      mimeType: 'text/csv;charset=utf-8',
    })
    expect(readFileSync(csv.path, 'utf8').startsWith('\ufeffRow,')).toBe(true)
    const html = await t.report.fileToDownload(t.jobId, 'html')
    expect(html.mimeType).toMatch(/^text\/html/)
    expect(readFileSync(html.path, 'utf8')).toContain('Splitsend upload report')
  })

  it('refuses the same list for both groups, a plan it didn’t make, and a blocked plan', async () => {
    const t = await setup()
    const plan = await t.value('upload.plan', { jobId: t.jobId, choices: byName('Same list', 'Same list') })
    expect(plan.blockers.join(' ')).toMatch(/same list/)
    expect(await t.call('upload.start', { jobId: t.jobId, start: { planId: plan.planId } })).toMatchObject({
      ok: false,
      error: { code: 'plan_blocked' },
    })
    expect(await t.call('upload.start', { jobId: t.jobId, start: { planId: 'not-a-plan-made-here' } })).toMatchObject({
      ok: false,
      error: { code: 'plan_out_of_date' },
    })
    expect(await t.call('upload.start', { jobId: t.jobId, start: { resume: true } })).toMatchObject({
      ok: false,
      error: { code: 'nothing_to_resume' },
    })
    expect(await t.call('upload.pause', { jobId: t.jobId })).toMatchObject({
      ok: false,
      error: { code: 'upload_not_running' },
    })
    // Nothing was sent.
    expect(t.emitted).toEqual([])
    expect(existsSync(join(t.jobsDir, t.jobId, 'upload-journal.jsonl'))).toBe(false)
  })

  it('skips a group, and asks before creating custom fields', async () => {
    const t = await setup('fast', { group0: 3, group1: 3, problems: 0, customFields: 1 })
    const skipOne = (createCustomFields: boolean) => ({
      lists: { '0': { kind: 'skip' }, '1': { kind: 'name', name: 'Only these' } },
      createLists: true,
      createCustomFields,
    })
    const asked = await t.value('upload.plan', { jobId: t.jobId, choices: skipOne(false) })
    expect(asked.groups[0]).toMatchObject({ skipped: true, activities: 0 })
    expect(asked.totals.contacts).toBe(3)
    expect(asked.customFields).toEqual([expect.objectContaining({ label: 'Note 1', exists: false })])
    expect(asked.blockers.join(' ')).toMatch(/no custom field for “Note 1”/)
    const agreed = await t.value('upload.plan', { jobId: t.jobId, choices: skipOne(true) })
    expect(agreed.blockers).toEqual([])
    expect(agreed.warnings.join(' ')).toMatch(/New custom field will be created/)
    // The earlier plan is gone: only the newest plan of a job can be started.
    expect(await t.call('upload.start', { jobId: t.jobId, start: { planId: asked.planId } })).toMatchObject({
      ok: false,
      error: { code: 'plan_out_of_date' },
    })
    await t.value('upload.start', { jobId: t.jobId, start: { planId: agreed.planId } })
    const { result } = await t.finished()
    expect(result).toMatchObject({ outcome: 'all_added', contactsAdded: 3 })
    expect(t.ctx.sim.control.snapshot().custom_fields.map((f: { label?: string }) => f.label)).toContain('Note 1')
  })

  it('pauses, resumes and cancels a run, saying what was already sent; a cancelled job can be resumed', async () => {
    const slow = { startDelayMs: 300, itemsPerSecond: 1, minDurationMs: 60_000, sendDurationMs: 100 }
    const t = await setup(slow, { group0: 3, group1: 3, problems: 0 })
    const plan = await t.value('upload.plan', { jobId: t.jobId, choices: byName('Slow A', 'Slow B') })
    await t.value('upload.start', { jobId: t.jobId, start: { planId: plan.planId } })
    // Wait until an import is with Constant Contact.
    await waitFor(
      async () =>
        (await t.value('upload.status', { jobId: t.jobId })).progress?.activities.some((a: any) => a.activityId)
          ? true
          : undefined,
      15_000,
    )
    const paused = await t.value('upload.pause', { jobId: t.jobId })
    expect(paused.run).toBe('paused')
    expect(paused.progress.phase).toBe('paused')
    const resumed = await t.value('upload.continue', { jobId: t.jobId })
    expect(resumed.run).toBe('running')
    await t.value('upload.cancel', { jobId: t.jobId })
    const { result } = await t.finished()
    expect(result.outcome).toBe('cancelled')
    expect(result.contactsNotSent).toBeGreaterThan(0)
    expect(result.contactsAdded + result.contactsNotAdded + result.contactsNotSent).toBe(6)

    const status = await t.value('upload.status', { jobId: t.jobId })
    expect(status).toMatchObject({ run: 'ended', journal: { ending: 'cancelled' } })
    const model = await t.value('report.model', { jobId: t.jobId })
    expect(model.status).toBe('cancelled')
    // Resuming continues from the journal.
    const again = await t.value('upload.start', { jobId: t.jobId, start: { resume: true } })
    expect(again.run).toBe('running')
  })

  it('lists a running upload of this session as running, and one a crash left as interrupted, without its folder', async () => {
    const t = await setup({ startDelayMs: 200, itemsPerSecond: 50, minDurationMs: 1_500, sendDurationMs: 50 })
    const plan = await t.value('upload.plan', { jobId: t.jobId, choices: byName('Later A', 'Later B') })
    const { readUploadState } = await import('../../../electron/services/upload/index')
    expect(readUploadState(join(t.jobsDir, t.jobId))).toBeUndefined()
    expect(await t.value('jobs.list')).toMatchObject([{ upload: { state: 'not_started' }, next: 'upload' }])
    await t.value('upload.start', { jobId: t.jobId, start: { planId: plan.planId } })
    // What a page that was reloaded during the upload asks first: the run is there, going on.
    expect(await t.value('jobs.list')).toMatchObject([
      { jobId: t.jobId, sourceFile: 'contacts.csv', upload: { state: 'running' }, next: 'upload', busy: true },
    ])
    await t.value('upload.pause', { jobId: t.jobId })
    expect(await t.value('jobs.get', { jobId: t.jobId })).toMatchObject({ upload: { state: 'paused' } })
    await t.value('upload.continue', { jobId: t.jobId })
    await t.finished()
    const other = createUploadHandlers({
      account: t.ctx.account,
      jobsDir: t.jobsDir,
      emit: () => {},
      rates: createUploadRates(join(tempDir('data'), 'upload-speeds.json')),
    })
    const otherJobs = createJobsHandlers({ jobsDir: t.jobsDir, live: other.live, forget: () => {} })
    // A journal cut short after its plan, as if the app had been killed.
    const journalPath = join(t.jobsDir, t.jobId, 'upload-journal.jsonl')
    const lines = readFileSync(journalPath, 'utf8').trim().split('\n')
    writeFileSync(journalPath, `${lines.slice(0, 2).join('\n')}\n`)
    const jobs = await otherJobs['jobs.list'](undefined)
    expect(jobs).toHaveLength(1)
    expect(jobs[0]).toMatchObject({ jobId: t.jobId, upload: { state: 'interrupted' }, next: 'upload', busy: false })
    expect(JSON.stringify(jobs)).not.toContain(t.jobsDir)
    await other.dispose()
  })

  it('compare the lists with the file in the plan, and take off what the person confirmed after the upload', async () => {
    const t = await setup()
    // The practice lists: Customers has 2 members, Newsletter 3 (one of them on both); none is in the file.
    const plan = await t.value('upload.plan', { jobId: t.jobId, choices: byName('Customers', 'Newsletter') })
    expect(plan.membership.suggested).toBe('move')
    const lists = plan.membership.comparison.lists as Array<{ group: string; notInFile: number; added: number }>
    expect(lists.map((l) => [l.group, l.notInFile, l.added])).toEqual([
      ['0', 2, 6],
      ['1', 3, 4],
    ])
    expect(plan.membership.comparison.onBoth).toMatchObject({ now: 1, move: 1, match: 0 })
    expect(t.emitted.some((e) => e.event === 'upload.planProgress')).toBe(true)

    // "Match" takes 5 off; a screen that confirmed another number starts nothing.
    const wrong = await t.call('upload.start', {
      jobId: t.jobId,
      start: { planId: plan.planId, membership: { policy: 'match', confirmedLeaving: 0 } },
    })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'membership_not_confirmed' } })
    await t.value('upload.start', {
      jobId: t.jobId,
      start: { planId: plan.planId, membership: { policy: 'match', confirmedLeaving: 5 } },
    })
    const { result } = await t.finished()
    expect(result.outcome).toBe('all_added')
    expect(result.membership).toMatchObject({ outcome: 'done', policy: 'match' })
    const members = (name: string) => {
      const id = t.ctx.sim.control.snapshot().lists.find((l) => l.name === name)!.list_id
      return t.ctx.sim.control.listMembers(id).sort()
    }
    expect(members('Customers')).toEqual([...t.job.emails['0']].sort())
    expect(members('Newsletter')).toEqual([...t.job.emails['1']].sort())
    const status = await t.value('upload.status', { jobId: t.jobId })
    expect(status.journal.membershipPolicy).toBe('match')
    const report = await t.value('report.model', { jobId: t.jobId })
    expect(report.groups.map((g: { removed?: number }) => g.removed)).toEqual([2, 3])
  }, 60_000)
})
