import { FNV_OFFSET, FNV_PRIME } from './address-hash'
import { checkEmail, plainAddress, trimCell } from './email'
import { flagKey, FlagRules } from './flags'
import type { ConflictPolicy, FlagValueCount, PrepareOptions } from './schemas'
import type { GroupKey } from '../ids'

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

/** How many distinct values of the flag column are counted (and kept in summary.json). */
const MAX_DISTINCT_FLAG_VALUES = 200

const SEEN0 = 1
const SEEN1 = 2
const FIRST_IS_1 = 4
const LAST_IS_1 = 8

/** Bytes in one block of the address table's character store. */
const BLOCK_BYTES = 1 << 20
const BLOCK_SHIFT = 20

/**
 * The set of addresses, as an open-addressing hash table over blocks of bytes. A JS Map of a
 * million strings costs twice the time and a lot of garbage-collector work; here an address is a
 * run of bytes in a block and the table holds only numbers.
 *
 * Addresses are nearly always ASCII, so each one is stored with one byte per UTF-16 code unit
 * when all of its code units are below 256 ("narrow"), and with two bytes per code unit
 * otherwise ("wide"; the `wide` flag tells which). Blocks are fixed-size and never copied, so the
 * table grows without the peak of copying a doubled array; an address never straddles two blocks.
 * Two different addresses with the same 32-bit hash are told apart by comparing their text.
 */
export class AddressTable {
  private mask = (1 << 12) - 1
  /** Two numbers per slot, side by side so a probe touches one place in memory: the id (-1: empty) and its hash. */
  private slots = new Int32Array((this.mask + 1) * 2).fill(-1)
  /** Where each address starts: block number × BLOCK_BYTES + offset in the block (below 2^32: 4096 blocks at most). */
  private starts = new Uint32Array(1 << 12)
  /** Length of each address in code units; the top bit marks a wide address. */
  private lengths = new Uint32Array(1 << 12)
  private readonly blocks: Uint8Array[] = [new Uint8Array(BLOCK_BYTES)]
  private used = 0
  count = 0
  /** Whether the last {@link id} call added the address. */
  added = false
  /**
   * The text of the last {@link id} call, one byte per code unit, when it is narrow: read once, it
   * is hashed, then compared and stored from here.
   */
  private staged = new Uint8Array(256)
  /** A hash function can be supplied for tests (e.g. one that makes every address collide). */
  constructor(private readonly hashOf?: (text: string) => number) {}

