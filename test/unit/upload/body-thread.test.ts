/**
 * An upload run reads every contact of the job and serialises it into request bodies (and, for an
 * import Constant Contact refuses, into its halves): that happens in the body worker, never on the
 * thread that serves the person; the run only sends the bytes it gets back.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { planUpload } from '../../../electron/services/upload/index'
import { BodiesHere } from '../../../electron/services/upload/bodies'
import { bodiesInWorker } from '../../../electron/services/upload/body-thread'
import { IMPORT_LIMITS } from '../../../electron/services/upload/chunks'
import { closeAfterEach, connectedAccountPerTest } from '../constant-contact/helpers'
import { expectOutcome, journalLines, listEmails, preparedJob, sorted, upload, withValues } from './helpers'

// Counts the group files read and the bodies built on this thread; the worker has its own modules.
vi.mock('../../../electron/services/upload/chunks', async (original) => {
  const actual = await original<typeof import('../../../electron/services/upload/chunks')>()
  return { ...actual, buildImportBody: vi.fn(actual.buildImportBody), splitActivity: vi.fn(actual.splitActivity) }
})
vi.mock('../../../electron/services/upload/group-file', async (original) => {
  const actual = await original<typeof import('../../../electron/services/upload/group-file')>()
  return { ...actual, openGroupFile: vi.fn(actual.openGroupFile) }
})
const { buildImportBody, splitActivity } = await import('../../../electron/services/upload/chunks')
const { openGroupFile } = await import('../../../electron/services/upload/group-file')

const connectAccount = connectedAccountPerTest()
const closeLater = closeAfterEach()
beforeEach(() => vi.clearAllMocks())

describe("an upload's request bodies", () => {
  it('are built in the body worker, refused imports split there too, and the lists get exactly the job', async () => {
    const ctx = await connectAccount({ speed: 'fast', seed: 'empty' })
    const client = await ctx.account.client()
    const job = await preparedJob({ group0: 30, group1: 20, tag: 'bodies' })
    // A value Constant Contact refuses (over 50 characters): its import is split until it is alone.
    withValues(job.dir, '0', { 7: { first_name: 'F'.repeat(51) } })
    const plan = await planUpload(
      job.dir,
      client,
      {
        lists: { '0': { kind: 'name', name: 'Bodies 0' }, '1': { kind: 'name', name: 'Bodies 1' } },
        createLists: true,
        createCustomFields: true,
      },
      { limits: { ...IMPORT_LIMITS, maxContacts: 10 } },
    )
    expect(plan.activities).toHaveLength(5)

    const result = await upload(job.dir, client, { plan }).done
    expectOutcome(result, 'some_not_added')
    expect(result).toMatchObject({ contactsAdded: 49, contactsNotAdded: 1 })
    expect(journalLines(job.dir).filter((e) => e.type === 'split').length).toBeGreaterThan(0)
    const lists = ctx.sim.control.snapshot().lists
    const listOf = (name: string): string => lists.find((l) => l.name === name)!.list_id
    expect(sorted(await listEmails(client, listOf('Bodies 0')))).toEqual(
      sorted(job.emails['0'].filter((_, i) => i !== 7)),
    )
    expect(sorted(await listEmails(client, listOf('Bodies 1')))).toEqual(sorted(job.emails['1']))

    expect(openGroupFile).not.toHaveBeenCalled()
    expect(buildImportBody).not.toHaveBeenCalled()
    expect(splitActivity).not.toHaveBeenCalled()
  })

  it('are the same bytes as built on this thread', async () => {
    const job = await preparedJob({ group0: 12, group1: 9, tag: 'same-bytes' })
    const ctx = await connectAccount({ speed: 'instant', seed: 'empty' })
    const plan = await planUpload(
      job.dir,
      await ctx.account.client(),
      {
        lists: { '0': { kind: 'name', name: 'Same 0' }, '1': { kind: 'name', name: 'Same 1' } },
        createLists: true,
        createCustomFields: true,
      },
      { limits: { ...IMPORT_LIMITS, maxContacts: 5 } },
    )
    const of = { jobDir: job.dir, fieldNames: plan.sizing.fieldNames }
    const here = new BodiesHere(of)
    const there = bodiesInWorker(of)
    closeLater(async () => void (await Promise.all([here.close(), there.close()])))
    for (const activity of plan.activities) {
      const listId = plan.sizing.listIds[activity.group]!
      const bytes = await there.body(activity, listId, plan.limits)
      expect(bytes.byteLength).toBe(activity.bodyBytes)
      expect(Buffer.from(bytes).equals(Buffer.from(await here.body(activity, listId, plan.limits)))).toBe(true)
      expect(await there.emails(activity.group, activity.first, 2)).toEqual(
        await here.emails(activity.group, activity.first, 2),
      )
    }
    expect(buildImportBody).toHaveBeenCalledTimes(plan.activities.length)
    expect(openGroupFile).toHaveBeenCalled()
  })
})
