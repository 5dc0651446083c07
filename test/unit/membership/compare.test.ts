import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import {
  compareMembership,
  type CompareInput,
  type ComparisonRecord,
  type ComparisonStart,
} from '../../../electron/services/membership/compare'
import { startComparisonHere, startComparisonInWorker } from '../../../electron/services/membership/compare-thread'
import type { ExportSink } from '../../../electron/services/membership/export-list'
import { MEMBERSHIP_FILES, membershipDir } from '../../../electron/services/membership/files'
import { preparedJob } from '../upload/helpers'

/**
 * The comparison of a list's members with the file's groups, without Constant Contact: export files
 * are written by hand, in either header style.
 */
function writeExport(dir: string, name: string, header: string[], rows: string[][]): string {
  const path = join(membershipDir(dir), name)
  writeFileSync(path, `\ufeff${Papa.unparse([header, ...rows], { newline: '\r\n' })}\r\n`)
  return path
}

const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

async function scenario(entriesPerBucket?: number) {
  // Group 0: u0, u2, u4, u6 (+ Extra0@Example.com); group 1: u1, u3, u5 (+ extra1@example.com).
  const job = await preparedJob({
    group0: 4,
    group1: 3,
    tag: 'u',
    extraRows: [
      ['Extra0@Example.com', '0', 'Zed'],
      ['extra1@example.com', '1', 'Yan'],
      ['both@example.com', '0', 'Conflict'],
      ['both@example.com', '1', 'Conflict'],
    ],
  })
  // List 0 has: u0 (stays), U1@EXAMPLE.COM (moved: in group 1), göne@example.com (not in the file),
  // both@example.com (a conflict row: not in either group), and on both lists: u3 (group 1) and
  // old@example.com (not in the file).
  const list0 = writeExport(
    job.dir,
    'l0.csv',
    ['contact_id', 'email_address', 'first_name', 'last_name'],
    [
      [id(1), 'u0@example.com', 'Uma', 'Zero'],
      [id(2), 'U1@EXAMPLE.COM', 'Ulf', ''],
      [id(3), 'göne@example.com', 'Gone', 'Away'],
      [id(4), 'both@example.com', '', ''],
      [id(5), 'u3@example.com', 'Thrée', ''],
      [id(6), 'old@example.com', 'Öld', 'Tïmer'],
    ],
  )
  // List 1, in the product's own header style: u1 (stays), u2 (moved), u3 (stays), old (not in file).
  const list1 = writeExport(
    job.dir,
    'l1.csv',
    ['Contact ID', 'Email address', 'First name', 'Last name'],
    [
      [id(2), 'U1@EXAMPLE.COM', 'Ulf', ''],
      [id(7), 'u2@example.com', 'Two, "the second"', ''],
      [id(5), 'u3@example.com', 'Thrée', ''],
      [id(6), 'old@example.com', 'Öld', 'Tïmer'],
    ],
  )
  const input: CompareInput = {
    jobDir: job.dir,
    lists: {
      '0': { listId: 'list-0', listName: 'Zero', export: { path: list0, sha256: 'a' }, exportedAt: 'then' },
      '1': { listId: 'list-1', listName: 'One', export: { path: list1, sha256: 'b' }, exportedAt: 'then' },
    },
    ...(entriesPerBucket ? { entriesPerBucket } : {}),
  }
  return { job, input }
}

function leaving(dir: string, group: '0' | '1', reason: 'moved' | 'not_in_file'): string[][] {
  const text = readFileSync(join(dir, MEMBERSHIP_FILES.leaving(group, reason)), 'utf8')
  return Papa.parse<string[]>(text.trim(), { newline: '\r\n' }).data
}

