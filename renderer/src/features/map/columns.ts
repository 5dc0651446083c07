import type { ColumnInfo } from '../prepare/types'

/** How a column is named in lists: its header, told apart by position when two headers are the same. */
export function columnLabel(column: ColumnInfo, all: readonly ColumnInfo[]): string {
  const name = column.name.trim() === '' ? `Column ${column.index + 1}` : column.name
  const twins = all.filter((other) => other.name === column.name).length
  return twins > 1 ? `${name} (column ${column.index + 1})` : name
}