  /** The id of `text`, adding it when new; {@link added} tells which. */
  id(text: string): number {
    const length = text.length
    if (length > this.staged.length) this.staged = new Uint8Array(length * 2)
    // One pass over the text: FNV-1a over its code units, whether any is above 255, and the low
    // bytes staged. (Separate passes cost three times as much: each one reads the string again.)
    const staged = this.staged
    let hash = FNV_OFFSET
    let codes = 0
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i)
      codes |= code
      staged[i] = code
      hash = Math.imul(hash ^ code, FNV_PRIME)
    }
    if (this.hashOf) hash = this.hashOf(text)
    return codes > 0xff ? this.findWide(text, hash) : this.find(hash, staged, 0, length)
  }

  /**
   * {@link id} for an address given as one byte per character (ASCII, as plainAddressKind accepts)
   * at `bytes[from..from+length)`, whose hash is known (see address-hash.ts): it is read only to
   * compare it with a stored address, or to store it when new. (Bytes are far quicker to read
   * than a string cut out of a longer text.)
   */
  idBytes(bytes: Uint8Array, from: number, length: number, hash: number): number {
    return this.find(this.hashOf ? this.hashOf(latin1Text(bytes, from, length)) : hash, bytes, from, length)
  }

  /**
   * The id filed under `hash` of the wide address `wide`, or (when null) of the narrow address
   * `bytes[from..from+length)`; when there is none, -1 - the empty slot it belongs in.
   */
  private lookUp(hash: number, wide: string | null, bytes: Uint8Array, from: number, length: number): number {
    const slots = this.slots
    let slot = hash & this.mask
    for (;;) {
      const id = slots[2 * slot]!
      if (id === -1) return -1 - slot
      if (
        slots[2 * slot + 1] === hash &&
        (wide === null ? this.equalsBytes(id, bytes, from, length) : this.equals(id, wide))
      ) {
        this.added = false
        return id
      }
      slot = (slot + 1) & this.mask
    }
  }

  /** The id of the narrow address `bytes[from..from+length)`; adds it when new. */
  private find(hash: number, bytes: Uint8Array, from: number, length: number): number {
    const found = this.lookUp(hash, null, bytes, from, length)
    if (found >= 0) return found
    const at = this.allocate(length)
    const chars = this.blocks[this.blocks.length - 1]!
    for (let i = 0; i < length; i++) chars[at + i] = bytes[from + i]!
    return this.insert(-1 - found, hash, at, length)
  }

  /** {@link find} for an address with a character above U+00FF, stored with two bytes per code unit. */
  private findWide(text: string, hash: number): number {
    const found = this.lookUp(hash, text, this.staged, 0, 0)
    if (found >= 0) return found
    const length = text.length
    const from = this.allocate(length * 2)
    const chars = this.blocks[this.blocks.length - 1]!
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i)
      chars[from + 2 * i] = code & 0xff
      chars[from + 2 * i + 1] = code >>> 8
    }
    return this.insert(-1 - found, hash, from, (length | 0x80000000) >>> 0)
  }

  /** Room for `bytes` more bytes in the last block (a new one when it is full); returns where it starts. */
  private allocate(bytes: number): number {
    if (bytes > BLOCK_BYTES) throw new RangeError('An address is too long for the address table')
    if (this.used + bytes > BLOCK_BYTES) {
      if (this.blocks.length === 4096) throw new RangeError('The address table is full')
      this.blocks.push(new Uint8Array(BLOCK_BYTES))
      this.used = 0
    }
    const from = this.used
    this.used += bytes
    return from
  }

  /** Files a new address stored at `from` in the last block, in the empty `slot`. */
  private insert(slot: number, hash: number, from: number, storedLength: number): number {
    const id = this.count++
    if (id >= this.starts.length) {
      const size = this.starts.length * 2
      this.starts = grow(this.starts, new Uint32Array(size))
      this.lengths = grow(this.lengths, new Uint32Array(size))
    }
    this.starts[id] = (this.blocks.length - 1) * BLOCK_BYTES + from
    this.lengths[id] = storedLength
    this.slots[2 * slot] = id
    this.slots[2 * slot + 1] = hash
    if (this.count * 2 > this.mask) this.rehash()
    this.added = true
    return id
  }

  /** The id of `text`, adding it when new; `added` tells which. */
  idOf(text: string): { id: number; added: boolean } {
    const id = this.id(text)
    return { id, added: this.added }
  }

  text(id: number): string {
    const start = this.starts[id]!
    const chars = this.blocks[start >>> BLOCK_SHIFT]!
    const from = start & (BLOCK_BYTES - 1)
    const stored = this.lengths[id]!
    const length = stored & 0x7fffffff
    let text = ''
    if (stored & 0x80000000)
      for (let i = 0; i < length; i++)
        text += String.fromCharCode(chars[from + 2 * i]! | (chars[from + 2 * i + 1]! << 8))
    else text = latin1Text(chars, from, length)
    return text
  }

  /** Whether address `id` is the narrow text `bytes[from..from+length)`. */
  private equalsBytes(id: number, bytes: Uint8Array, from: number, length: number): boolean {
    if (this.lengths[id] !== length) return false // a wide address has the top bit set, so never equal
    const start = this.starts[id]!
    const chars = this.blocks[start >>> BLOCK_SHIFT]!
    const at = start & (BLOCK_BYTES - 1)
    for (let i = 0; i < length; i++) if (chars[at + i] !== bytes[from + i]) return false
    return true
  }

  private equals(id: number, text: string): boolean {
    const stored = this.lengths[id]!
    const length = stored & 0x7fffffff
    if (length !== text.length) return false
    const start = this.starts[id]!
    const chars = this.blocks[start >>> BLOCK_SHIFT]!
    const from = start & (BLOCK_BYTES - 1)
    if (stored & 0x80000000) {
      for (let i = 0; i < length; i++)
        if ((chars[from + 2 * i]! | (chars[from + 2 * i + 1]! << 8)) !== text.charCodeAt(i)) return false
    } else {
      for (let i = 0; i < length; i++) if (chars[from + i] !== text.charCodeAt(i)) return false
    }
    return true
  }

  /**
   * Makes room for about `count` addresses at once, so the table is not built again and again as
   * it grows (each time every address is filed anew, at random places in memory).
   */
  reserve(count: number): void {
    while (count * 2 > this.mask) this.rehash()
  }

  private rehash(): void {
    const old = this.slots
    this.mask = this.mask * 2 + 1
    const slots = (this.slots = new Int32Array((this.mask + 1) * 2).fill(-1))
    for (let from = 0; from < old.length; from += 2) {
      const id = old[from]!
      if (id === -1) continue
      const hash = old[from + 1]!
      let slot = hash & this.mask
      while (slots[2 * slot] !== -1) slot = (slot + 1) & this.mask
      slots[2 * slot] = id
      slots[2 * slot + 1] = hash
    }
  }
}

/** The text of one byte per character. */
export function latin1Text(bytes: Uint8Array, from: number, length: number): string {
  let text = ''
  for (let i = from; i < from + length; i++) text += String.fromCharCode(bytes[i]!)
  return text
}

