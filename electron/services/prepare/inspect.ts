import { FlagRules, flagKey, FlagAssignmentConflict } from '../../../shared/prepare/flags'
import { isBlankRow } from './header-row'
import { trimCell } from '../../../shared/prepare/email'
import { suggestMapping } from './suggest'
import type {
  FlagAssignments,
  FlagValueCount,
  PrepareOptions,
  ReadOptions,
  SourceInspectionView,
} from '../../../shared/prepare/schemas'
import { UserFacingError } from '../../../shared/errors'
import { ENCODING_LABELS } from '../spreadsheet/encoding'
import { openSource } from '../spreadsheet/source'
import { readTableStart } from './table-start'

const PREVIEW_ROWS = 50

/** What an inspection finds: what the renderer sees, and the file's path, which stays in main. */
export type SourceInspection = SourceInspectionView & { path: string }

export interface InspectOptions extends ReadOptions, FlagAssignments {
  /** Which column to count flag values in; default the suggested flag column. */
  flagColumn?: number
  signal?: AbortSignal
}

/**
 * Reads only the beginning of a file (1 MB or 1,000 rows; for a workbook, the sheet list and the
 * first rows of the chosen sheet) and reports what it found: format, encoding, delimiter, sheets,
 * header row, columns, the first rows, the suggested mapping and the flag values seen.
 */
export async function inspectSource(path: string, options: InspectOptions = {}): Promise<SourceInspection> {
  const source = await openSource(path, options)
  try {
    const start = await readTableStart(source, options.headerRow, options.signal)
    const width = start.columns.length
    const dataRows = start.rows.filter((r) => r.row > start.headerRow && !isBlankRow(r.cells))
    const pad = (cells: string[]): string[] => {
      const padded = cells.slice(0, width)
      while (padded.length < width) padded.push('')
      return padded
    }
    const suggestion = suggestMapping(
      start.columns,
      dataRows.map((r) => r.cells),
    )
    const flagColumn = options.flagColumn ?? suggestion.mapping.flagColumn
    const warnings: string[] = []
    if (start.headerRow === 0)
      warnings.push(
        'No header row was found, so the columns have been given numbers. Choose the header row if the file has one.',
      )
    if (source.encoding && dataRows.some((r) => r.cells.some((cell) => cell.includes('\ufffd')))) {
      warnings.push(
        `Some characters could not be read as ${ENCODING_LABELS[source.encoding]}; if names look wrong, choose another encoding.`,
      )
    }
    if (suggestion.mapping.emailColumn < 0)
      warnings.push('No column looks like email addresses; choose the email column.')
    if (suggestion.mapping.flagColumn < 0) warnings.push('No column looks like a 0/1 flag; choose the flag column.')
    // A rough count for a large text file: the file's size over the bytes the sampled rows take.
    // (The full pass, which starts next, says better as it reads: see the Import step.)
    let estimatedRows: number | undefined
    const sampledBytes = start.sampledBytes ?? start.bytesRead
    if (!start.complete && source.format === 'csv' && sampledBytes > 0 && start.rows.length > 0) {
      estimatedRows = Math.round((source.sizeBytes / sampledBytes) * start.rows.length) - start.headerRow
    }
    return {
      path: source.path,
      fileName: source.fileName,
      sizeBytes: source.sizeBytes,
      format: source.format,
      ...(source.encoding ? { encoding: source.encoding, encodingDetected: source.encodingDetected! } : {}),
      ...(source.delimiter ? { delimiter: source.delimiter, delimiterDetected: source.delimiterDetected! } : {}),
      ...(source.sheets ? { sheets: source.sheets, sheet: source.sheet! } : {}),
      headerRow: start.headerRow,
      headerRowDetected: start.headerRowDetected,
      columns: start.columns,
      previewRows: dataRows.slice(0, PREVIEW_ROWS).map((r) => ({ row: r.row, cells: pad(r.cells) })),
      suggestion,
      flagValues:
        flagColumn >= 0
          ? countFlagValues(
              dataRows.map((r) => r.cells[flagColumn] ?? ''),
              options,
            )
          : [],
      blankFlags: flagColumn >= 0 ? dataRows.filter((r) => flagKey(r.cells[flagColumn] ?? '') === '').length : 0,
      ...(estimatedRows !== undefined ? { estimatedRows } : {}),
      complete: start.complete,
      warnings,
    }
  } finally {
    source.close()
  }
}

/** Distinct values of the flag column in the sample, with where each one currently goes. */
function countFlagValues(cells: readonly string[], assignments: FlagAssignments): FlagValueCount[] {
  const rules = flagRules(assignments)
  const counts = new Map<string, FlagValueCount>()
  for (const cell of cells) {
    const key = flagKey(cell)
    if (key === '') continue
    const entry = counts.get(key)
    if (entry) entry.count++
    else {
      const decision = rules.decide(cell)
      counts.set(key, { value: trimCell(cell), count: 1, assignedTo: decision === 'missing' ? 'unassigned' : decision })
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
}

/** Flag rules from the person's assignments, with a plain message when a value is given to two places. */
export function flagRules(assignments: FlagAssignments & Pick<PrepareOptions, 'blankFlag'>): FlagRules {
  try {
    return new FlagRules(assignments)
  } catch (error) {
    if (error instanceof FlagAssignmentConflict) {
      throw new UserFacingError(
        'flag_value_assigned_twice',
        error.message,
        'Give each flag value to one group only, or to "leave out".',
      )
    }
    throw error
  }
}
