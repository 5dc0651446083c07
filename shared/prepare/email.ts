import { FNV_OFFSET, FNV_PRIME } from './address-hash'

/**
 * Email addresses as Constant Contact accepts them. The rules are the issue's: one `@`, a non-empty
 * local part, a domain with a dot and a top-level part of at least two letters, no spaces, at most
 * 80 characters. A few more shapes that can never be delivered (two dots in a row, a comma, an
 * empty domain label) are refused too, each with its own plain explanation.
 */

/** Longest address the bulk import schema documents; longer ones (up to 80) get a warning. */
export const DOCUMENTED_EMAIL_LENGTH = 50
/** Longest address a Constant Contact contact can have. */
export const MAX_EMAIL_LENGTH = 80

// Spaces people can't see: ordinary and non-breaking spaces, tabs, the Unicode space family,
// zero-width characters and the BOM. Copy-paste from web pages and Outlook brings all of these.
const INVISIBLE = '\\s\\u00a0\\u1680\\u180e\\u2000-\\u200d\\u2028\\u2029\\u202f\\u205f\\u2060\\u3000\\ufeff'
const EDGE_SPACES = new RegExp(`^[${INVISIBLE}]+|[${INVISIBLE}]+$`, 'g')
const ANY_SPACE = new RegExp(`[${INVISIBLE}]`)

/** Trims every kind of space, including non-breaking and zero-width ones. */
export function trimCell(value: string): string {
  // Fast path: most cells have nothing to trim.
  if (value.length === 0) return value
  const first = value.charCodeAt(0)
  const last = value.charCodeAt(value.length - 1)
  if (first > 32 && first < 127 && last > 32 && last < 127) return value
  return value.replace(EDGE_SPACES, '')
}

export type EmailCheck =
  | { kind: 'empty' }
  | { kind: 'invalid'; normalized: string; why: string }
  | { kind: 'valid'; address: string; /** Longer than the 50 characters the bulk schema documents. */ long: boolean }

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const LOCAL_FORBIDDEN = /[(),:;<>[\]\\"]/
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u
const TOP_LEVEL = /^(?:\p{L}{2,}|xn--[a-z0-9-]+)$/u
// The common shape, checked first so the usual address costs one regex test.
const PLAIN_ADDRESS =
  /^[a-z0-9._%+'&*=?^`{|}~!#$/-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}$/

/** Cleans an email cell (spaces, `<...>`, `mailto:`, case) and says whether Constant Contact would accept it. */
export function checkEmail(raw: string): EmailCheck {
  let value = trimCell(raw)
  if (value === '') return { kind: 'empty' }
  if (value.charCodeAt(0) === 60 /* < */ && value.charCodeAt(value.length - 1) === 62 /* > */) {
    value = trimCell(value.slice(1, -1))
  }
  if (value.length >= 7 && value.slice(0, 7).toLowerCase() === 'mailto:') value = trimCell(value.slice(7))
  const address = value.toLowerCase()
  if (address === '') return { kind: 'invalid', normalized: address, why: 'there is no address in it' }
  if (
    address.length <= MAX_EMAIL_LENGTH &&
    PLAIN_ADDRESS.test(address) &&
    !address.includes('..') &&
    !startsOrEndsWithDot(address)
  ) {
    return { kind: 'valid', address, long: address.length > DOCUMENTED_EMAIL_LENGTH }
  }
  const why = whyInvalid(address)
  if (why) return { kind: 'invalid', normalized: address, why }
  return { kind: 'valid', address, long: address.length > DOCUMENTED_EMAIL_LENGTH }
}

/**
 * The normalised address when `raw` is certainly a plain address that {@link checkEmail} accepts
 * (ASCII only, nothing to trim or unwrap), else null — then {@link checkEmail} decides. A quick
 * scan with no regular expression and, for a lower-case address, no new string; it accepts exactly
 * what PLAIN_ADDRESS accepts without a misplaced dot, so it never disagrees with checkEmail.
 */
export function plainAddress(raw: string): string | null {
  const kind = plainAddressKind(raw, 0, raw.length)
  return kind === NOT_PLAIN ? null : kind === PLAIN_UPPER ? raw.toLowerCase() : raw
}

/** What {@link plainAddressKind} says. */
export const NOT_PLAIN = -1
export const PLAIN_LOWER = 0
/** Plain, with upper-case letters: the address is the text lower-cased. */
export const PLAIN_UPPER = 1

/** Where {@link plainAddressKind} writes the address it reads: one byte per character from `at`, and its hash. */
export interface AddressBytesOut {
  bytes: Uint8Array
  at: number
  /** The address's hash (see address-hash.ts), set when the answer is not NOT_PLAIN. */
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
  if (length === 0 || length > MAX_EMAIL_LENGTH) return NOT_PLAIN
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

/** Characters PLAIN_ADDRESS allows before the @ (as lower case), other than the dot. */
const LOCAL_CHARS = (() => {
  const table = new Uint8Array(128)
  for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_%+'&*=?^`{|}~!#$/-")
    table[c.charCodeAt(0)] = 1
  return table
})()

function startsOrEndsWithDot(address: string): boolean {
  const at = address.indexOf('@')
  return address.charCodeAt(0) === 46 || address.charCodeAt(at - 1) === 46
}

/** The reason an address is refused, in plain words, or null when it is acceptable. */
function whyInvalid(address: string): string | null {
  if (ANY_SPACE.test(address)) return 'it contains a space'
  if (CONTROL.test(address)) return 'it contains an invisible control character'
  if (address.length > MAX_EMAIL_LENGTH)
    return `it is ${address.length} characters long; Constant Contact accepts at most ${MAX_EMAIL_LENGTH}`
  const at = address.indexOf('@')
  if (at === -1) return 'it has no @'
  if (address.indexOf('@', at + 1) !== -1) return 'it has more than one @'
  const local = address.slice(0, at)
  const domain = address.slice(at + 1)
  if (local === '') return 'there is nothing before the @'
  if (domain === '') return 'there is nothing after the @'
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..'))
    return 'the part before the @ has a misplaced dot'
  const forbidden = LOCAL_FORBIDDEN.exec(local)
  if (forbidden) return `the part before the @ contains "${forbidden[0]}", which is not allowed`
  if (!domain.includes('.')) return `the part after the @ has no dot (like example.com)`
  const labels = domain.split('.')
  const top = labels[labels.length - 1] ?? ''
  if (labels.some((label) => label === '')) return 'the part after the @ has a misplaced dot'
  if (!labels.every((label) => DOMAIN_LABEL.test(label)))
    return 'the part after the @ contains characters a domain cannot have'
  if (!TOP_LEVEL.test(top)) return `it ends in ".${top}"; the ending after the last dot must be at least two letters`
  return null
}
