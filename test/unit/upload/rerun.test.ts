/**
 * Issue 15, upload: a run after failures tries again; report.csv's rows agree with what Constant
 * Contact counted as added; a stop on the daily allowance says what was accepted and what goes on
 * the next run.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { planUpload } from '../../../electron/services/upload/index'
import { IMPORT_LIMITS } from '../../../electron/services/upload/chunks'
import type { UploadChoices } from '../../../shared/upload/schemas'
import { waitFor, connectedAccountPerTest } from '../constant-contact/helpers'
import { TEST_SPEED } from '../pace'
import { expectOutcome, listEmails, preparedJob, readReportCsv, sorted, upload } from './helpers'

const connectAccount = connectedAccountPerTest()

async function setup() {
  const ctx = await connectAccount({ speed: TEST_SPEED, seed: 'practice' })
  return { ...ctx, client: await ctx.account.client() }
}

const group0Only = (name: string): UploadChoices => ({
  lists: { '0': { kind: 'name', name }, '1': { kind: 'skip' } },
  createLists: true,
  createCustomFields: true,
})

function reportModel(dir: string): { statusText: string } {
  return JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).model as { statusText: string }
}

describe('running the upload again', () => {
  it('after an activity failed three times, a new run sends it again (three more times at most)', async () => {
    const ctx = await setup()
    const job = await preparedJob({ group0: 3, group1: 0, tag: 'retry' })
    const plan = await planUpload(job.dir, ctx.client, group0Only('Retry'))
    ctx.sim.control.failNextActivities({ state: 'failed', atPercent: 0, errors: ['Simulated internal error.'] }, 3)
    const failed = await upload(job.dir, ctx.client, { plan }).done
    expect(failed).toMatchObject({ outcome: 'some_not_added', contactsNotAdded: 3 })
    expect(failed.activities[0]).toMatchObject({ state: 'failed', attempt: 3 })

    const again = await upload(job.dir, ctx.client, { resume: true }).done
    expectOutcome(again, 'all_added')
    expect(again.activities[0]).toMatchObject({ state: 'completed', attempt: 4 })
    const list = ctx.sim.control.snapshot().lists.find((l) => l.name === 'Retry')!.list_id
    expect(sorted(await listEmails(ctx.client, list))).toEqual(sorted(job.emails['0']))
    expect(readReportCsv(job.dir).rows.filter((r) => r.Status === 'Added to the list')).toHaveLength(3)
  })
})

describe('report.csv and Constant Contact’s counts', () => {
  it('rows of an import Constant Contact reported problems for say, each, whether it was added', async () => {
    const ctx = await setup()
    // Two people of the practice account unsubscribed before: Constant Contact won't add them.
    const job = await preparedJob({
      group0: 6,
      group1: 0,
      tag: 'counts',
      extraRows: [['former.member@practice.example', '0', 'Frank']],
    })
    const plan = await planUpload(job.dir, ctx.client, group0Only('Counts'))
    const result = await upload(job.dir, ctx.client, { plan }).done
    expect(result).toMatchObject({ outcome: 'some_not_added', contactsAdded: 6, contactsNotAdded: 1 })

    const rows = readReportCsv(job.dir).rows
    const added = rows.filter((r) => r.Status === 'Added to the list')
    expect(added).toHaveLength(result.contactsAdded) // the rows agree with Constant Contact's count
    const notAdded = rows.filter((r) => r.Status === 'Not added')
    expect(notAdded.map((r) => r.Email)).toEqual(['former.member@practice.example'])
    expect(notAdded[0]!.Outcome).toBe('Not added: Constant Contact didn’t add this contact')
    expect(notAdded[0]!.Details).toContain('had unsubscribed before and stay off the list')
    expect(rows.filter((r) => r.Status === 'Sent; Constant Contact reported errors')).toEqual([])
  })
})

describe('a stop on the daily allowance', () => {
  it('the report says what was accepted so far, and that the rest goes on the next run', async () => {
    const ctx = await setup()
    const job = await preparedJob({ group0: 9, group1: 0, tag: 'daily' })
    const plan = await planUpload(job.dir, ctx.client, group0Only('Daily'), {
      limits: { ...IMPORT_LIMITS, maxContacts: 3 },
    })
    const imports = () =>
      ctx.sim.control
        .requests()
        .filter((r) => r.method === 'POST' && r.path === '/activities/contacts_json_import' && r.status === 201)
    // The second import is held back two seconds before Constant Contact counts it, so the
    // allowance runs out in that window whatever the machine's load (unheld, all three imports can
    // be accepted before the test sees the first).
    const importPath = { method: 'POST', path: '/activities/contacts_json_import' }
    ctx.sim.control.inject({ kind: 'slow', delayMs: 0, match: importPath })
    ctx.sim.control.inject({ kind: 'slow', delayMs: 2_000, match: importPath })
    const run = upload(job.dir, ctx.client, { plan })
    await waitFor(() => (imports().length >= 1 ? true : undefined), 20_000, 5)
    ctx.sim.control.setDailyUsage(10_000)
    const stopped = await run.done
    expect(stopped.error?.code).toBe('cc_daily_limit')

    const accepted = stopped.contactsAdded
    const statusText = reportModel(job.dir).statusText
    expect(statusText).toContain(
      `Upload paused by Constant Contact’s daily allowance of requests: ${accepted} contacts accepted so far`,
    )
    expect(statusText).toContain(`The other ${stopped.contactsNotSent} go on the next run of the upload after `)
    const rows = readReportCsv(job.dir).rows.filter((r) => r.Status === 'Not sent')
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) expect(row.Details).toContain('daily allowance of requests ran out before this contact')
  })
})
