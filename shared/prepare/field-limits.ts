/**
 * How long a value of each field of a bulk import may be: the `maxLength` of every property of the
 * official description's `JsonImportContact` (constant-contact-v3.md §6). Prepare cuts longer values
 * (and leaves out rows whose address is longer than the email's limit), the upload checks them
 * again, and the local Constant Contact refuses an import holding one — the same table for all three.
 *
 * Lengths are counted in characters (code points), as JSON Schema's `maxLength` counts them.
 * Pure TypeScript (see shared/tsconfig.json).
 */

/** Names, job, company, phones, city, state, zip and country (and the email). */
const SHORT = 50
/** Street lines and custom-field values. */
const LONG = 255

const ADDRESS_PREFIXES = ['', 'home_', 'work_', 'other_'] as const

/** Every field of JsonImportContact with a documented length, by its import key. */
const IMPORT_FIELD_MAX_LENGTH: Readonly<Record<string, number>> = Object.freeze({
  email: SHORT,
  first_name: SHORT,
  last_name: SHORT,
  job_title: SHORT,
  company_name: SHORT,
  phone: SHORT,
  home_phone: SHORT,
  work_phone: SHORT,
  mobile_phone: SHORT,
  other_phone: SHORT,
  sms_number: 16,
  sms_consent_date: 16,
  // The spec spells the home country key "home country" (a typo kept in the description).
  'home country': SHORT,
  ...Object.fromEntries(
    ADDRESS_PREFIXES.flatMap((prefix) => [
      [`${prefix}street`, LONG],
      [`${prefix}street2`, LONG],
      [`${prefix}city`, SHORT],
      [`${prefix}state`, SHORT],
      [`${prefix}zip`, SHORT],
      [`${prefix}country`, SHORT],
    ]),
  ),
})

/** The longest address a bulk import takes (JsonImportContact.email's maxLength). */
export const IMPORT_EMAIL_MAX_LENGTH = SHORT

/** The most characters a value of this import key may have (`cf:<name>`: a custom field), if limited. */
export function importFieldLimit(key: string): number | undefined {
  if (key.startsWith('cf:')) return LONG
  return IMPORT_FIELD_MAX_LENGTH[key]
}

/** Where the character (code point) that starts at `i` ends: a high surrogate followed by a low one is one. */
function characterEnd(value: string, i: number): number {
  const code = value.charCodeAt(i)
  if (code >= 0xd800 && code <= 0xdbff && i + 1 < value.length) {
    const next = value.charCodeAt(i + 1)
    if (next >= 0xdc00 && next <= 0xdfff) return i + 2
  }
  return i + 1
}

/** Characters (code points) in `value`. */
export function characterCount(value: string): number {
  let count = 0
  for (let i = 0; i < value.length; i = characterEnd(value, i)) count++
  return count
}

/** Whether `value` has more than `limit` characters (quick when its UTF-16 length already fits). */
export function isLongerThan(value: string, limit: number): boolean {
  return value.length > limit && characterCount(value) > limit
}

/** The first `limit` characters of `value` (never half a surrogate pair). */
export function cutToLength(value: string, limit: number): string {
  if (!isLongerThan(value, limit)) return value
  let end = 0
  for (let count = 0; count < limit; count++) end = characterEnd(value, end)
  return value.slice(0, end)
}
