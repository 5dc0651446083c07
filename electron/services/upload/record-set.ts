/**
 * Which of an activity's records (offsets 0 … count − 1 from its first) Constant Contact didn't
 * put on the list, as the upload journal keeps it (the `not_on_list` entry).
 *
 * A bitmap over the activity's planned records, in base64: bit `i` (the least significant first,
 * in byte `i >> 3`) is the record at offset `i`. Its size depends only on the activity's planned
 * count (⌈count / 8⌉ bytes, at most 5,000 for the 40,000 contacts an import holds), never on how
 * many were refused or in what pattern: the journal's reader, which runs on the thread that serves
 * the person (the Jobs view, the upload status), parses a bounded line. Ranges would be smaller
 * when everything or almost nothing was refused, but every other contact refused would make
 * count / 2 of them; the list of offsets this replaces took up to 7 bytes per refused contact.
 *
 * Reading a journal only keeps the text: it is decoded the first time a record is looked up, which
 * only the report does (in its worker).
 */
export interface RecordSet {
  has(offset: number): boolean
}

/** The bitmap of `offsets` among an activity's `count` records. */
export function encodeRecordSet(offsets: Iterable<number>, count: number): string {
  const bits = Buffer.alloc(Math.ceil(count / 8))
  for (const offset of offsets) {
    if (!Number.isInteger(offset) || offset < 0 || offset >= count)
      throw new RangeError(`Record ${offset} is not one of the activity's ${count}`)
    bits[offset >> 3]! |= 1 << (offset & 7)
  }
  return bits.toString('base64')
}

/** The set a bitmap written by {@link encodeRecordSet} holds; undefined when it can't be one (a damaged line). */
export function bitmapRecordSet(bitmap: unknown, count: number): RecordSet | undefined {
  if (typeof bitmap !== 'string' || bitmap.length !== 4 * Math.ceil(Math.ceil(count / 8) / 3)) return undefined
  if (!BASE64.test(bitmap)) return undefined
  let bits: Buffer | undefined
  return {
    has(offset) {
      bits ??= Buffer.from(bitmap, 'base64')
      return offset >= 0 && offset < count && ((bits[offset >> 3]! >> (offset & 7)) & 1) === 1
    },
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** The set a journal written before the bitmap keeps: the offsets in a list (`members_checked`). */
export function listRecordSet(offsets: unknown): RecordSet | undefined {
  if (!Array.isArray(offsets)) return undefined
  let set: Set<unknown> | undefined
  return { has: (offset) => (set ??= new Set(offsets)).has(offset) }
}
