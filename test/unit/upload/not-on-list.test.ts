/**
 * Which contacts of an import Constant Contact didn't add, as the upload journal keeps it: a bitmap
 * over the activity's records (`not_on_list`), small whatever was refused, and the list of offsets
 * journals held before it (`members_checked`), which old job folders still have and must still read.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { writeJobReport } from '../../../electron/services/report/build'
import { JOURNAL_FILE, readJournal } from '../../../electron/services/upload/journal'
import { replayJournal } from '../../../electron/services/upload/journal-state'
import { writeUploadJournal, type UploadJournalOptions } from '../report/fixtures'
import { preparedJob, readReportCsv, tempDir } from './helpers'

/** The records of one activity of `count` the journal says weren't added, replayed from the file. */
function replayed(count: number, refused: readonly number[], as: UploadJournalOptions['notOnListAs']) {
  const jobDir = tempDir('journal')
  const summary = {
    groups: { '0': count, '1': 0 },
    groupNames: { '0': 'No', '1': 'Yes' },
    source: { fileName: 'c.csv' },
  }
  writeUploadJournal(jobDir, summary, { notAdded: () => refused, notOnListAs: as })
  const entries = readJournal(jobDir)!
  const [activity] = replayJournal(entries).activities.values()
  return { activity: activity!, entries, jobDir }
}

/** A set of an activity's records: none, all, a few, most, or any. */
const activityAndRefused = fc.integer({ min: 1, max: 40_000 }).chain((count) =>
  fc.tuple(
    fc.constant(count),
    fc.oneof(
      fc.constant<number[]>([]),
      fc.constant(Array.from({ length: count }, (_, i) => i)),
      fc.uniqueArray(fc.nat(count - 1), { maxLength: 50 }),
      fc.double({ min: 0, max: 1, noNaN: true }).map((p) => {
        const random = seeded(count)
        return Array.from({ length: count }, (_, i) => i).filter(() => random() < p)
      }),
    ),
  ),
)

/** A small deterministic random source, so a failing case replays the same. */
function seeded(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => ((s = (s * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32) as number
}

function expectSameSet(has: (offset: number) => boolean, count: number, refused: readonly number[]): void {
  const expected = new Set(refused)
  const wrong: number[] = []
  for (let i = -1; i <= count; i++) if (has(i) !== expected.has(i)) wrong.push(i)
  expect(wrong.slice(0, 10)).toEqual([])
}

describe('the records Constant Contact did not add, in the upload journal', () => {
  it('written as a bitmap read back exactly the set written, whatever it is, in at most a bit per record', () => {
    fc.assert(
      fc.property(activityAndRefused, ([count, refused]) => {
        const { activity, entries } = replayed(count, refused, 'bitmap')
        if (refused.length === 0) return void expect(activity.membersChecked).toBeUndefined()
        const entry = entries.find((e) => e.type === 'not_on_list') as { bitmap: string }
        expect(entry.bitmap.length).toBe(4 * Math.ceil(Math.ceil(count / 8) / 3))
        expect(activity.membersChecked?.attempt).toBe(1)
        expectSameSet((i) => activity.membersChecked!.notOnList.has(i), count, refused)
      }),
      { numRuns: 60 },
    )
  })

  it('written as a list of offsets (journals from before the bitmap) still read as that set', () => {
    fc.assert(
      fc.property(activityAndRefused, ([count, refused]) => {
        const { activity, entries } = replayed(count, refused, 'list')
        if (refused.length === 0) return void expect(activity.membersChecked).toBeUndefined()
        expect(entries.some((e) => e.type === 'members_checked')).toBe(true)
        expectSameSet((i) => activity.membersChecked!.notOnList.has(i), count, refused)
      }),
      { numRuns: 30 },
    )
  })

  for (const as of ['list', 'bitmap'] as const)
    it(`give report.csv its "Not added" rows, row by row (written as a ${as})`, async () => {
      const job = await preparedJob({ group0: 13, group1: 4, tag: `not-added-${as}` })
      const refused = [0, 7, 8, 12]
      writeUploadJournal(job.dir, job.summary, {
        notAdded: (a) => (a.group === '0' ? refused : []),
        notOnListAs: as,
      })
      writeJobReport(job.dir)
      const rows = readReportCsv(job.dir).rows.filter((r) => r.Group === 'Flag: no')
      expect(rows.filter((r) => r.Status === 'Not added').map((r) => r.Email)).toEqual(
        refused.map((i) => job.emails['0'][i]),
      )
      expect(rows.filter((r) => r.Status === 'Added to the list')).toHaveLength(13 - refused.length)
    })

  for (const [damage, spoil] of [
    ['cut short', (bitmap: string) => bitmap.slice(0, -4)],
    ['not base64', (bitmap: string) => '!'.repeat(bitmap.length)],
  ] as const)
    it(`a damaged bitmap (${damage}) is never read as "added": report.csv says to check those contacts`, async () => {
      const job = await preparedJob({ group0: 20, group1: 0, tag: 'damaged' })
      writeUploadJournal(job.dir, job.summary, { notAdded: () => [3], notOnListAs: 'bitmap' })
      const text = readJournal(job.dir)!
        .map((e) => (e.type === 'not_on_list' ? { ...e, bitmap: spoil(String(e.bitmap)) } : e))
        .map((e) => `${JSON.stringify(e)}\n`)
        .join('')
      writeFileSync(join(job.dir, JOURNAL_FILE), text)
      writeJobReport(job.dir)
      const rows = readReportCsv(job.dir).rows
      expect(rows).toHaveLength(20)
      expect(rows.every((r) => r.Status === 'Sent; Constant Contact reported errors')).toBe(true)
      expect(rows.every((r) => /Check this contact in Constant Contact/.test(r.Details ?? ''))).toBe(true)
    })
})
