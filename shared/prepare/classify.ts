import { checkEmail, trimCell } from './email'
import { characterCount, IMPORT_EMAIL_MAX_LENGTH, isLongerThan } from './field-limits'
import { flagKey, FlagRules } from './flags'
import type { ConflictPolicy, FlagValueCount, PrepareOptions } from './schemas'
import type { GroupKey } from '../ids'

/**
 * The rules of the issue, applied one row at a time. A row's fate is decided in two steps:
 *
 * 1. {@link RowClassifier.classify} while the file is read: the problems a row has on its own
 *    (missing_email, invalid_email, email_too_long, missing_flag, unrecognized_flag), or else its
 *    address and group.
 * 2. {@link AddressBook.resolve} once the whole file has been read: whether a candidate row goes
 *    into its group, is a `duplicate`, a `conflicting_flag` (left out with all its rows), or
 *    `overruled_flag` (another of its rows won, by the person's rule) — which can depend on rows
 *    further down (an address marked 0 on row 5 and 1 on row 900 000).
 *
 * Only the set of addresses is kept in memory (plus a few bytes per address). The full pass keeps
 * them in a byte-level table and reads the usual row without making strings
 * (electron/services/prepare/address-table.ts, pass-classifier.ts); it decides exactly as here.
 */

export type RowVerdict =
  | { kind: 'missing_email' }
  | { kind: 'invalid_email'; value: string; why: string }
  /** A usable address, but longer than a bulk import takes (JsonImportContact.email: 50). */
  | { kind: 'email_too_long'; address: string; length: number }
  | { kind: 'missing_flag'; address: string; leftOut: boolean }
  | { kind: 'unrecognized_flag'; address: string; value: string; leftOut: boolean }
  | { kind: 'candidate'; address: string; group: GroupKey; addressId: number; firstInGroup: boolean }

export type CandidateOutcome = 'group' | 'duplicate' | 'conflicting_flag' | 'overruled_flag'

/** How many distinct values of the flag column are counted (and kept in summary.json). */
const MAX_DISTINCT_FLAG_VALUES = 200

const SEEN0 = 1
const SEEN1 = 2
const FIRST_IS_1 = 4
const LAST_IS_1 = 8

/** How the address book numbers addresses: 0, 1, 2… in the order they are first seen. */
export interface AddressIds {
  /** The id of `text`, adding it when new; {@link added} then says whether it was. */
  id(text: string): number
  readonly added: boolean
  text(id: number): string
  /** Makes room for about `count` addresses at once. */
  reserve(count: number): void
}

/** {@link AddressIds} in a Map: plenty for the rows of a preview. */
class MapAddressIds implements AddressIds {
  private readonly ids = new Map<string, number>()
  private readonly texts: string[] = []
  added = false

  id(text: string): number {
    const known = this.ids.get(text)
    this.added = known === undefined
    if (known !== undefined) return known
    this.ids.set(text, this.texts.length)
    return this.texts.push(text) - 1
  }

  text(id: number): string {
    return this.texts[id]!
  }

  reserve(): void {}
}

/** Every address seen in a group, with what the conflict and duplicate rules need to know about it. */
export class AddressBook {
  private state = new Uint8Array(1024)
  private firstRow0 = new Uint32Array(1024)
  private firstRow1 = new Uint32Array(1024)
  private lastRow = new Uint32Array(1024)

  constructor(
    readonly policy: ConflictPolicy,
    private readonly ids: AddressIds = new MapAddressIds(),
  ) {}

  /** See AddressIds.reserve. */
  reserve(count: number): void {
    this.ids.reserve(count)
  }

  /** Records `address` in `group` on Excel row `row`; says whether it is the address's first row in that group. */
  add(address: string, group: GroupKey, row: number): { addressId: number; firstInGroup: boolean } {
    const addressId = this.record(address, group, row)
    return { addressId, firstInGroup: this.firstInGroup }
  }

  /** Whether the row of the last {@link record} call was the address's first in its group. */
  firstInGroup = false
  /** Whether the address of the last {@link record} call had been seen in the other group before that row. */
  seenInOtherGroup = false

  /** {@link add} without allocating: returns the address id and sets {@link firstInGroup} and {@link seenInOtherGroup}. */
  record(address: string, group: GroupKey, row: number): number {
    return this.note(this.ids.id(address), group, row)
  }

  /** {@link record} for an address the caller has just looked up in this book's {@link AddressIds} itself. */
  note(id: number, group: GroupKey, row: number): number {
    if (this.ids.added) {
      if (id >= this.state.length) this.grow()
      this.state[id] = group === '1' ? FIRST_IS_1 : 0
    }
    const bit = group === '1' ? SEEN1 : SEEN0
    const before = this.state[id]!
    const firstInGroup = (before & bit) === 0
    if (firstInGroup) (group === '1' ? this.firstRow1 : this.firstRow0)[id] = row
    this.state[id] = ((before | bit) & ~LAST_IS_1) | (group === '1' ? LAST_IS_1 : 0)
    this.lastRow[id] = row
    this.firstInGroup = firstInGroup
    this.seenInOtherGroup = (before & (group === '1' ? SEEN0 : SEEN1)) !== 0
    return id
  }