describe('comparing the lists with the file', () => {
  it('counts, per list, who stays, who the upload adds, who moves out and who is not in the file', async () => {
    const { job, input } = await scenario()
    const record = await compareMembership(input)
    const [zero, one] = record.comparison.lists
    expect(zero).toMatchObject({ group: '0', members: 6, staying: 1, added: 4, movedOut: 2, notInFile: 3 })
    expect(one).toMatchObject({ group: '1', members: 4, staying: 2, added: 2, movedOut: 1, notInFile: 1 })
    expect(record.lists['0']!.leaving.moved.count).toBe(2)
    expect(record.lists['0']!.leaving.not_in_file.count).toBe(3)

    // Compared by Prepare's normalised address: U1@EXAMPLE.COM is the file's u1@example.com.
    expect(leaving(job.dir, '0', 'moved')).toEqual([
      ['contact_id', 'email_address', 'name'],
      [id(2), 'U1@EXAMPLE.COM', 'Ulf'],
      [id(5), 'u3@example.com', 'Thrée'],
    ])
    expect(
      leaving(job.dir, '0', 'not_in_file')
        .map((r) => r[1])
        .sort(),
    ).toEqual([
      'both@example.com', // a row that became a problem (both flags) is in neither group
      'email_address',
      'göne@example.com',
      'old@example.com',
    ])
    expect(leaving(job.dir, '1', 'moved').slice(1)).toEqual([[id(7), 'u2@example.com', 'Two, "the second"']])

    expect(zero!.samples.movedOut.map((s) => s.name)).toEqual(['Ulf', 'Thrée'])
    expect(zero!.samples.added.map((s) => s.email)).toContain('extra0@example.com')
    expect(zero!.samples.added.find((s) => s.email === 'extra0@example.com')?.name).toBe('Zed')

    // On both lists now: U1, u3, old. After "add": also u2 (group 0, on list 1) and the rest of
    // group 1 that is on list 0 … after "move": only old@example.com (in neither group).
    expect(record.comparison.onBoth).toMatchObject({ now: 3, add: 4, move: 1, match: 0 })
    expect(record.comparison.onBoth.sample).toEqual([{ email: 'old@example.com', name: 'Öld Tïmer' }])
  })

  it('gives the same answer however many buckets the join is cut into', async () => {
    const one = await scenario()
    const many = await scenario(2)
    const a = await compareMembership(one.input)
    const b = await compareMembership(many.input)
    // The same counts and the same contacts; only the order (of samples and file rows) follows the buckets.
    const bySample = (x: { email: string }, y: { email: string }) => x.email.localeCompare(y.email)
    const strip = (r: typeof a) => ({
      ...r.comparison,
      comparedAt: '',
      lists: r.comparison.lists.map((l) => ({
        ...l,
        samples: {
          added: [...l.samples.added].sort(bySample),
          movedOut: [...l.samples.movedOut].sort(bySample),
          notInFile: [...l.samples.notInFile].sort(bySample),
        },
      })),
    })
    expect(strip(b)).toEqual(strip(a))
    for (const group of ['0', '1'] as const)
      for (const reason of ['moved', 'not_in_file'] as const)
        expect(leaving(many.job.dir, group, reason).slice(1).sort()).toEqual(
          leaving(one.job.dir, group, reason).slice(1).sort(),
        )
  })

  it('treats a list still to be created as empty, and says plainly when an export has no contact IDs', async () => {
    const { job, input } = await scenario()
    const record = await compareMembership({
      ...input,
      lists: { ...input.lists, '1': { listId: '', listName: 'New', exportedAt: 'now' } },
    })
    expect(record.comparison.lists[1]).toMatchObject({ members: 0, added: 4, movedOut: 0, notInFile: 0 })
    const noIds = writeExport(job.dir, 'bad.csv', ['email_address', 'first_name'], [['u0@example.com', 'Uma']])
    await expect(
      compareMembership({
        jobDir: job.dir,
        lists: { '0': { listId: 'x', listName: 'Zero', export: { path: noIds, sha256: 'c' }, exportedAt: 'then' } },
      }),
    ).rejects.toMatchObject({
      code: 'membership_export_unusable',
      message: expect.stringContaining('no column of contact IDs'),
    })
  })

  it('stops on an export row it can’t read rather than compare part of a list', async () => {
    const job = await preparedJob({ group0: 1, group1: 1, tag: 'r' })
    const path = join(membershipDir(job.dir), 'broken.csv')
    writeFileSync(path, `contact_id,email_address\r\n${id(1)},"r0@example.com\r\n${id(2)},r1@example.com\r\n`)
    await expect(
      compareMembership({
        jobDir: job.dir,
        lists: { '0': { listId: 'x', listName: 'Zero', export: { path, sha256: 'd' }, exportedAt: 'then' } },
      }),
    ).rejects.toMatchObject({ code: 'membership_file_unreadable' })
  })
})

