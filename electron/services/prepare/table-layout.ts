import { UserFacingError } from '../../../shared/errors'
import type { ExplainContext } from './explain'
import { importFieldLimit } from '../../../shared/prepare/field-limits'
import { suggestedGroupNames } from '../../../shared/prepare/group-names'
import { mappingErrors, outputColumns } from '../../../shared/prepare/output-columns'
import type { ColumnInfo, PrepareOptions } from '../../../shared/prepare/schemas'
import type { GroupKey } from '../../../shared/ids'
import type { OpenedSource } from '../spreadsheet/source'
import { readTableStart, type TableStart } from './table-start'

/** What the full pass needs to know of the table to sort its rows: its columns, and what goes out. */
export interface TableLayout {
  /** Excel row number of the header row (0: none); rows up to it hold no data. */
  headerRow: number
  columns: ColumnInfo[]
  /** Columns in the header; a row with more cells is wider than the table. */
  width: number
  emailColumn: number
  flagColumn: number
  /** The group files' columns: each one's header, and the source column it comes from (-1: the address). */
  outputHeaders: string[]
  outputSources: number[]
  /**
   * The most characters each output column's values may have in an import (0: no limit, and 0 for
   * the address, which the classifier checks): longer values are cut there (see CutValues).
   */
  outputLimits: number[]
  /** Cells of a comma-separated source that stand side by side in the output can be copied together. */
  commaSeparated: boolean
  /** The names the explanations of problems use. */
  explain: ExplainContext
}

/**
 * Reads the start of the source for its header row and columns, and checks the mapping against
 * them; fails in plain words when a chosen column is not there. `start` holds the rows read. The
 * groups' names are the options', else suggested from the flag column ("Uses app: no").
 */
export async function readTableLayout(
  source: OpenedSource,
  options: PrepareOptions,
  signal?: AbortSignal,
): Promise<{ layout: TableLayout; start: TableStart }> {
  const start = await readTableStart(source, options.headerRow, signal)
  const { columns, headerRow } = start
  const { mapping } = options
  const errors = mappingErrors(mapping, columns)
  if (errors.length > 0)
    throw new UserFacingError('invalid_mapping', errors.join(' '), 'Change the column choices and try again.')
  const output = outputColumns(mapping)
  const columnName = (index: number): string => columns[index]?.name ?? `Column ${index + 1}`
  const suggested = suggestedGroupNames(columns[mapping.flagColumn])
  const groupNames: Record<GroupKey, string> = {
    '0': options.groupNames?.['0']?.trim() || suggested['0'],
    '1': options.groupNames?.['1']?.trim() || suggested['1'],
  }
  const layout: TableLayout = {
    headerRow,
    columns,
    width: columns.length,
    emailColumn: mapping.emailColumn,
    flagColumn: mapping.flagColumn,
    outputHeaders: output.map((c) => c.header),
    outputSources: output.map((c) => c.source),
    outputLimits: output.map((c) => (c.source === -1 ? 0 : (importFieldLimit(c.header) ?? 0))),
    commaSeparated: source.delimiter === ',',
    explain: {
      emailColumnName: columnName(mapping.emailColumn),
      flagColumnName: columnName(mapping.flagColumn),
      groupNames,
    },
  }
  return { layout, start }
}