function grow<T extends Uint8Array | Uint16Array | Int32Array | Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from as never)
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

  /** See AddressTable.reserve. */
  reserve(count: number): void {
    this.table.reserve(count)
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
    return this.note(this.table.id(address), group, row)
  }

  /** {@link record} for an address given as bytes (see AddressTable.idBytes). */
  recordBytes(bytes: Uint8Array, from: number, length: number, hash: number, group: GroupKey, row: number): number {
    return this.note(this.table.idBytes(bytes, from, length, hash), group, row)
  }

  private note(id: number, group: GroupKey, row: number): number {
    if (this.table.added) {
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

/** Counts of the distinct values of the flag column, so the person can assign the unknown ones. */
export class FlagValueTally {
  private readonly counts = new Map<string, { value: string; count: number }>()
  /** The entry of each cell text seen (a few thousand at most), so the usual cell needs no trimming or lower-casing. */
  private readonly byCell = new Map<string, { value: string; count: number }>()
  truncated = false

  /** Counts a flag cell that is not blank: {@link add} under its {@link flagKey}. */
  addCell(cell: string): void {
    const known = this.byCell.get(cell)
    if (known) {
      known.count++
      return
    }
    const key = flagKey(cell)
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

/** Applies the per-row rules and feeds the address book. */
export class RowClassifier {
  readonly addresses: AddressBook
  readonly flagRules: FlagRules
  readonly flagValues = new FlagValueTally()
  private readonly emailColumn: number
  private readonly flagColumn: number

  constructor(
    options: Pick<PrepareOptions, 'mapping' | 'onConflict' | 'group0Values' | 'group1Values' | 'leaveOutValues'>,
  ) {
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
    if (decision !== 'missing') this.flagValues.addCell(flagCell)
    if (email.kind === 'empty') return { kind: 'missing_email' }
    if (email.kind === 'invalid') return { kind: 'invalid_email', value: email.normalized, why: email.why }
    if (decision === 'missing') return { kind: 'missing_flag', address: email.address }
    if (decision === 'unassigned' || decision === 'leave_out') {
      return {
        kind: 'unrecognized_flag',
        address: email.address,
        value: trimCell(flagCell),
        leftOut: decision === 'leave_out',
      }
    }
    const { addressId, firstInGroup } = this.addresses.add(email.address, decision, row)
    return { kind: 'candidate', address: email.address, group: decision, addressId, firstInGroup, long: email.long }
  }

  /** The address of the last candidate found by {@link classifyRow} (or the plain-address variants). */
  get address(): string {
    if (this.addressBytes !== null) {
      this.addressText = latin1Text(this.addressBytes, this.addressFrom, this.addressLength)
      this.addressBytes = null
    }
    return this.addressText
  }

  /** Its length. */
  addressLength = 0
  private addressText = ''
  /** When the address was given as bytes (see {@link classifyPlainBytes}): where; made a string only when asked for. */
  private addressBytes: Uint8Array | null = null
  private addressFrom = 0

  private setAddress(address: string): void {
    this.addressText = address
    this.addressBytes = null
    this.addressLength = address.length
  }

  /** Its group. */
  group: GroupKey = '0'

  /**
   * {@link classify} for the full pass, without allocating for the usual row. For a candidate
   * (a plain address and a flag of a group) it returns the address id and leaves the details in
   * {@link address}, {@link group} and the address book's `firstInGroup` / `seenInOtherGroup`;
   * for anything else it returns -1 and leaves the full verdict in {@link verdict}. The outcome is
   * always exactly what {@link classify} would say.
   */
  classifyRow(cells: readonly string[], row: number): number {
    const addressId = this.classifyPlain(cells[this.emailColumn] ?? '', cells[this.flagColumn] ?? '', row)
    if (addressId !== -1) return addressId
    const verdict = this.classify(cells, row)
    if (verdict.kind === 'candidate') {
      this.setAddress(verdict.address)
      this.group = verdict.group
      return verdict.addressId
    }
    this.verdict = verdict
    return -1
  }

  /**
   * The usual row, from its email and flag cells alone: when the flag is a group's and the address
   * is plain (see plainAddress), records the candidate as {@link classifyRow} does and returns its
   * address id. Otherwise returns -1 having changed nothing, and {@link classifyRow} must decide.
   */
  classifyPlain(emailCell: string, flagCell: string, row: number): number {
    const decision = this.flagRules.decide(flagCell)
    if (decision !== '0' && decision !== '1') return -1
    const address = plainAddress(emailCell)
    if (address === null) return -1
    this.flagValues.addCell(flagCell)
    this.setAddress(address)
    this.group = decision
    return this.addresses.record(address, decision, row)
  }

  /**
   * {@link classifyPlain} for a row whose email cell is known to hold a plain address, given as
   * its bytes and their hash (see address-hash.ts; worked out while the row was read, see
   * csv-read-thread.ts): decides by the flag cell alone.
   */
  classifyPlainBytes(
    bytes: Uint8Array,
    from: number,
    length: number,
    hash: number,
    flagCell: string,
    row: number,
  ): number {
    const decision = this.flagRules.decide(flagCell)
    if (decision !== '0' && decision !== '1') return -1
    this.flagValues.addCell(flagCell)
    this.addressBytes = bytes
    this.addressFrom = from
    this.addressLength = length
    this.group = decision
    return this.addresses.recordBytes(bytes, from, length, hash, decision, row)
  }

  /** The verdict of the last row {@link classifyRow} did not find to be a candidate. */
  verdict: Exclude<RowVerdict, { kind: 'candidate' }> = { kind: 'missing_email' }
}
