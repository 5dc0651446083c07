import { trimCell } from './email'
import type { BlankFlagChoice, FlagAssignments } from './schemas'
import type { GroupKey } from '../ids'

/** The values that mean group 0 / group 1 without anyone saying so (compared case-insensitively, trimmed). */
export const STANDARD_GROUP0_VALUES = ['0', '0.0', 'false', 'no', 'n'] as const
export const STANDARD_GROUP1_VALUES = ['1', '1.0', 'true', 'yes', 'y'] as const

/** Where a flag value sends its row. `unassigned` is never treated as 0: the row is reported. */
export type FlagDecision = GroupKey | 'leave_out' | 'unassigned' | 'missing'

/** The key a flag value is compared by: trimmed (all kinds of spaces) and lower-cased. */
export function flagKey(value: string): string {
  return trimCell(value).toLowerCase()
}

export function isStandardFlagValue(value: string): boolean {
  const key = flagKey(value)
  return (
    (STANDARD_GROUP0_VALUES as readonly string[]).includes(key) ||
    (STANDARD_GROUP1_VALUES as readonly string[]).includes(key)
  )
}

/**
 * Decides the group of a flag cell. The person's own assignments come first (so they may also
 * move a standard value, e.g. leave out every `n`); then the standard values; anything else is
 * `unassigned`. An empty cell is `missing`, unless the person put empty cells in a group
 * (`blankFlag`); when they chose to leave them out, {@link blank} says so.
 */
export class FlagRules {
  private readonly table = new Map<string, GroupKey | 'leave_out'>()
  /** Where empty flag cells go. */
  readonly blank: BlankFlagChoice

  constructor(assignments: FlagAssignments & { blankFlag?: BlankFlagChoice | undefined } = {}) {
    this.blank = assignments.blankFlag ?? 'problem'
    for (const value of STANDARD_GROUP0_VALUES) this.table.set(value, '0')
    for (const value of STANDARD_GROUP1_VALUES) this.table.set(value, '1')
    const explicit = new Map<string, GroupKey | 'leave_out'>()
    const assign = (values: string[] | undefined, to: GroupKey | 'leave_out'): void => {
      for (const value of values ?? []) {
        const key = flagKey(value)
        if (key === '') continue
        const earlier = explicit.get(key)
        if (earlier !== undefined && earlier !== to) {
          throw new FlagAssignmentConflict(value, earlier, to)
        }
        explicit.set(key, to)
      }
    }
    assign(assignments.group0Values, '0')
    assign(assignments.group1Values, '1')
    assign(assignments.leaveOutValues, 'leave_out')
    for (const [key, to] of explicit) this.table.set(key, to)
  }

  decide(cell: string): FlagDecision {
    // Exact hit first: the common "0"/"1" cells need no trimming or lower-casing.
    const exact = this.table.get(cell)
    if (exact !== undefined) return exact
    const key = flagKey(cell)
    if (key === '') return this.blank === '0' || this.blank === '1' ? this.blank : 'missing'
    return this.table.get(key) ?? 'unassigned'
  }
}

/** The same value was given to two different groups. */
export class FlagAssignmentConflict extends Error {
  constructor(
    readonly value: string,
    readonly first: GroupKey | 'leave_out',
    readonly second: GroupKey | 'leave_out',
  ) {
    super(`The flag value "${value}" is assigned to two places (${describe(first)} and ${describe(second)}).`)
    this.name = 'FlagAssignmentConflict'
  }
}

function describe(to: GroupKey | 'leave_out'): string {
  return to === 'leave_out' ? 'leave out' : `group ${to}`
}
