/**
 * The Jobs view's engine (electron/services/jobs/list.ts): every job in the jobs folder read from
 * its folder alone, where "Continue" takes it, the choices it was made with, and removing one —
 * never a report without the person's say, never a job being uploaded.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { jobChoices, listJobs, readJob, removeJob } from '../../../electron/services/jobs/list'
import { appendEntry, newAttemptId, SEND_JOURNAL_FILE } from '../../../electron/services/send/journal'
import { planUpload } from '../../../electron/services/upload/index'
import type { GroupKey } from '../../../shared/ids'
import { connectedAccountPerTest } from '../constant-contact/helpers'
import { TEST_SPEED } from '../pace'
import { expectOutcome, preparedJob, tempDir, upload } from '../upload/helpers'

const connectAccount = connectedAccountPerTest()
const noRunsHere = () => undefined

/** A jobs folder with one prepared job in it, named `jobId`. */
async function jobsFolderWithJob(jobId = '2026-05-01-contacts-abc123') {
  const jobsDir = tempDir('jobs')
  const job = await preparedJob({ group0: 3, group1: 2, problems: 2, tag: 'jobs' })
  cpSync(job.dir, join(jobsDir, jobId), { recursive: true })
  return { jobsDir, jobId, dir: join(jobsDir, jobId) }
}

async function uploaded(dir: string) {
  const ctx = await connectAccount({ speed: TEST_SPEED, seed: 'practice' })
  const client = await ctx.account.client()
  const plan = await planUpload(dir, client, {
    lists: { '0': { kind: 'name', name: 'May non-users' }, '1': { kind: 'name', name: 'May users' } },
    createLists: true,
    createCustomFields: false,
  })
  expectOutcome(await upload(dir, client, { plan }).done, 'all_added')
  return ctx.sim.control.snapshot().lists
}

/** A send recorded in the job's send journal as the send engine records one Constant Contact accepted. */
function recordSend(dir: string, group: GroupKey, campaignName: string, listId: string, listName: string) {
  const attempt = newAttemptId()
  appendEntry(dir, {
    type: 'intent',
    attempt,
    group,
    campaignId: `campaign-${group}`,
    campaignName,
    activityId: `activity-${group}`,
    listId,
    listName,
    when: 'now',
    before: { status: 'DRAFT', sendIds: [] },
    replaced: [],
  })
  appendEntry(dir, { type: 'accepted', attempt, confirmation: { source: 'answer', sendId: 1 } })
}

