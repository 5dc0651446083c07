/**
 * Field lengths at upload (issue 14 item 2): when Constant Contact refuses an import request with
 * 400 (the local one refuses any value over JsonImportContact's lengths, the strict reading), the
 * upload finds the refused contacts by sending halves, and only those are reported not added, each
 * with Constant Contact's reason.
 */
import { describe, expect, it } from 'vitest'
import { planUpload } from '../../../electron/services/upload/index'
import { IMPORT_LIMITS } from '../../../electron/services/upload/chunks'
import { connectedAccountPerTest } from '../constant-contact/helpers'
import {
  expectOutcome,
  journalLines,
  upload,
  listEmails,
  preparedJob,
  readReportCsv,
  sorted,
  withValues,
} from './helpers'

const connectAccount = connectedAccountPerTest()

async function setup() {
  const ctx = await connectAccount({ speed: 'fast' })
  return { ...ctx, client: await ctx.account.client() }
}

const journal = journalLines

describe('an import Constant Contact refuses with 400', () => {
  it('is split in halves until each refused contact is found; the others are added, and the report names each refused one with the reason', async () => {
    const ctx = await setup()
    const job = await preparedJob({ group0: 20, group1: 0, tag: 'long' })
    // Two values over the documented lengths (50 for a first name): Prepare would cut them; here
    // they reach Constant Contact as they are.
    withValues(job.dir, '0', { 3: { first_name: 'F'.repeat(51) }, 17: { first_name: 'G'.repeat(60) } })
    const plan = await planUpload(job.dir, ctx.client, {
      lists: { '0': { kind: 'name', name: 'Halves' }, '1': { kind: 'skip' } },
      createLists: true,
      createCustomFields: true,
    })
    expect(plan.activities).toHaveLength(1)
    const imports = () =>
      ctx.sim.control.requests().filter((r) => r.method === 'POST' && r.path === '/activities/contacts_json_import')
    const result = await upload(job.dir, ctx.client, { plan }).done
    expectOutcome(result, 'some_not_added')
    expect(result).toMatchObject({ contactsPlanned: 20, contactsAdded: 18, contactsNotAdded: 2, contactsNotSent: 0 })

    const refusedEmails = [job.emails['0'][3]!, job.emails['0'][17]!]
    const list = ctx.sim.control.snapshot().lists.find((l) => l.name === 'Halves')!.list_id
    expect(sorted(await listEmails(ctx.client, list))).toEqual(
      sorted(job.emails['0'].filter((e) => !refusedEmails.includes(e))),
    )
    // 400s answered, each for a half holding a refused contact: far fewer requests than contacts.
    const refusals = imports().filter((r) => r.status === 400)
    expect(refusals.length).toBeGreaterThan(2)
    expect(imports().length).toBeLessThan(20)
    expect(journal(job.dir).filter((e) => e.type === 'split').length).toBe(refusals.length - 2)

    const rows = readReportCsv(job.dir).rows
    expect(rows.filter((r) => r.Status === 'Added to the list')).toHaveLength(18)
    const refused = rows.filter((r) => r.Status === 'Not added')
    expect(refused.map((r) => r.Email).sort()).toEqual(refusedEmails.sort())
    for (const row of refused) {
      expect(row.Outcome).toBe('Not added: Constant Contact refused this contact')
      expect(row.Details).toContain('first_name is longer than the 50 characters allowed')
    }
  })

  it('a refused half that is refused again keeps being split; each part is sent once, within the rate limit', async () => {
    const ctx = await setup()
    const job = await preparedJob({ group0: 9, group1: 0, tag: 'each' })
    withValues(job.dir, '0', { 0: { first_name: 'A'.repeat(51) }, 1: { first_name: 'B'.repeat(51) } })
    const plan = await planUpload(
      job.dir,
      ctx.client,
      {
        lists: { '0': { kind: 'name', name: 'Each' }, '1': { kind: 'skip' } },
        createLists: true,
        createCustomFields: true,
      },
      { limits: { ...IMPORT_LIMITS, maxContacts: 4 } },
    )
    const result = await upload(job.dir, ctx.client, { plan }).done
    expect(result).toMatchObject({ contactsAdded: 7, contactsNotAdded: 2 })
    const parts = journal(job.dir)
      .filter((e) => e.type === 'split')
      .flatMap((e) => (e.parts as Array<{ id: string }>).map((p) => p.id))
    expect(parts).toEqual(['0-1.1', '0-1.2', '0-1.1.1', '0-1.1.2'])
    // Every part was sent exactly once.
    const sends = journal(job.dir)
      .filter((e) => e.type === 'submit_intent')
      .map((e) => e.activity)
    expect(new Set(sends).size).toBe(sends.length)
    // Each part went through the shared rate limiter: Constant Contact never had to refuse one as too fast.
    expect(ctx.sim.control.requests().filter((r) => r.status === 429)).toEqual([])
  })
})
