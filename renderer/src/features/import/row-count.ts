import { resolvedReadOptions } from '../prepare/mapping'
import type { RunState } from '../prepare/session'
import type { Inspection } from '../prepare/types'

/** The contract's inspection returns at most this many data rows ("first 50 rows"). */
const INSPECTION_PREVIEW_ROWS = 50

/** The whole file was read for the preview, and nothing is below its header: no contacts at all. */
export function hasNoRows(inspection: Inspection): boolean {
  return inspection.complete && inspection.previewRows.length === 0
}

export type RowCount = { kind: 'exact'; rows: number } | { kind: 'about'; rows: number } | { kind: 'unknown' }

/** The share of the file the full pass must have read before its count is better than the first rows'. */
const PASS_SHARE_TRUSTED = 0.02

/**
 * How many data rows the file has, as well as it is known: exactly once a full pass has read the
 * file the way it is read now (or the preview covered the whole file); while the pass reads, from
 * the rows it has read so far over the share of the file they took (better with every piece it
 * reads); before that, roughly from the first rows of a large text file; else not yet.
 */
export function rowCountOf(inspection: Inspection, fileId: string, run: RunState): RowCount {
  if (run.status === 'done' && run.fileId === fileId) {
    const { source, rows } = run.result.summary
    const read = resolvedReadOptions(inspection)
    if (
      source.headerRow === read.headerRow &&
      source.encoding === read.encoding &&
      source.delimiter === read.delimiter &&
      source.sheet === read.sheet
    ) {
      return { kind: 'exact', rows }
    }
  }
  if (inspection.complete && inspection.previewRows.length < INSPECTION_PREVIEW_ROWS)
    return { kind: 'exact', rows: inspection.previewRows.length }
  if (run.status === 'running' && run.fileId === fileId && run.progress) {
    const { phase, rowsDone, done, total } = run.progress
    if (phase === 'writing') return { kind: 'about', rows: total }
    if (total > 0 && done / total >= PASS_SHARE_TRUSTED)
      return { kind: 'about', rows: Math.round((rowsDone * total) / done) }
  }
  if (inspection.estimatedRows !== undefined) return { kind: 'about', rows: inspection.estimatedRows }
  return { kind: 'unknown' }
}