/** Sends a file to a sink as a download would, in pieces of `size` bytes (cutting records and characters). */
async function download(sink: ExportSink, path: string, size: number): Promise<number> {
  const bytes = readFileSync(path)
  let waited = 0
  sink.begin()
  for (let at = 0; at < bytes.length; at += size) {
    const written = sink.write(bytes.subarray(at, at + size))
    if (written) {
      waited++
      await written
    }
  }
  sink.end()
  return waited
}

const withoutTime = (r: ComparisonRecord) => ({ ...r, comparison: { ...r.comparison, comparedAt: '' } })

describe('comparing the lists as their exports download', () => {
  it.each(['here', 'worker'] as const)(
    'gives what the saved files give, a download that starts over counted from its new start (%s)',
    async (where) => {
      const { job, input } = await scenario(2)
      const fromFiles = await compareMembership(input)
      const start: ComparisonStart = { jobDir: job.dir, lists: {}, entriesPerBucket: 2, tag: 'streamed' }
      for (const g of ['0', '1'] as const) {
        const { listId, listName, exportedAt } = input.lists[g]!
        start.lists[g] = { listId, listName, exportedAt }
      }
      const comparison = (where === 'here' ? startComparisonHere : startComparisonInWorker)(start)
      // List 0: a first download breaks off (after a whole row the file doesn't have, and half of
      // another), then comes again from the start in pieces of 7 bytes.
      const sink = comparison.exportSink('0')
      sink.begin()
      await sink.write(Buffer.from(`contact_id,email_address\r\n${id(99)},stray@example.com\r\n${id(98)},half@exa`))
      await download(sink, input.lists['0']!.export!.path, 7)
      comparison.addExport('0', { ...input.lists['0']!.export!, exportedAt: 'then' })
      comparison.addExport('1', { ...input.lists['1']!.export!, exportedAt: 'then' }) // from its file
      const streamed = await comparison.finish()

      expect(withoutTime(streamed).comparison).toEqual(withoutTime(fromFiles).comparison)
      for (const group of ['0', '1'] as const)
        for (const reason of ['moved', 'not_in_file'] as const)
          expect(readFileSync(join(job.dir, MEMBERSHIP_FILES.leaving(group, reason, 'streamed')), 'utf8')).toBe(
            readFileSync(join(job.dir, MEMBERSHIP_FILES.leaving(group, reason)), 'utf8'),
          )
    },
  )

  it('makes the download wait while the worker is behind, and stops on an export it can’t read', async () => {
    const { job, input } = await scenario()
    const lists: ComparisonStart['lists'] = { '0': { listId: 'list-0', listName: 'Zero', exportedAt: 'then' } }
    const slow = startComparisonInWorker({ jobDir: job.dir, lists }, { maxBytesInTransit: 64 })
    const waits = await download(slow.exportSink('0'), input.lists['0']!.export!.path, 16)
    slow.addExport('0', { ...input.lists['0']!.export!, exportedAt: 'then' })
    expect((await slow.finish()).comparison.lists[0]).toMatchObject({ members: 6, movedOut: 2, notInFile: 3 })
    expect(waits).toBeGreaterThan(0)

    const broken = join(membershipDir(job.dir), 'broken.csv')
    writeFileSync(broken, `contact_id,email_address\r\n${id(1)},"u0@example.com\r\n${id(2)},u1@example.com\r\n`)
    const job2 = startComparisonInWorker({ jobDir: job.dir, lists })
    await download(job2.exportSink('0'), broken, 5)
    job2.addExport('0', { path: broken, sha256: 'e', exportedAt: 'then' })
    await expect(job2.finish()).rejects.toMatchObject({ code: 'membership_file_unreadable' })
  })
})
