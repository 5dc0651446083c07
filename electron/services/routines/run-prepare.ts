/**
 * A routine run's first half, shared by the command (run.ts) and the app: read the new month's file
 * the routine's way, compare it with the routine, prepare it into a normal job folder, and decide
 * whether the run may go on.
 *
 *   inspectForRoutine(routine, path)            → SourceInspection     (inspect worker) the routine's reading settings; a sheet that is gone
 *                                                                        falls back to the first one (drift then says so)
 *   routineDrift(routine, path)                 → { inspection, drift, options }
 *                                                 options: the Prepare options (null when a mapped column can't be placed)
 *   prepareForRoutine(routine, path, jobDir, fullPass?) → PreparedRun  drift + the full pass into jobDir (when options exist);
 *                                                                        in the prepare worker unless fullPass says otherwise
 *   safetyStopsFor(routine, prepared, ...)      → SafetyStop[]         drift's stops and safety.ts's checks, in one list
 *   runCountsOf(summary)                        → RunRecord['counts']  what the history keeps of a prepared job
 *
 * Nothing here talks to Constant Contact; files are read only in the inspect and prepare workers.
 */
import { UserFacingError } from '../../../shared/errors'
import { PROBLEM_REASONS, type PrepareOptions } from '../../../shared/prepare/schemas'
import type { RunRecord } from '../../../shared/routines/history'
import type { Routine } from '../../../shared/routines/schema'
import type { InspectOptions, SourceInspection } from '../prepare/inspect'
import { inspectInWorker } from '../prepare/inspect-thread'
import type { PrepareSummary } from '../prepare/job-files'
import { runPrepare } from '../prepare/run'
import { compareWithRoutine, prepareOptionsFor, type Drift } from './drift'
import { checkSafety, type SafetyStop } from './safety'

export interface RoutineDrift {
  inspection: SourceInspection
  drift: Drift
  /** The options of the full pass, or null when a mapped column could not be placed at all. */
  options: PrepareOptions | null
}

export interface PreparedRun extends RoutineDrift {
  /** The prepared job's summary (absent when `options` is null: nothing was prepared). */
  summary?: PrepareSummary
}

/** The routine's reading settings and flag values, for inspect. */
function inspectOptionsFor(routine: Routine): InspectOptions {
  const { format: _format, ...read } = routine.reading
  const { blank: _blank, ...flags } = routine.flags
  return { ...read, ...flags }
}

async function inspectForRoutine(routine: Routine, path: string): Promise<SourceInspection> {
  const options = inspectOptionsFor(routine)
  try {
    return await inspectInWorker(path, options)
  } catch (error) {
    // The routine's sheet is gone: read the workbook's first sheet so drift can name what changed.
    if (!(error instanceof UserFacingError && error.code === 'sheet_not_found')) throw error
    const { sheet: _sheet, headerRow: _headerRow, ...rest } = options
    return inspectInWorker(path, rest)
  }
}

export async function routineDrift(routine: Routine, path: string): Promise<RoutineDrift> {
  const inspection = await inspectForRoutine(routine, path)
  const drift = compareWithRoutine(routine, inspection)
  if (!drift.mapping) return { inspection, drift, options: null }
  const options = prepareOptionsFor(routine, drift.mapping)
  // Read exactly what was inspected: a sheet that is gone was replaced by the one inspect read.
  if (inspection.sheet) options.sheet = inspection.sheet
  if (inspection.encoding) options.encoding = inspection.encoding
  if (inspection.delimiter) options.delimiter = inspection.delimiter
  options.headerRow = inspection.headerRow
  return { inspection, drift, options }
}

/**
 * The full pass: by default in the prepare worker, with its memory limit (prepare/run.ts); the app
 * may pass its own to show progress or cancel.
 */
export type FullPass = (path: string, options: PrepareOptions, outDir: string) => Promise<PrepareSummary>

const inPrepareWorker: FullPass = (path, options, outDir) => runPrepare(path, options, { outDir })

export async function prepareForRoutine(
  routine: Routine,
  path: string,
  jobDir: string,
  fullPass: FullPass = inPrepareWorker,
): Promise<PreparedRun> {
  const found = await routineDrift(routine, path)
  if (!found.options) return found
  return { ...found, summary: await fullPass(path, found.options, jobDir) }
}

/**
 * Everything that stops an unattended run of this file: the file's differences from the routine
 * that matter and, once it is prepared, safety.ts's checks against the routine's history.
 */
export function safetyStopsFor(
  routine: Routine,
  prepared: PreparedRun,
  context: { sha256: string; runs: readonly RunRecord[]; again?: boolean },
): SafetyStop[] {
  const differences = prepared.drift.differences
  if (!prepared.summary)
    return differences
      .filter((d) => d.severity === 'stop')
      .map((d) => ({ kind: 'file_differs' as const, message: d.message }))
  return checkSafety({ routine, summary: prepared.summary, drift: differences, ...context })
}

export function runCountsOf(summary: PrepareSummary): NonNullable<RunRecord['counts']> {
  return {
    rows: summary.rows,
    groups: { '0': summary.groups['0'], '1': summary.groups['1'] },
    problems: PROBLEM_REASONS.reduce((sum, reason) => sum + summary.problems[reason], 0),
  }
}
