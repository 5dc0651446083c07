import { checkEmail, trimCell } from './email'
import { flagKey, FlagRules } from './flags'
import { MAX_DISTINCT_FLAG_VALUES, type ConflictPolicy, type FlagValueCount, type GroupKey, type PrepareOptions } from './types'

/**
 * The rules of the issue, applied one row at a time. A row's fate is decided in two steps:
 *
 * 1. {@link RowClassifier.classify} while the file is read: the problems a row has on its own
 *    (missing_email, invalid_email, missing_flag, unrecognized_flag), or else its address and group.
 * 2. {@link AddressBook.resolve} once the whole file has been read: whether a candidate row goes
 *    into its group, is a `duplicate`, or a `conflicting_flag` — which can depend on rows further
 *    down (an address marked 0 on row 5 and 1 on row 900 000).
 *
 * Only the set of addresses is kept in memory (plus a few bytes per address).
 */

export type RowVerdict =
  | { kind: 'missing_email' }
  | { kind: 'invalid_email'; value: string; why: string }
  | { kind: 'missing_flag'; address: string }
  | { kind: 'unrecognized_flag'; address: string; value: string; leftOut: boolean }
  | { kind: 'candidate'; address: string; group: GroupKey; addressId: number; firstInGroup: boolean; long: boolean }

export type CandidateOutcome = 'group' | 'duplicate' | 'conflicting_flag'

const SEEN0 = 1
const SEEN1 = 2
const FIRST_IS_1 = 4
const LAST_IS_1 = 8

/** Every address seen in a group, with what the conflict and duplicate rules need to know about it. */
export class AddressBook {
  private readonly ids = new Map<string, number>()
  private state = new Uint8Array(1024)
  private firstRow0 = new Uint32Array(1024)
  private firstRow1 = new Uint32Array(1024)
  private lastRow = new Uint32Array(1024)

  constructor(readonly policy: ConflictPolicy) {}

  get size(): number {
    return this.ids.size
  }

  /** Records `address` in `group` on Excel row `row`; says whether it is the address's first row in that group. */
  add(address: string, group: GroupKey, row: number): { addressId: number; firstInGroup: boolean } {
    let id = this.ids.get(address)
    if (id === undefined) {
      id = this.ids.size
      this.ids.set(detach(address), id)
      if (id >= this.state.length) this.grow()
      this.state[id] = group === '1' ? FIRST_IS_1 : 0
    }
    const bit = group === '1' ? SEEN1 : SEEN0
    const before = this.state[id]!
    const firstInGroup = (before & bit) === 0
    if (firstInGroup) (group === '1' ? this.firstRow1 : this.firstRow0)[id] = row
    this.state[id] = ((before | bit) & ~LAST_IS_1) | (group === '1' ? LAST_IS_1 : 0)
    this.lastRow[id] = row
    return { addressId: id, firstInGroup }
  }

  /** Where a candidate row ends, once every row has been added. */
  resolve(addressId: number, group: GroupKey, firstInGroup: boolean): CandidateOutcome {
    const state = this.state[addressId]!
    if ((state & (SEEN0 | SEEN1)) === (SEEN0 | SEEN1)) {
      if (this.policy === 'exclude') return 'conflicting_flag'
      const winner: GroupKey = (this.policy === 'first' ? state & FIRST_IS_1 : state & LAST_IS_1) ? '1' : '0'
      if (winner !== group) return 'conflicting_flag'
    }
    return firstInGroup ? 'group' : 'duplicate'
  }

  /** Facts about an address for the explanation of a duplicate or conflict. */
  describe(addressId: number): { firstRow: Record<GroupKey, number>; lastRow: number; firstGroup: GroupKey; lastGroup: GroupKey } {
    const state = this.state[addressId]!
    return {
      firstRow: { '0': this.firstRow0[addressId]!, '1': this.firstRow1[addressId]! },
      lastRow: this.lastRow[addressId]!,
      firstGroup: state & FIRST_IS_1 ? '1' : '0',
      lastGroup: state & LAST_IS_1 ? '1' : '0',
    }
  }

  private grow(): void {
    const size = this.state.length * 2
    const copy = <T extends Uint8Array | Uint32Array>(from: T, to: T): T => {
      to.set(from)
      return to
    }
    this.state = copy(this.state, new Uint8Array(size))
    this.firstRow0 = copy(this.firstRow0, new Uint32Array(size))
    this.firstRow1 = copy(this.firstRow1, new Uint32Array(size))
    this.lastRow = copy(this.lastRow, new Uint32Array(size))
  }
}

/**
 * A copy of `text` that doesn't keep alive the string it was cut from. Cells are slices of the
 * 1 MB block of text they were parsed from; keeping one as a map key would keep the whole block,
 * i.e. the whole file over a million rows. Concatenating forces a fresh flat copy.
 */
function detach(text: string): string {
  return `${text} `.slice(0, -1)
}

/** Counts of the distinct values of the flag column, so the person can assign the unknown ones. */
export class FlagValueTally {
  private readonly counts = new Map<string, { value: string; count: number }>()
  truncated = false

  add(key: string, value: string): void {
    const entry = this.counts.get(key)
    if (entry) entry.count++
    else if (this.counts.size < MAX_DISTINCT_FLAG_VALUES) this.counts.set(key, { value, count: 1 })
    else this.truncated = true
  }

  list(rules: FlagRules): FlagValueCount[] {
    return [...this.counts.values()]
      .map(({ value, count }) => {
        const decision = rules.decide(value)
        return { value, count, assignedTo: decision === 'missing' ? 'unassigned' : decision }
      })
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
  }
}

/** Applies the per-row rules and feeds the address book. */
export class RowClassifier {
  readonly addresses: AddressBook
  readonly flagRules: FlagRules
  readonly flagValues = new FlagValueTally()
  private readonly emailColumn: number
  private readonly flagColumn: number

  constructor(options: Pick<PrepareOptions, 'mapping' | 'onConflict' | 'group0Values' | 'group1Values' | 'leaveOutValues'>) {
    this.emailColumn = options.mapping.emailColumn
    this.flagColumn = options.mapping.flagColumn
    this.flagRules = new FlagRules(options)
    this.addresses = new AddressBook(options.onConflict ?? 'exclude')
  }

  /** Classifies one data row (not blank, below the header) found on Excel row `row`. */
  classify(cells: readonly string[], row: number): RowVerdict {
    const email = checkEmail(cells[this.emailColumn] ?? '')
    const flagCell = cells[this.flagColumn] ?? ''
    const decision = this.flagRules.decide(flagCell)
    if (decision !== 'missing') this.flagValues.add(flagKey(flagCell), trimCell(flagCell))
    if (email.kind === 'empty') return { kind: 'missing_email' }
    if (email.kind === 'invalid') return { kind: 'invalid_email', value: email.normalized, why: email.why }
    if (decision === 'missing') return { kind: 'missing_flag', address: email.address }
    if (decision === 'unassigned' || decision === 'leave_out') {
      return { kind: 'unrecognized_flag', address: email.address, value: trimCell(flagCell), leftOut: decision === 'leave_out' }
    }
    const { addressId, firstInGroup } = this.addresses.add(email.address, decision, row)
    return { kind: 'candidate', address: email.address, group: decision, addressId, firstInGroup, long: email.long }
  }
}
