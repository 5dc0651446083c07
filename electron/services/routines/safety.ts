/**
 * The safety stops of an unattended run (issue 12): before anything is uploaded, a run whose data
 * looks wrong stops and says why, instead of mailing thousands of people.
 *
 *   checkSafety({ routine, summary, drift, sha256, runs, again? })  → SafetyStop[]   empty: go on
 *
 * A pure function of the routine's limits, this run's prepared summary (summary.json), the
 * differences found before preparing (drift.ts), this file's content hash and the routine's run
 * history (the last successful run is the basis of comparison). Each stop is a sentence with its
 * figures, for the command's output, the run's history and the app. The app shows the same list as
 * warnings and lets a person go on; the command stops with exit code 4.
 *
 * With no successful run yet, only the checks that need no earlier run apply (and a fixed minimum
 * number of rows, if the routine has one).
 */
import { GROUP_KEYS } from '../../../shared/ids'
import { REASON_TITLES } from '../../../shared/prepare/words'
import { PROBLEM_REASONS, type PrepareSummaryView } from '../../../shared/prepare/schemas'
import { lastSuccessfulRun, successfulRunOf, type RunRecord } from '../../../shared/routines/history'
import type { Routine } from '../../../shared/routines/schema'
import type { SafetyStop } from '../../../shared/channels/routines'
import type { Difference } from './drift'

export type { SafetyStop }

export interface SafetyInput {
  routine: Pick<Routine, 'safety' | 'groupNames' | 'flags'>
  summary: Pick<PrepareSummaryView, 'rows' | 'groups' | 'problems' | 'flagValues'>
  /** compareWithRoutine(...).differences for this file. */
  drift: readonly Difference[]
  /** This file's content hash. */
  sha256: string
  /** The routine's history (earlier runs). */
  runs: readonly RunRecord[]
  /** The person named this file to run again (`--file … --again`). */
  again?: boolean
}

const number = new Intl.NumberFormat('en-US')

export function checkSafety(input: SafetyInput): SafetyStop[] {
  const last = lastSuccessfulRun(input.runs)
  return [
    ...input.drift
      .filter((d) => d.severity === 'stop')
      .map((d) => ({ kind: 'file_differs' as const, message: d.message })),
    ...problemShare(input),
    ...emptyGroups(input),
    ...groupChanges(input, last),
    ...tooFewRows(input, last),
    ...sameFile(input),
  ]
}

/**
 * Rows the routine leaves out on purpose (flag values set to "left out", blank flags when so set)
 * are reported by Prepare among the problems, but are not a sign of bad data: they don't count.
 */
function problemShare({ routine, summary }: SafetyInput): SafetyStop[] {
  const leftOut =
    summary.flagValues.filter((v) => v.assignedTo === 'leave_out').reduce((sum, v) => sum + v.count, 0) +
    (routine.flags.blank === 'leave_out' ? summary.problems.missing_flag : 0)
  const problems = PROBLEM_REASONS.reduce((sum, reason) => sum + summary.problems[reason], 0) - leftOut
  if (summary.rows === 0 || (problems / summary.rows) * 100 <= routine.safety.maxProblemPercent) return []
  const common = PROBLEM_REASONS.filter((r) => summary.problems[r] > 0)
    .sort((a, b) => summary.problems[b] - summary.problems[a])
    .slice(0, 3)
    .map((r) => `${REASON_TITLES[r]}: ${number.format(summary.problems[r])}`)
  return [
    {
      kind: 'too_many_problems',
      message: `${number.format(problems)} of ${number.format(summary.rows)} rows (${percent((problems / summary.rows) * 100)}) are problems; the limit is ${percent(routine.safety.maxProblemPercent)}. Most common — ${common.join('; ')}.`,
    },
  ]
}

function emptyGroups({ routine, summary }: SafetyInput): SafetyStop[] {
  return GROUP_KEYS.filter((g) => summary.groups[g] === 0).map((g) => ({
    kind: 'group_empty' as const,
    message: `Group “${routine.groupNames[g]}” has no contacts in this file.`,
  }))
}

function groupChanges({ routine, summary }: SafetyInput, last: RunRecord | undefined): SafetyStop[] {
  if (!last?.counts) return []
  const limit = routine.safety.maxGroupChangePercent
  return GROUP_KEYS.flatMap((g) => {
    const before = last.counts!.groups[g]
    const now = summary.groups[g]
    // From an empty group there is no share to compare with (and an empty group is its own stop).
    if (before === 0 || now === 0) return []
    const change = ((now - before) / before) * 100
    if (Math.abs(change) <= limit) return []
    return [
      {
        kind: 'group_changed' as const,
        message: `Group “${routine.groupNames[g]}” has ${number.format(now)} contacts; the last successful run (${day(last.startedAt)}) had ${number.format(before)} (${signed(change)}, the limit is ${percent(limit)}).`,
      },
    ]
  })
}

function tooFewRows({ routine, summary }: SafetyInput, last: RunRecord | undefined): SafetyStop[] {
  const minimum = routine.safety.minimumRows
  let rows: number
  let why: string
  if ('rows' in minimum) {
    rows = minimum.rows
    why = 'the routine’s minimum'
  } else {
    if (!last?.counts) return []
    rows = Math.ceil((last.counts.rows * minimum.percentOfLastRun) / 100)
    why = `${percent(minimum.percentOfLastRun)} of the ${number.format(last.counts.rows)} rows of the last successful run (${day(last.startedAt)})`
  }
  if (summary.rows >= rows) return []
  return [
    {
      kind: 'too_few_rows',
      message: `The file has ${number.format(summary.rows)} rows; the minimum is ${number.format(rows)} (${why}).`,
    },
  ]
}

function sameFile({ sha256, runs, again }: SafetyInput): SafetyStop[] {
  const earlier = successfulRunOf(runs, sha256)
  if (!earlier || again) return []
  return [
    {
      kind: 'same_file',
      message: `This file has the same content as “${earlier.source?.fileName}”, run successfully on ${day(earlier.startedAt)}: its contacts were already uploaded and mailed.`,
    },
  ]
}

function percent(value: number): string {
  return `${Math.abs(value) < 10 && !Number.isInteger(value) ? value.toFixed(1) : Math.round(value)} %`
}

function signed(change: number): string {
  return `${change < 0 ? '−' : '+'}${percent(Math.abs(change))}`
}

/** The run's date on this computer's calendar, as YYYY-MM-DD (no month names to translate). */
function day(iso: string): string {
  return new Date(iso).toLocaleDateString('en-CA')
}
