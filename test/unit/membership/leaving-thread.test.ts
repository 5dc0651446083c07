/**
 * A removal run reads the contacts leaving each list from its leaving files: that happens in the
 * leaving worker, never on the thread that serves the person (issue 16: nothing that grows with a
 * job's size on the main process); the run only gets each removal's contacts back.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { planBatches } from '../../../electron/services/membership/batches'
import { LEAVING_HEADER, MEMBERSHIP_FILES, membershipDir } from '../../../electron/services/membership/files'
import { compareLists, startMembership, type MembershipChoice } from '../../../electron/services/membership/index'
import { leavingInWorker } from '../../../electron/services/membership/leaving-thread'
import { tempDir } from '../temp'
import { fastAccount, members, movedOffListZero, sortedUnique, TEST_POLL, twoMonths, uploadMonth } from './helpers'

// Counts the leaving files read on this thread; the worker has its own modules.
vi.mock('../../../electron/services/membership/csv-records', async (original) => {
  const actual = await original<typeof import('../../../electron/services/membership/csv-records')>()
  return { ...actual, csvRecordChunks: vi.fn(actual.csvRecordChunks) }
})
const { csvRecordChunks } = await import('../../../electron/services/membership/csv-records')
const { LeavingFiles } = await import('../../../electron/services/membership/batches')

let ctx: Awaited<ReturnType<typeof fastAccount>>
beforeAll(async () => {
  ctx = await fastAccount()
}, 30_000)
afterAll(() => ctx?.close())

describe('the contacts a removal takes off a list', () => {
  it('are read in the leaving worker, and the lists end as the choice says', async () => {
    const names: [string, string] = ['Leaving zero', 'Leaving one']
    const { month1, month2 } = await twoMonths({ contacts: 3_000, flip: 0.1, leave: 0.05, tag: 'lw-' })
    const ids = await uploadMonth(ctx.client, month1, names)
    const lists = { '0': { listId: ids['0'], listName: names[0] }, '1': { listId: ids['1'], listName: names[1] } }
    const record = await compareLists(month2.dir, ctx.client, lists, { poll: TEST_POLL, comparison: 'worker' })
    await uploadMonth(ctx.client, month2, names)
    const confirmed: MembershipChoice['confirmed'] = {}
    for (const l of record.comparison.lists) confirmed[l.group] = { movedOut: l.movedOut, notInFile: l.notInFile }
    vi.clearAllMocks()

    const result = await startMembership(
      month2.dir,
      ctx.client,
      { choice: { policy: 'match', lists, confirmed } },
      { poll: TEST_POLL, exports: { poll: TEST_POLL }, comparison: 'worker' },
    ).done
    expect(result.outcome, JSON.stringify(result.error)).toBe('done')
    expect(result.lists.map((l) => l.removed)).toEqual(record.comparison.lists.map((l) => l.movedOut + l.notInFile))
    expect(members(ctx.sim, ids['0'])).toEqual(sortedUnique(month2.groups['0']))
    expect(members(ctx.sim, ids['1'])).toEqual(sortedUnique(month2.groups['1']))

    expect(csvRecordChunks).not.toHaveBeenCalled()
  }, 120_000)

  it('are the same as read on this thread, and a file shorter than planned is refused the same way', async () => {
    const dir = tempDir('leaving')
    membershipDir(dir)
    const name = MEMBERSHIP_FILES.leaving('0', 'moved')
    const rows = Array.from({ length: 1_234 }, (_, i) => `id-${i},p${i}@example.com,"Name, ${i}"`)
    writeFileSync(join(dir, name), `${LEAVING_HEADER.join(',')}\r\n${rows.join('\r\n')}\r\n`)
    const leaving = (count: number) => movedOffListZero(name, count)
    const here = new LeavingFiles(dir)
    const there = leavingInWorker(dir)
    for (const batch of planBatches(leaving(1_234), 'move', 1)) {
      expect(await there.contactIdsOf(batch)).toEqual(await here.contactIdsOf(batch))
      expect(await there.sampleOf(batch)).toEqual(await here.sampleOf(batch))
    }
    const [last] = planBatches(leaving(1_234), 'move', 1).slice(-1)
    expect((await there.sampleOf(last!)).map((c) => c.contactId)).toEqual(['id-1000', 'id-1117', 'id-1233'])
    const [tooMany] = planBatches(leaving(1_300), 'move', 2).slice(-1)
    await expect(there.contactIdsOf(tooMany!)).rejects.toMatchObject({ code: 'membership_files_changed' })
    await Promise.all([here.close(), there.close()])
  })
})
