import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LeavingFiles, planBatches } from '../../../electron/services/membership/batches'
import type { ComparisonRecord } from '../../../electron/services/membership/compare'
import { LEAVING_HEADER, MEMBERSHIP_FILES, membershipDir } from '../../../electron/services/membership/files'
import { tempDir } from '../upload/helpers'

const file = (name: string, count: number) => ({ file: name, sha256: `sha-${name}`, count })

const record = {
  version: 1,
  comparison: { comparedAt: '', lists: [], onBoth: { now: 0, add: 0, move: 0, match: 0, sample: [] } },
  lists: {
    '0': { listId: 'list-0', exportSha256: 'x', leaving: { moved: file('m0', 1_234), not_in_file: file('n0', 10) } },
    '1': { listId: 'list-1', exportSha256: 'y', leaving: { moved: file('m1', 500), not_in_file: file('n1', 0) } },
  },
  groups: { '0': 1, '1': 1 },
} satisfies ComparisonRecord

describe('cutting the leavers into removals', () => {
  it('makes removals of at most 500 contacts, one list and one reason each, covering every leaver once', () => {
    const move = planBatches(record, 'move', 1)
    expect(move.map((b) => [b.id, b.listId, b.reason, b.first, b.count])).toEqual([
      ['1:0-moved-1', 'list-0', 'moved', 0, 500],
      ['1:0-moved-2', 'list-0', 'moved', 500, 500],
      ['1:0-moved-3', 'list-0', 'moved', 1000, 234],
      ['1:1-moved-1', 'list-1', 'moved', 0, 500],
    ])
    const match = planBatches(record, 'match', 2)
    expect(match.filter((b) => b.reason === 'not_in_file').map((b) => [b.id, b.count])).toEqual([
      ['2:0-not_in_file-1', 10],
    ])
    expect(planBatches(record, 'add', 1)).toEqual([])
  })

  it('reads each removal’s contacts from its file, forwards and back again', async () => {
    const dir = tempDir('leaving')
    membershipDir(dir)
    const name = MEMBERSHIP_FILES.leaving('0', 'moved')
    const rows = Array.from({ length: 23 }, (_, i) => `id-${i},p${i}@example.com,"Name, ${i}"`)
    writeFileSync(join(dir, name), `${LEAVING_HEADER.join(',')}\r\n${rows.join('\r\n')}\r\n`)
    const batches = planBatches(
      {
        ...record,
        lists: { '0': { ...record.lists['0'], leaving: { moved: file(name, 23), not_in_file: file('n', 0) } } },
      },
      'move',
      1,
      10,
    )
    const files = new LeavingFiles(dir)
    const ids = async (i: number) => (await files.contactsOf(batches[i]!)).map((c) => c.contactId)
    const [a, b, c] = await Promise.all([ids(0), ids(1), ids(2)])
    expect([...a!, ...b!, ...c!]).toEqual(rows.map((_, i) => `id-${i}`))
    expect(await ids(0)).toEqual(a) // back to the start
    expect((await files.contactsOf(batches[2]!))[2]).toEqual({
      contactId: 'id-22',
      email: 'p22@example.com',
      name: 'Name, 22',
    })
    await files.close()
  })

  it('refuses a file that has fewer rows than planned', async () => {
    const dir = tempDir('leaving-short')
    membershipDir(dir)
    const name = MEMBERSHIP_FILES.leaving('1', 'moved')
    writeFileSync(join(dir, name), `${LEAVING_HEADER.join(',')}\r\nid-0,a@example.com,\r\n`)
    const [batch] = planBatches(
      {
        ...record,
        lists: { '1': { ...record.lists['1'], leaving: { moved: file(name, 5), not_in_file: file('n', 0) } } },
      },
      'move',
      1,
    )
    const files = new LeavingFiles(dir)
    await expect(files.contactsOf(batch!)).rejects.toMatchObject({ code: 'membership_files_changed' })
    await files.close()
  })
})
