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

/**
 * The set of addresses, as an open-addressing hash table over one big character array. A JS Map
 * of a million strings costs twice the time and a lot of garbage-collector work; here an address
 * is a run of UTF-16 code units in `chars` and the table holds only numbers.
 */
class AddressTable {
  private mask = (1 << 12) - 1
  private slots = new Int32Array(this.mask + 1).fill(-1)
  private hashes = new Int32Array(1 << 12)
  private starts = new Uint32Array((1 << 12) + 1)
  private chars = new Uint16Array(1 << 16)
  count = 0

  /** The id of `text`, adding it when new; `added` tells which. */
  idOf(text: string): { id: number; added: boolean } {
    const length = text.length
    let hash = 0x811c9dc5 | 0
    for (let i = 0; i < length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619)
    let slot = hash & this.mask
    for (;;) {
      const id = this.slots[slot]!
      if (id === -1) break
      if (this.hashes[id] === hash && this.equals(id, text)) return { id, added: false }
      slot = (slot + 1) & this.mask
    }
    const id = this.count++
    if (id + 1 >= this.hashes.length) {
      this.hashes = grow(this.hashes, new Int32Array(this.hashes.length * 2))
      this.starts = grow(this.starts, new Uint32Array(this.starts.length * 2))
    }
    const from = this.starts[id]!
    if (from + length > this.chars.length) this.chars = grow(this.chars, new Uint16Array(Math.max(this.chars.length * 2, from + length)))
    for (let i = 0; i < length; i++) this.chars[from + i] = text.charCodeAt(i)
    this.starts[id + 1] = from + length
    this.hashes[id] = hash
    this.slots[slot] = id
    if (this.count * 2 > this.mask) this.rehash()
    return { id, added: true }
  }

  text(id: number): string {
    return String.fromCharCode(...this.chars.subarray(this.starts[id]!, this.starts[id + 1]!))
  }

  private equals(id: number, text: string): boolean {
    const from = this.starts[id]!
    if (this.starts[id + 1]! - from !== text.length) return false
    for (let i = 0; i < text.length; i++) if (this.chars[from + i] !== text.charCodeAt(i)) return false
    return true
  }

  private rehash(): void {
    this.mask = this.mask * 2 + 1
    this.slots = new Int32Array(this.mask + 1).fill(-1)
    for (let id = 0; id < this.count; id++) {
      let slot = this.hashes[id]! & this.mask
      while (this.slots[slot] !== -1) slot = (slot + 1) & this.mask
      this.slots[slot] = id
    }
  }
}

function grow<T extends Uint8Array | Uint16Array | Int32Array | Uint32Array>(from: T, to: T): T {
  to.set(from)
  return to
}

/** Every address seen in a group, with what the conflict and duplicate rules need to know about it. */
export class AddressBook {
  private readonly table = new AddressTable()
  private state = new Uint8Array(1024)
  private firstRow0 = new Uint32Array(1024)
  private firstRow1 = new Uint32Array(1024)
  private lastRow = new Uint32Array(1024)

  constructor(readonly policy: ConflictPolicy) {}

  get size(): number {
    return this.table.count
  }

  /** Records `address` in `group` on Excel row `row`; says whether it is the address's first row in that group. */
  add(address: string, group: GroupKey, row: number): { addressId: number; firstInGroup: boolean } {
    const { id, added } = this.table.idOf(address)
    if (added) {
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

  addressOf(addressId: number): string {
    return this.table.text(addressId)
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
    this.state = grow(this.state, new Uint8Array(size))
    this.firstRow0 = grow(this.firstRow0, new Uint32Array(size))
    this.firstRow1 = grow(this.firstRow1, new Uint32Array(size))
    this.lastRow = grow(this.lastRow, new Uint32Array(size))
  }
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
