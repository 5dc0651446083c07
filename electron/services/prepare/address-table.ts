import type { AddressIds } from '../../../shared/prepare/classify'

/**
 * The hash the address table files addresses under: 32-bit FNV-1a over the address's UTF-16 code
 * units (for an ASCII address, its bytes). The plain-address reader (./plain-address.ts) works it
 * out while it reads an address, and the table agrees.
 */
export const FNV_OFFSET = 0x811c9dc5 | 0
export const FNV_PRIME = 16777619

/** The hash of an address of one byte per character, `bytes[from..from+length)`. */
export function addressHashOfBytes(bytes: Uint8Array, from: number, length: number): number {
  let hash = FNV_OFFSET
  for (let i = from; i < from + length; i++) hash = Math.imul(hash ^ bytes[i]!, FNV_PRIME)
  return hash
}

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
export class AddressTable implements AddressIds {
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
   * at `bytes[from..from+length)`, whose hash is known (FNV-1a, above): it is read only to
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

function grow<T extends Uint32Array>(from: T, to: T): T {
  to.set(from)
  return to
}