  /**
   * Whether a candidate row of an address already seen in both groups is sure to be left out as a
   * conflict, whatever rows come later: always with "exclude"; with "first row wins" when the row
   * is not in the address's first group. (With "last row wins" only the end of the file tells.)
   */
  isSettledConflict(addressId: number, group: GroupKey): boolean {
    if (this.policy === 'exclude') return true
    if (this.policy === 'last') return false
    return ((this.state[addressId]! & FIRST_IS_1) !== 0) !== (group === '1')
  }

  addressOf(addressId: number): string {
    return this.ids.text(addressId)
  }

  /** Where a candidate row ends, once every row has been added. */
  resolve(addressId: number, group: GroupKey, firstInGroup: boolean): CandidateOutcome {
    const state = this.state[addressId]!
    if ((state & (SEEN0 | SEEN1)) === (SEEN0 | SEEN1)) {
      if (this.policy === 'exclude') return 'conflicting_flag'
      // Settled by the person's rule: not a problem for them to solve, the other row decided.
      const winner: GroupKey = (this.policy === 'first' ? state & FIRST_IS_1 : state & LAST_IS_1) ? '1' : '0'
      if (winner !== group) return 'overruled_flag'
    }
    return firstInGroup ? 'group' : 'duplicate'
  }

  /** Facts about an address for the explanation of a duplicate or conflict. */
  describe(addressId: number): {
    firstRow: Record<GroupKey, number>
    lastRow: number
    firstGroup: GroupKey
    lastGroup: GroupKey
  } {
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
    this.state = grow(this.state, new Uint8Array(size))
    this.firstRow0 = grow(this.firstRow0, new Uint32Array(size))
    this.firstRow1 = grow(this.firstRow1, new Uint32Array(size))
    this.lastRow = grow(this.lastRow, new Uint32Array(size))
  }
}

function grow<T extends Uint8Array | Uint32Array>(from: T, to: T): T {
  to.set(from)
  return to
}

/** Counts of the distinct values of the flag column, so the person can assign the unknown ones. */
class FlagValueTally {
  private readonly counts = new Map<string, { value: string; count: number }>()
  /** The entry of each cell text seen (a few thousand at most), so the usual cell needs no trimming or lower-casing. */
  private readonly byCell = new Map<string, { value: string; count: number }>()
  truncated = false
  /** Empty flag cells, counted apart from the values. */
  blanks = 0

  /** Counts a flag cell: {@link add} under its {@link flagKey}, or as a blank. */
  addCell(cell: string): void {
    const known = this.byCell.get(cell)
    if (known) {
      known.count++
      return
    }
    const key = flagKey(cell)
    if (key === '') {
      this.blanks++
      return
    }
    this.add(key, trimCell(cell))
    const entry = this.counts.get(key)
    if (entry && this.byCell.size < MAX_DISTINCT_FLAG_VALUES * 4) this.byCell.set(cell, entry)
  }

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

/** The choices the rules depend on. */
export type ClassifierOptions = Pick<
  PrepareOptions,
  'mapping' | 'onConflict' | 'group0Values' | 'group1Values' | 'leaveOutValues' | 'blankFlag'
>

/** Applies the per-row rules and feeds the address book. */
export class RowClassifier {
  readonly addresses: AddressBook
  readonly flagRules: FlagRules
  readonly flagValues = new FlagValueTally()
  protected readonly emailColumn: number
  protected readonly flagColumn: number

  constructor(options: ClassifierOptions, ids?: AddressIds) {
    this.emailColumn = options.mapping.emailColumn
    this.flagColumn = options.mapping.flagColumn
    this.flagRules = new FlagRules(options)
    this.addresses = new AddressBook(options.onConflict ?? 'exclude', ids)
  }

  /** Classifies one data row (not blank, below the header) found on Excel row `row`. */
  classify(cells: readonly string[], row: number): RowVerdict {
    const email = checkEmail(cells[this.emailColumn] ?? '')
    const flagCell = cells[this.flagColumn] ?? ''
    const decision = this.flagRules.decide(flagCell)
    this.flagValues.addCell(flagCell)
    if (email.kind === 'empty') return { kind: 'missing_email' }
    if (email.kind === 'invalid') return { kind: 'invalid_email', value: email.normalized, why: email.why }
    if (isLongerThan(email.address, IMPORT_EMAIL_MAX_LENGTH))
      return { kind: 'email_too_long', address: email.address, length: characterCount(email.address) }
    if (decision === 'missing')
      return { kind: 'missing_flag', address: email.address, leftOut: this.flagRules.blank === 'leave_out' }
    if (decision === 'unassigned' || decision === 'leave_out') {
      return {
        kind: 'unrecognized_flag',
        address: email.address,
        value: trimCell(flagCell),
        leftOut: decision === 'leave_out',
      }
    }
    const { addressId, firstInGroup } = this.addresses.add(email.address, decision, row)
    return { kind: 'candidate', address: email.address, group: decision, addressId, firstInGroup }
  }
}
