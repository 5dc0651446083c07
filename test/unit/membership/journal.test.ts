import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { planBatches, planRemovals } from '../../../electron/services/membership/batches'
import type { ComparisonRecord } from '../../../electron/services/membership/compare'
import { MEMBERSHIP_JOURNAL } from '../../../electron/services/membership/files'
import { MEMBERSHIP_JOURNAL_FORMAT } from '../../../electron/services/membership/journal-state'
import { readJournalFile, readJournalFileAsync } from '../../../electron/services/files/journal-lines'
import { loadMembershipState, readMembershipState } from '../../../electron/services/membership/run'
import { tempDir } from '../temp'

const at = '2026-12-01T10:00:00.000Z'
const leaving = (group: string, reason: string, count: number) => ({
  file: `membership/list-${group}-${reason}.csv`,
  sha256: '0'.repeat(64),
  count,
})
const record = {
  lists: {
    '0': { listId: 'list-0', leaving: { moved: leaving('0', 'moved', 1_234), not_in_file: leaving('0', 'nif', 0) } },
    '1': { listId: 'list-1', leaving: { moved: leaving('1', 'moved', 7), not_in_file: leaving('1', 'nif', 501) } },
  },
} as unknown as ComparisonRecord

/** A journal of "match" removals, every one finished, its plan written as `plan` says. */
function journal(plan: Record<string, unknown>, more: object[] = []): string {
  const jobDir = tempDir('membership-journal')
  const lists = { '0': { listId: 'list-0', listName: 'Zero' }, '1': { listId: 'list-1', listName: 'Ñandú one' } }
  const entries: object[] = [
    { type: 'choice', at, policy: 'match', lists },
    { type: 'plan', at, generation: 1, policy: 'match', lists, ...plan },
    { type: 'run_started', at },
    ...planBatches(record, 'match', 1).flatMap((b, i) => [
      { type: 'remove_intent', at, batch: b.id, attempt: 1 },
      { type: 'remove_submitted', at, batch: b.id, attempt: 1, activityId: `act-${i}` },
      {
        type: 'remove_finished',
        at,
        batch: b.id,
        attempt: 1,
        activityId: `act-${i}`,
        state: 'completed',
        counts: { items_total_count: b.count, items_completed_count: b.count },
        errors: [],
      },
    ]),
    ...more,
  ]
  writeFileSync(join(jobDir, MEMBERSHIP_JOURNAL), entries.map((e) => `${JSON.stringify(e)}\n`).join(''))
  return jobDir
}

const removed = (jobDir: string): Array<[string, string, number]> =>
  [...readMembershipState(jobDir)!.batches.values()].map((b) => [b.batch.id, b.phase, b.batch.count])

describe('the membership journal read back through its schema', () => {
  it('reads a plan written before removals were recorded per file (every removal listed) as the same removals', () => {
    const listed = journal({ batches: planBatches(record, 'match', 1) })
    const perFile = journal({ removals: planRemovals(record, 'match') })
    expect(removed(listed)).toHaveLength(3 + 1 + 2)
    expect(removed(perFile)).toEqual(removed(listed))
    expect(removed(perFile).every(([, phase]) => phase === 'done')).toBe(true)
  })

  it('reads the same in pieces that give the event loop back as at once, across pieces of the file', async () => {
    const many = Array.from({ length: 3_000 }, (_, i) => ({ type: 'run_started', at: `${at}${'é'.repeat(i % 7)}` }))
    const jobDir = journal({ removals: planRemovals(record, 'match') }, many)
    expect(readFileSync(join(jobDir, MEMBERSHIP_JOURNAL)).length).toBeGreaterThan(2 * 64 * 1024)
    const path = join(jobDir, MEMBERSHIP_JOURNAL)
    const entries = readJournalFile(path, MEMBERSHIP_JOURNAL_FORMAT)
    expect(entries).toHaveLength(readFileSync(path, 'utf8').trim().split('\n').length)
    expect(await readJournalFileAsync(path, MEMBERSHIP_JOURNAL_FORMAT)).toEqual(entries)
    expect(await loadMembershipState(jobDir)).toEqual(readMembershipState(jobDir))
  })

  it('reads a line longer than several pieces of the file (a plan listing every removal) as at once', async () => {
    const big = structuredClone(record)
    big.lists['0']!.leaving.moved.count = 1_000_000
    const jobDir = journal({ batches: planBatches(big, 'match', 1) })
    const path = join(jobDir, MEMBERSHIP_JOURNAL)
    const longest = Math.max(
      ...readFileSync(path, 'utf8')
        .split('\n')
        .map((line) => line.length),
    )
    expect(longest).toBeGreaterThan(3 * 64 * 1024)
    const entries = readJournalFile(path, MEMBERSHIP_JOURNAL_FORMAT)
    expect(await readJournalFileAsync(path, MEMBERSHIP_JOURNAL_FORMAT)).toEqual(entries)
    expect(await loadMembershipState(jobDir)).toEqual(readMembershipState(jobDir))
  })

  it('skips a damaged removal entry (it is looked up again), but stops on a damaged plan, saying what is wrong', () => {
    const finishedWrong = journal({ removals: planRemovals(record, 'match') }, [
      {
        type: 'remove_finished',
        at,
        batch: '1:1-moved-1',
        attempt: 2,
        activityId: 'x',
        state: 'completed',
        counts: 7,
        errors: [],
      },
    ])
    expect(readMembershipState(finishedWrong)!.batches.get('1:1-moved-1')!.attempt).toBe(1)

    const planWrong = journal({ removals: planRemovals(record, 'match'), generation: 'one' })
    expect(() => readMembershipState(planWrong)).toThrow(
      expect.objectContaining({
        code: 'job_damaged',
        message: expect.stringContaining('line 2 (a “plan” entry): the field “generation”'),
      }),
    )
  })

  it('stops on a complete line that isn’t JSON: it could be the plan', () => {
    const jobDir = journal({ removals: planRemovals(record, 'match') })
    const path = join(jobDir, MEMBERSHIP_JOURNAL)
    writeFileSync(path, readFileSync(path, 'utf8').replace('"type":"plan"', '"type":"plan",,'))
    expect(() => readMembershipState(jobDir)).toThrow(
      expect.objectContaining({
        code: 'job_damaged',
        message: expect.stringContaining('line 2: it is not complete JSON'),
      }),
    )
  })

  it('leaves out a last line a crash cut short', async () => {
    const jobDir = journal({ removals: planRemovals(record, 'match') })
    const before = readMembershipState(jobDir)
    appendFileSync(join(jobDir, MEMBERSHIP_JOURNAL), '{"type":"completed","at":"20')
    expect(readMembershipState(jobDir)).toEqual(before)
    expect(await loadMembershipState(jobDir)).toEqual(before)
  })
})
