import { describe, expect, it } from 'vitest'
import { PROBLEM_REASONS, type ProblemReason } from '../../../shared/prepare/schemas'
import type { Difference } from '../../../electron/services/routines/drift'
import { checkSafety, type SafetyInput } from '../../../electron/services/routines/safety'
import { sampleRoutine, sampleRun } from './helpers'

const THIS_FILE = 'f'.repeat(64)

/** A prepared summary's figures: rows, group sizes and problems by reason. */
function summary(
  groups: { '0': number; '1': number },
  problems: Partial<Record<ProblemReason, number>> = {},
  flagValues: SafetyInput['summary']['flagValues'] = [],
): SafetyInput['summary'] {
  const all = Object.fromEntries(PROBLEM_REASONS.map((r) => [r, problems[r] ?? 0])) as Record<ProblemReason, number>
  const rows = groups['0'] + groups['1'] + Object.values(all).reduce((a, b) => a + b, 0)
  return { rows, groups, problems: all, flagValues }
}

function check(input: Partial<SafetyInput>): string[] {
  return checkSafety({
    routine: sampleRoutine(),
    summary: summary({ '0': 1_700, '1': 3_400 }, { invalid_email: 20 }),
    drift: [],
    sha256: THIS_FILE,
    runs: [sampleRun()],
    ...input,
  }).map((stop) => stop.message)
}

describe('safety stops', () => {
  it('lets an ordinary month through', () => {
    expect(check({})).toEqual([])
  })

  it("stops on the file's differences that matter, not on notes", () => {
    const drift: Difference[] = [
      { kind: 'column_new', severity: 'note', message: 'The file has a new column “Plan”; it is not sent.' },
      { kind: 'column_missing', severity: 'stop', message: 'The column “Region” is not in the file.' },
      {
        kind: 'email_values',
        severity: 'stop',
        message: "The email column's values no longer look like email addresses.",
      },
      { kind: 'flag_value_new', severity: 'stop', message: 'The flag value “trial” is new.' },
    ]
    expect(check({ drift })).toEqual([
      'The column “Region” is not in the file.',
      "The email column's values no longer look like email addresses.",
      'The flag value “trial” is new.',
    ])
  })

  it('stops when the share of problem rows is over the limit, naming the commonest', () => {
    const many = summary({ '0': 1_700, '1': 3_400 }, { invalid_email: 200, duplicate: 112, missing_email: 3 })
    expect(check({ summary: many })).toEqual([
      '315 of 5,415 rows (5.8 %) are problems; the limit is 5 %. Most common — Email address not usable: 200; Address already in the group: 112; No email address: 3.',
    ])
    // Exactly at the limit is allowed.
    expect(check({ summary: summary({ '0': 50, '1': 45 }, { invalid_email: 5 }), runs: [] })).toEqual([])
  })

  it('does not count rows the routine leaves out on purpose as problems', () => {
    const leftOut = summary({ '0': 1_700, '1': 3_400 }, { unrecognized_flag: 400, missing_flag: 300 }, [
      { value: 'test', count: 400, assignedTo: 'leave_out' },
    ])
    expect(check({ summary: leftOut })).toEqual([
      '300 of 5,800 rows (5.2 %) are problems; the limit is 5 %. Most common — Flag value not assigned to a group: 400; No flag value: 300.',
    ])
    const blanksLeftOut = sampleRoutine({ flags: { ...sampleRoutine().flags, blank: 'leave_out' } })
    expect(check({ summary: leftOut, routine: blanksLeftOut })).toEqual([])
  })

  it('stops on an empty group', () => {
    expect(check({ summary: summary({ '0': 1_700, '1': 0 }), runs: [] })).toEqual([
      'Group “Uses the app” has no contacts in this file.',
    ])
  })

  it('stops when a group changed by more than the limit since the last successful run (either way)', () => {
    const runs = [
      sampleRun({
        startedAt: '2025-04-03T08:00:00.000Z',
        counts: { rows: 9_000, groups: { '0': 100, '1': 100 }, problems: 0 },
      }),
      sampleRun({ startedAt: '2025-05-03T08:00:00.000Z' }),
      // A later run that failed is not the basis of comparison.
      sampleRun({
        startedAt: '2025-05-20T08:00:00.000Z',
        outcome: { kind: 'failed', message: 'x' },
        counts: { rows: 1, groups: { '0': 1, '1': 1 }, problems: 0 },
      }),
    ]
    expect(check({ runs, summary: summary({ '0': 2_600, '1': 1_204 }) })).toEqual([
      'Group “Not using the app” has 2,600 contacts; the last successful run (2025-05-03) had 1,700 (+53 %, the limit is 50 %).',
      'Group “Uses the app” has 1,204 contacts; the last successful run (2025-05-03) had 3,410 (−65 %, the limit is 50 %).',
    ])
    expect(check({ runs, summary: summary({ '0': 2_550, '1': 1_705 }) })).toEqual([])
    const relaxed = sampleRoutine({ safety: { ...sampleRoutine().safety, maxGroupChangePercent: 70 } })
    expect(check({ runs, routine: relaxed, summary: summary({ '0': 2_600, '1': 1_204 }) })).toEqual([])
  })

  it('stops when the file has fewer rows than the minimum: half the last run’s, or a fixed number', () => {
    expect(check({ summary: summary({ '0': 1_000, '1': 1_500 }), routine: relaxedChanges() })).toEqual([
      'The file has 2,500 rows; the minimum is 2,560 (50 % of the 5,120 rows of the last successful run (2025-05-03)).',
    ])
    const fixed = relaxedChanges({ rows: 6_000 })
    expect(check({ routine: fixed, runs: [] })).toEqual([
      'The file has 5,120 rows; the minimum is 6,000 (the routine’s minimum).',
    ])
    // With no successful run yet there is nothing to compare with.
    expect(check({ summary: summary({ '0': 10, '1': 10 }), runs: [] })).toEqual([])
  })

  it('stops on the same content as an earlier successful run, unless asked to run it again', () => {
    const runs = [sampleRun({ source: { fileName: 'usage-may.csv', path: '/x', sha256: THIS_FILE } })]
    expect(check({ runs })).toEqual([
      'This file has the same content as “usage-may.csv”, run successfully on 2025-05-03: its contacts were already uploaded and mailed.',
    ])
    expect(check({ runs, again: true })).toEqual([])
    const stopped = [sampleRun({ ...runs[0], outcome: { kind: 'stopped_by_safety_check', reasons: ['x'] } })]
    expect(check({ runs: stopped })).toEqual([])
  })
})

function relaxedChanges(minimumRows?: { rows: number }) {
  const routine = sampleRoutine()
  return sampleRoutine({
    safety: { ...routine.safety, maxGroupChangePercent: 1_000, ...(minimumRows ? { minimumRows } : {}) },
  })
}