describe('the jobs in the jobs folder', () => {
  it('shows a prepared job: its file, groups and rows left out; Continue opens the upload; it goes without asking', async () => {
    const { jobsDir, jobId } = await jobsFolderWithJob()
    // A folder whose pass hasn't finished (no job.json) is not a job yet.
    mkdirSync(join(jobsDir, '2026-05-02-half-done-aaa111'))
    writeFileSync(join(jobsDir, '2026-05-02-half-done-aaa111', 'summary.json'), '{}')
    const jobs = await listJobs(jobsDir, noRunsHere)
    expect(jobs).toHaveLength(1)
    expect(jobs[0]).toMatchObject({
      jobId,
      sourceFile: 'contacts.csv',
      rows: 7,
      leftOut: 2,
      groups: [
        { group: '0', name: 'Flag: no', contacts: 3, send: 'not_sent' },
        { group: '1', name: 'Flag: yes', contacts: 2, send: 'not_sent' },
      ],
      upload: { state: 'not_started', added: 0 },
      next: 'upload',
      hasReport: false,
      busy: false,
    })
    expect(jobs[0]!.groups[0]).not.toHaveProperty('list')
    // Deleted off this thread (a large job's files take time to delete): nothing is gone when the call returns.
    const removing = removeJob(jobsDir, jobId, { deleteReport: false, live: noRunsHere })
    expect(existsSync(join(jobsDir, jobId))).toBe(true)
    await removing
    expect(await listJobs(jobsDir, noRunsHere)).toEqual([])
  })

  it('after the upload: its lists and counts, Continue opens Send, and its report is not deleted without the person’s say', async () => {
    const { jobsDir, jobId, dir } = await jobsFolderWithJob()
    await uploaded(dir)
    const job = await readJob(jobsDir, jobId, noRunsHere)
    expect(job).toMatchObject({
      groups: [{ list: 'May non-users' }, { list: 'May users' }],
      upload: { state: 'finished', added: 5, notAdded: 0, notSent: 0, activitiesFinished: 2, activitiesTotal: 2 },
      next: 'send',
      hasReport: true,
    })
    await expect(removeJob(jobsDir, jobId, { deleteReport: false, live: noRunsHere })).rejects.toThrow(
      expect.objectContaining({ code: 'report_would_be_deleted' }),
    )
    expect(existsSync(join(dir, 'report.html'))).toBe(true)
    await removeJob(jobsDir, jobId, { deleteReport: true, live: noRunsHere })
    expect(existsSync(dir)).toBe(false)
  })

  it('after both sends: the campaigns, and Continue opens the report; the choices are the next file’s', async () => {
    const { jobsDir, jobId, dir } = await jobsFolderWithJob()
    const lists = await uploaded(dir)
    const idOf = (name: string) => lists.find((l) => l.name === name)!.list_id
    recordSend(dir, '0', 'Spring update', idOf('May non-users'), 'May non-users')
    expect(await readJob(jobsDir, jobId, noRunsHere)).toMatchObject({ next: 'send', groups: [{ send: 'sent' }, {}] })
    recordSend(dir, '1', 'Welcome', idOf('May users'), 'May users')
    expect(await readJob(jobsDir, jobId, noRunsHere)).toMatchObject({
      next: 'report',
      groups: [
        { campaign: 'Spring update', send: 'sent' },
        { campaign: 'Welcome', send: 'sent' },
      ],
    })
    expect(await jobChoices(jobsDir, jobId)).toEqual({
      jobId,
      sourceFile: 'contacts.csv',
      preparedAt: expect.any(String),
      format: 'csv',
      read: { encoding: 'utf-8', delimiter: ',', headerRow: 1 },
      columns: {
        email: 'Email',
        flag: 'Flag',
        fields: [{ column: 'First Name', target: { kind: 'field', field: 'first_name' } }],
      },
      flags: { group0Values: [], group1Values: [], leaveOutValues: [] },
      blankFlag: 'problem',
      groupNames: { '0': 'Flag: no', '1': 'Flag: yes' },
      onConflict: 'exclude',
      lists: {
        '0': { listId: idOf('May non-users'), name: 'May non-users' },
        '1': { listId: idOf('May users'), name: 'May users' },
      },
      campaigns: {
        '0': { campaignId: 'campaign-0', name: 'Spring update' },
        '1': { campaignId: 'campaign-1', name: 'Welcome' },
      },
    })
  })

  it('shows a run of this session as running, and a job another process is uploading as busy: neither is removed', async () => {
    const { jobsDir, jobId, dir } = await jobsFolderWithJob()
    expect(await readJob(jobsDir, jobId, () => 'running')).toMatchObject({ upload: { state: 'running' }, busy: true })
    await expect(removeJob(jobsDir, jobId, { deleteReport: true, live: () => 'paused' })).rejects.toThrow(
      expect.objectContaining({ code: 'job_busy' }),
    )
    // Another process's upload lock (process 1 always runs).
    writeFileSync(
      join(dir, 'upload.lock'),
      JSON.stringify({ pid: 1, host: hostname(), token: 't', since: new Date().toISOString(), purpose: 'upload' }),
    )
    expect(await readJob(jobsDir, jobId, noRunsHere)).toMatchObject({ upload: { state: 'elsewhere' }, busy: true })
    await expect(removeJob(jobsDir, jobId, { deleteReport: true, live: noRunsHere })).rejects.toThrow(
      expect.objectContaining({ code: 'job_busy' }),
    )
    expect(existsSync(dir)).toBe(true)
  })

  it('still lists a job whose record of sends is damaged, saying so, its sends unknown and nothing to continue', async () => {
    const { jobsDir, jobId, dir } = await jobsFolderWithJob()
    recordSend(dir, '0', 'Spring update', 'list-0', 'May non-users')
    const path = join(dir, SEND_JOURNAL_FILE)
    writeFileSync(path, readFileSync(path, 'utf8').replace('"group":"0"', '"group":"zero"'))
    const jobs = await listJobs(jobsDir, noRunsHere)
    expect(jobs).toHaveLength(1)
    expect(jobs[0]).toMatchObject({
      jobId,
      next: 'report',
      groups: [{ send: 'unclear' }, { send: 'unclear' }],
      damaged: { code: 'job_damaged', message: expect.stringContaining('the field “group”') },
    })
    expect(jobs[0]!.groups[0]).not.toHaveProperty('campaign')
  })

  it('still lists a job whose upload record is damaged, saying so, its lists unknown and nothing to continue', async () => {
    const { jobsDir, jobId, dir } = await jobsFolderWithJob()
    await uploaded(dir)
    const path = join(dir, 'upload-journal.jsonl')
    writeFileSync(path, readFileSync(path, 'utf8').replace('"type":"plan"', '"type":"plan",,'))
    const jobs = await listJobs(jobsDir, noRunsHere)
    expect(jobs).toHaveLength(1)
    expect(jobs[0]).toMatchObject({
      jobId,
      next: 'report',
      damaged: { code: 'job_damaged', message: expect.stringContaining('upload record') },
    })
  })

  it('refuses a job ID that is not a folder Splitsend made', async () => {
    const jobsDir = tempDir('jobs')
    for (const jobId of ['..', 'missing-job', '../jobs'])
      await expect(readJob(jobsDir, jobId, noRunsHere)).rejects.toThrow(
        expect.objectContaining({ code: 'job_not_found' }),
      )
  })
})
