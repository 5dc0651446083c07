import { resolvedReadOptions } from '../prepare/mapping'
import type { RunState } from '../prepare/session'
import type { Inspection } from '../prepare/types'

/** The contract's inspection returns at most this many data rows ("first 50 rows"). */
const INSPECTION_PREVIEW_ROWS = 50

export type RowCount = { kind: 'exact'; rows: number } | { kind: 'about'; rows: number } | { kind: 'unknown' }

/**
 * How many data rows the file has, as well as it is known: exactly once a full pass has read the
 * file the way it is read now (or the preview covered the whole file), roughly from the first
 * megabyte of a large text file, else not yet.
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
  if (inspection.estimatedRows !== undefined) return { kind: 'about', rows: inspection.estimatedRows }
  return { kind: 'unknown' }
}
