import { IMPORT_EMAIL_MAX_LENGTH } from '../../../shared/prepare/field-limits'
import { FNV_OFFSET, FNV_PRIME } from './address-table'

/**
 * The normalised address when `raw` is certainly a plain address that checkEmail
 * (shared/prepare/email.ts) accepts (ASCII only, nothing to trim or unwrap), else null — then
 * checkEmail decides. A quick scan with no regular expression and, for a lower-case address, no new
 * string; it accepts exactly what checkEmail's PLAIN_ADDRESS accepts without a misplaced dot, so it
 * never disagrees with checkEmail.
 */
export function plainAddress(raw: string): string | null {
  const kind = plainAddressKind(raw, 0, raw.length)
  return kind === NOT_PLAIN ? null : kind === PLAIN_UPPER ? raw.toLowerCase() : raw
}

/** What {@link plainAddressKind} says. */
export const NOT_PLAIN = -1
export const PLAIN_LOWER = 0
/** Plain, with upper-case letters: the address is the text lower-cased. */
const PLAIN_UPPER = 1

/** Where {@link plainAddressKind} writes the address it reads: one byte per character from `at`, and its hash. */
export interface AddressBytesOut {
  bytes: Uint8Array
  at: number
  /** The address's hash (see ./address-table.ts), set when the answer is not NOT_PLAIN. */
  hash: number
}

/**
 * {@link plainAddress} for `text[start..end)`, without cutting it out: whether it is a plain
 * address, and whether it must be lower-cased to become the address (ASCII only, so that is one
 * byte per character either way). With `into`, the address (lower-cased) is also written there,
 * and hashed, in the same pass (what is written is of no use when the answer is NOT_PLAIN).
 */
export function plainAddressKind(text: string, start: number, end: number, into?: AddressBytesOut): number {
  const length = end - start
  // Longer than an import takes: not the usual row (the classifier says why).
  if (length === 0 || length > IMPORT_EMAIL_MAX_LENGTH) return NOT_PLAIN
  let upper = false
  let i = start
  const bytes = into?.bytes
  const shift = (into?.at ?? 0) - start
  let hash = FNV_OFFSET
  // The part before the @: at least one allowed character, no dot first, last or twice in a row.
  for (; i < end; i++) {
    const c = text.charCodeAt(i)
    if (bytes !== undefined) {
      const lower = c >= 65 && c <= 90 ? c + 32 : c
      bytes[i + shift] = lower
      hash = Math.imul(hash ^ lower, FNV_PRIME)
    }
    if (c === 64 /* @ */) break
    if (c >= 65 && c <= 90) upper = true
    else if (c === 46 /* . */) {
      if (i === start || text.charCodeAt(i - 1) === 46) return NOT_PLAIN
    } else if (!(c < 128 && LOCAL_CHARS[c] === 1)) return NOT_PLAIN
  }
  const sign = i
  if (sign === start || sign >= end - 1 || text.charCodeAt(sign - 1) === 46) return NOT_PLAIN
  // The domain: labels of letters, digits and inner hyphens, separated by single dots; the last
  // label (after at least one dot) only letters, at least two.
  let labelStart = sign + 1
  let dots = 0
  let lettersOnly = true
  for (i = sign + 1; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 46
    if (bytes !== undefined && i < end) {
      const lower = c >= 65 && c <= 90 ? c + 32 : c
      bytes[i + shift] = lower
      hash = Math.imul(hash ^ lower, FNV_PRIME)
    }
    if (c === 46) {
      const labelLength = i - labelStart
      if (labelLength === 0 || text.charCodeAt(i - 1) === 45 /* - */) return NOT_PLAIN
      if (i === end) {
        if (dots === 0 || !lettersOnly || labelLength < 2) return NOT_PLAIN
      } else dots++
      labelStart = i + 1
      lettersOnly = true
      continue
    }
    if (c >= 97 && c <= 122) continue
    if (c >= 65 && c <= 90) {
      upper = true
      continue
    }
    lettersOnly = false
    if (c >= 48 && c <= 57) continue
    if (c === 45 && i !== labelStart) continue
    return NOT_PLAIN
  }
  if (into !== undefined) into.hash = hash
  return upper ? PLAIN_UPPER : PLAIN_LOWER
}

/** Characters checkEmail's PLAIN_ADDRESS allows before the @ (as lower case), other than the dot. */
const LOCAL_CHARS = (() => {
  const table = new Uint8Array(128)
  for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_%+'&*=?^`{|}~!#$/-")
    table[c.charCodeAt(0)] = 1
  return table
})()
