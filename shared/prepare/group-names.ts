import type { GroupKey } from '../ids'
import type { ColumnInfo } from './schemas'

/** The longest a group name may be (the Map step, the contract and the command agree). */
export const MAX_GROUP_NAME_LENGTH = 100

/**
 * The names Splitsend suggests for the two groups, from the flag column: "Uses the app: no" and
 * "Uses the app: yes". A suggestion, never a choice: a list is only made from it once the person
 * has seen it (the Upload step asks), because a group's name becomes its Constant Contact list's
 * name unless they type another.
 */
export function suggestedGroupNames(
  flagColumn: Pick<ColumnInfo, 'name' | 'generated'> | undefined,
): Record<GroupKey, string> {
  const header = flagColumn && !flagColumn.generated ? flagColumn.name.replace(/\s+/g, ' ').trim() : ''
  const base = (header || 'Flag').slice(0, MAX_GROUP_NAME_LENGTH - ': yes'.length).trim()
  return { '0': `${base}: no`, '1': `${base}: yes` }
}
