/**
 * Email addresses as Constant Contact accepts them. The rules are the issue's: one `@`, a non-empty
 * local part, a domain with a dot and a top-level part of at least two letters, no spaces, at most
 * 80 characters. A few more shapes that can never be delivered (two dots in a row, a comma, an
 * empty domain label) are refused too, each with its own plain explanation.
 */

/**
 * Longest address a Constant Contact contact can have. (A bulk import takes at most 50: a longer
 * valid address is a problem of its own, `email_too_long`, decided by the classifier.)
 */
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
  { kind: 'empty' } | { kind: 'invalid'; normalized: string; why: string } | { kind: 'valid'; address: string }

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const LOCAL_FORBIDDEN = /[(),:;<>[\]\\"]/
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u
const TOP_LEVEL = /^(?:\p{L}{2,}|xn--[a-z0-9-]+)$/u
// The common shape, checked first so the usual address costs one regex test (the full pass reads
// it without a regular expression first: electron/services/prepare/plain-address.ts).
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
    return { kind: 'valid', address }
  }
  const why = whyInvalid(address)
  if (why) return { kind: 'invalid', normalized: address, why }
  return { kind: 'valid', address }
}

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
