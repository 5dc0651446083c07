import { randomUUID } from 'node:crypto'
import type { Clock } from './clock'
import type { ActivityKind, ActivityRecord, ContactRecord, ImportItem } from './records'
import type { SimStore } from './store'
import { EMAIL_PATTERN } from './http-util'
import { CC_LIMITS } from '../constant-contact/limits'
import { newContactId } from './contact-ids'

/**
 * How fast bulk activities (and sends) run. Presets, or your own numbers:
 * - `instant`: as fast as this computer goes — an import of up to 3,000 contacts is done by the
 *   next request, a bigger one a moment later (benchmarks);
 * - `fast`: a fraction of a second, with `percent_done` visibly rising (tests);
 * - `realistic`: a few seconds to start, then about 1,000 contacts a second (practice);
 * - `slow`: ten seconds to start, 100 contacts a second (watching the progress screen).
 */
export type SpeedSetting = 'instant' | 'fast' | 'realistic' | 'slow' | SpeedProfile

export interface SpeedProfile {
  /** Time an activity stays `initialized`. */
  startDelayMs: number
  itemsPerSecond: number
  /** Shortest time an activity spends `processing`, however small. */
  minDurationMs: number
  /** Time a campaign send stays EXECUTING. */
  sendDurationMs: number
}

export const SPEEDS: Record<Exclude<SpeedSetting, SpeedProfile>, SpeedProfile> = {
  instant: { startDelayMs: 0, itemsPerSecond: Infinity, minDurationMs: 0, sendDurationMs: 0 },
  fast: { startDelayMs: 100, itemsPerSecond: 50_000, minDurationMs: 400, sendDurationMs: 300 },
  realistic: { startDelayMs: 3_000, itemsPerSecond: 1_000, minDurationMs: 4_000, sendDurationMs: 5_000 },
  slow: { startDelayMs: 10_000, itemsPerSecond: 100, minDurationMs: 20_000, sendDurationMs: 20_000 },
}

export function resolveSpeed(speed: SpeedSetting | undefined): SpeedProfile {
  if (speed === undefined) return SPEEDS.realistic
  return typeof speed === 'string' ? SPEEDS[speed] : speed
}

export interface PlannedFailure {
  state: 'failed' | 'timed_out'
  /** How far it gets before failing (0–100). */
  atPercent: number
  errors: string[]
}

const RETENTION_MS = CC_LIMITS.activityRetentionDays * 24 * 3600_000
const MAX_ERROR_LINES = 100

export class ActivityEngine {
  private readonly plannedFailures: PlannedFailure[] = []
  private isoMs = NaN
  private isoText = ''
  private newContactLists: { activity: ActivityRecord; lists: string[] } | undefined
  /**
   * Strict mode: an import's `items_total_count` counts a header row too (the description says
   * "rows, including the header row"; how a JSON import counts is not documented).
   */
  countsHeaderRow = false

  constructor(
    private readonly store: SimStore,
    private readonly clock: Clock,
    public speed: SpeedProfile,
  ) {}

  /** The next `count` activities created will end `failed` or `timed_out` part-way. */
  planFailures(failure: PlannedFailure, count = 1): void {
    for (let i = 0; i < count; i++) this.plannedFailures.push(failure)
  }

  /** Activities received but not finished: what the 1,000-queued limit counts. */
  queuedCount(): number {
    let n = 0
    for (const a of this.store.activities.values()) if (a.state === 'initialized' || a.state === 'processing') n++
    return n
  }

  create(
    kind: ActivityKind,
    items: Array<ImportItem | string>,
    listIds: string[],
    sourceFileName?: string,
    counts?: Record<string, number>,
  ): ActivityRecord {
    const now = this.clock.now()
    const total = items.length
    const rateMs = Number.isFinite(this.speed.itemsPerSecond) ? (total / this.speed.itemsPerSecond) * 1000 : 0
    const failure = this.plannedFailures.shift()
    const isImport = kind === 'json_import' || kind === 'file_import'
    const activity: ActivityRecord = {
      activity_id: randomUUID(),
      kind,
      state: 'initialized',
      created_at: iso(now),
      updated_at: iso(now),
      ...(sourceFileName ? { source_file_name: sourceFileName } : {}),
      start_ms: now + this.speed.startDelayMs,
      duration_ms: Math.max(this.speed.minDurationMs, Math.ceil(rateMs)),
      list_ids: listIds,
      items,
      applied: 0,
      total,
      ...(failure
        ? {
            fail: {
              state: failure.state,
              at_item: Math.floor((total * failure.atPercent) / 100),
              errors: failure.errors,
            },
          }
        : {}),
      counts:
        counts ??
        (isImport
          ? {
              items_total_count: total + (this.countsHeaderRow ? 1 : 0),
              person_count: 0,
              error_count: 0,
              correctable_count: 0,
              cannot_add_to_list_count: 0,
            }
          : kind === 'contact_export'
            ? { items_total_count: total, items_completed_count: 0 }
            : { items_total_count: total, items_completed_count: 0, list_count: listIds.length }),
      activity_errors: [],
    }
    this.store.addActivity(activity)
    this.store.changed()
    return activity
  }

  /**
   * Brings every unfinished activity up to the current time, and forgets those older than 10 days.
   * `maxItems` bounds the contacts applied in this call (the server works through big imports in
   * small slices between requests, so it keeps answering); true when due work is left over.
   */
  advance(maxItems = Infinity): boolean {
    const now = this.clock.now()
    const expired = new Set<string>()
    let budget = maxItems
    let leftOver = false
    let changed = false
    for (const a of this.store.activities.values()) {
      if (now - Date.parse(a.created_at) > RETENTION_MS) {
        expired.add(a.activity_id)
        continue
      }
      if (a.state !== 'initialized' && a.state !== 'processing') continue
      if (now < a.start_ms) continue
      if (a.state === 'initialized') {
        a.state = 'processing'
        a.started_at = iso(a.start_ms)
        changed = true
      }
      const elapsed = now - a.start_ms
      const due = a.duration_ms === 0 ? a.total : Math.min(a.total, Math.floor((elapsed / a.duration_ms) * a.total))
      const stopAt = a.fail ? Math.min(due, a.fail.at_item) : due
      const applyUntil = Math.min(stopAt, a.applied + budget)
      if (applyUntil > a.applied) {
        for (let i = a.applied; i < applyUntil; i++) this.applyItem(a, i)
        budget -= applyUntil - a.applied
        a.applied = applyUntil
        this.countCompleted(a)
        a.updated_at = iso(now)
        changed = true
      }
      if (a.applied < stopAt) {
        // Out of budget for this call: the rest (and the end of the activity) waits for the next.
        a.lagged = true
        leftOver = true
        continue
      }
      const failDue = a.fail && elapsed >= (a.total === 0 ? 0 : (a.duration_ms * a.fail.at_item) / a.total)
      if (a.fail && failDue) {
        a.state = a.fail.state
        a.activity_errors.push(...a.fail.errors)
        this.finish(a, now)
        changed = true
      } else if (a.applied >= a.total && elapsed >= a.duration_ms) {
        a.state = 'completed'
        this.countCompleted(a)
        this.finish(a, now)
        changed = true
      }
    }
    if (expired.size) {
      this.store.removeActivities(expired)
      changed = true
    }
    if (changed) this.store.changed()
    return leftOver
  }

  /** `items_completed_count` (membership and export activities) in proportion to the work done: the total may count contacts that needed no work. */
  private countCompleted(a: ActivityRecord): void {
    if (!('items_completed_count' in a.counts)) return
    const total = a.counts.items_total_count ?? a.total
    a.counts.items_completed_count =
      a.state === 'completed' || a.total === 0 ? total : Math.floor((a.applied * total) / a.total)
  }

  percentDone(a: ActivityRecord): number {
    if (a.state === 'completed') return 100
    if (a.total === 0) return 0
    return Math.floor((a.applied / a.total) * 100)
  }

  private finish(a: ActivityRecord, now: number): void {
    // On schedule (however late someone asks), it ended when its time was up; behind schedule, now.
    a.completed_at = iso(a.lagged ? now : Math.min(now, a.start_ms + a.duration_ms))
    a.updated_at = iso(now)
    a.items = [] // the payload is not kept once the work is done
  }

  private applyItem(a: ActivityRecord, index: number): void {
    const item = a.items[index]
    if (a.kind === 'json_import' || a.kind === 'file_import')
      return this.importContact(a, (item ?? {}) as ImportItem, index)
    if (a.kind === 'contact_export') return // its file is written when it is asked for (see export-file.ts)
    const contact = this.store.contacts.get(item as string)
    if (!contact) return
    if (a.kind === 'add_list_memberships') {
      if (contact.permission_to_send === 'unsubscribed') return
      const merged = new Set([...contact.lists, ...a.list_ids])
      if (merged.size > CC_LIMITS.listsPerContact)
        return this.note(a, `${contact.address}: would be on more than ${CC_LIMITS.listsPerContact} lists; not added.`)
      contact.lists = [...merged]
    } else {
      contact.lists = contact.lists.filter((id) => !a.list_ids.includes(id))
    }
    contact.updated_at = iso(this.clock.now())
    this.store.contactChanged(contact)
  }

  private note(a: ActivityRecord, message: string): void {
    if (a.activity_errors.length < MAX_ERROR_LINES) a.activity_errors.push(message)
  }

  /** This moment as an ISO string; computed once per millisecond (imports stamp thousands of contacts in one). */
  private nowIso(): string {
    const ms = this.clock.now()
    if (ms !== this.isoMs) {
      this.isoMs = ms
      this.isoText = iso(ms)
    }
    return this.isoText
  }

  /** The lists of a contact an import creates: the same frozen array for all of them. */
  private listsOfNewContacts(a: ActivityRecord): string[] {
    if (this.newContactLists?.activity !== a)
      this.newContactLists = { activity: a, lists: Object.freeze(mergeLists([], a.list_ids)) as string[] }
    return this.newContactLists.lists
  }

  private correctable(a: ActivityRecord, line: number, why: string): void {
    a.counts.error_count!++
    a.counts.correctable_count!++
    this.note(a, `Contact ${line}: ${why}`)
  }

  /** Upserts one imported contact by email, the way contacts_json_import / contacts_file_import do. */
  private importContact(a: ActivityRecord, item: ImportItem, index: number): void {
    const line = index + 1
    const email = typeof item.email === 'string' ? item.email.trim() : ''
    if (!email) return this.correctable(a, line, 'no email address (not enough contact information).')
    if (email.length > 80 || !EMAIL_PATTERN.test(email))
      return this.correctable(a, line, `"${email}" is not a valid email address.`)
    const birthdayMonth = toInt(item.birthday_month)
    const birthdayDay = toInt(item.birthday_day)
    if (birthdayMonth !== undefined || birthdayDay !== undefined) {
      const notWhole = (v: number | undefined): boolean => v !== undefined && !Number.isInteger(v)
      if (
        (birthdayMonth === undefined) !== (birthdayDay === undefined) ||
        notWhole(birthdayMonth) ||
        notWhole(birthdayDay) ||
        (birthdayMonth !== undefined &&
          (birthdayMonth < 1 || birthdayMonth > 12 || birthdayDay! < 1 || birthdayDay! > 31))
      ) {
        return this.correctable(a, line, 'the birthday needs a month (1–12) and a day (1–31).')
      }
    }
    if (item.anniversary !== undefined && !ANNIVERSARY.test(String(item.anniversary)))
      return this.correctable(a, line, 'the anniversary is not a date in a supported format.')

    const now = this.nowIso()
    const key = email.toLowerCase()
    let contact = this.store.contactsByEmail.get(key)
    if (contact?.permission_to_send === 'unsubscribed') {
      // Previously unsubscribed people stay off every list.
      a.counts.cannot_add_to_list_count!++
      return
    }
    let lists: string[]
    if (contact) {
      lists = mergeLists(contact.lists, a.list_ids)
      if (lists.length > CC_LIMITS.listsPerContact) {
        a.counts.error_count!++
        return this.note(a, `Contact ${line}: ${email} would be on more than ${CC_LIMITS.listsPerContact} lists.`)
      }
    } else {
      lists = this.listsOfNewContacts(a)
      contact = {
        contact_id: newContactId(),
        address: email,
        permission_to_send: 'implicit',
        opt_in_source: 'Account',
        opt_in_date: now,
        // Shared and frozen until the contact gets its own (every change replaces them): a big
        // import then costs far fewer objects, and so far less garbage collection.
        phones: NO_PHONES,
        addresses: NO_ADDRESSES,
        custom_fields: NO_CUSTOM_FIELDS,
        lists,
        created_at: now,
        updated_at: now,
      }
      this.store.addContact(contact, key)
    }
    this.applyFields(a, contact, item, line, birthdayMonth, birthdayDay)
    contact.lists = lists
    contact.updated_at = now
    this.store.contactChanged(contact)
    a.counts.person_count!++
  }

  private applyFields(
    a: ActivityRecord,
    contact: ContactRecord,
    item: ImportItem,
    line: number,
    month: number | undefined,
    day: number | undefined,
  ): void {
    for (const field of NAME_FIELDS) {
      const value = item[field]
      if (typeof value === 'string' && value) contact[field] = value.slice(0, 50)
    }
    if (month !== undefined && day !== undefined) {
      contact.birthday_month = month
      contact.birthday_day = day
    }
    for (const [key, kind] of PHONE_FIELDS) {
      const value = item[key]
      if (typeof value !== 'string' || !value) continue
      contact.phones = replaceKind(contact.phones, { kind, phone_number: value.slice(0, 25) })
    }
    for (const keys of ADDRESS_KEYS) {
      const street1 = text(item[keys.street])
      const street2 = text(item[keys.street2])
      const street = street1 && street2 ? `${street1} ${street2}` : (street1 ?? street2)
      const city = text(item[keys.city])
      const state = text(item[keys.state])
      const postalCode = text(item[keys.zip])
      const country = text(item[keys.country] ?? (keys.countryAlias ? item[keys.countryAlias] : undefined))
      if (!street && !city && !state && !postalCode && !country) continue
      // Same keys in the same order as the service's own address object.
      const address: ContactRecord['addresses'][number] = { kind: keys.kind }
      if (street) address.street = street
      if (city) address.city = city
      if (state) address.state = state
      if (postalCode) address.postal_code = postalCode
      if (country) address.country = country
      contact.addresses = replaceKind(contact.addresses, address)
    }
    for (const key of Object.keys(item)) {
      if (!key.startsWith('cf:')) continue
      const value = item[key]
      const field = this.store.data.custom_fields.find((f) => f.name === key.slice(3))
      if (!field) {
        this.note(a, `Contact ${line}: custom field "${key.slice(3)}" does not exist; its value was ignored.`)
        continue
      }
      if (
        Object.keys(contact.custom_fields).length >= CC_LIMITS.customFieldsPerContact &&
        !(field.custom_field_id in contact.custom_fields)
      )
        continue
      contact.custom_fields = { ...contact.custom_fields, [field.custom_field_id]: String(value).slice(0, 255) }
    }
  }

  /** `resultsLink`: how a finished export's file is linked (see SimQuirks.exportResultsLink). */
  toApi(a: ActivityRecord, resultsLink: 'path' | 'spec_example' = 'path'): Record<string, unknown> {
    const results =
      a.kind === 'contact_export' && a.state === 'completed'
        ? {
            results: {
              href: `/v3/${resultsLink === 'path' ? 'contact_exports' : 'contacts_exports'}/${a.activity_id}`,
            },
          }
        : {}
    return {
      activity_id: a.activity_id,
      state: a.state,
      created_at: a.created_at,
      updated_at: a.updated_at,
      ...(a.started_at ? { started_at: a.started_at } : {}),
      ...(a.completed_at ? { completed_at: a.completed_at } : {}),
      ...(a.source_file_name ? { source_file_name: a.source_file_name } : {}),
      percent_done: this.percentDone(a),
      activity_errors: [...a.activity_errors],
      status: { ...a.counts },
      _links: { self: { href: `/v3/activities/${a.activity_id}` }, ...results },
    }
  }
}

const NO_PHONES = Object.freeze([]) as unknown as ContactRecord['phones']
const NO_ADDRESSES = Object.freeze([]) as unknown as ContactRecord['addresses']
const NO_CUSTOM_FIELDS = Object.freeze({}) as ContactRecord['custom_fields']

const PHONE_FIELDS: Array<[string, string]> = [
  ['phone', 'other'],
  ['home_phone', 'home'],
  ['work_phone', 'work'],
  ['mobile_phone', 'mobile'],
  ['other_phone', 'other'],
]
const ADDRESS_PREFIXES: Array<[string, string]> = [
  ['', 'home'],
  ['home_', 'home'],
  ['work_', 'work'],
  ['other_', 'other'],
]
/** The import keys of each address, spelled out once. */
const ADDRESS_KEYS = ADDRESS_PREFIXES.map(([prefix, kind]) => ({
  kind,
  street: `${prefix}street`,
  street2: `${prefix}street2`,
  city: `${prefix}city`,
  state: `${prefix}state`,
  zip: `${prefix}zip`,
  country: `${prefix}country`,
  countryAlias: prefix === 'home_' ? 'home country' : undefined,
}))
const NAME_FIELDS = ['first_name', 'last_name', 'job_title', 'company_name', 'anniversary'] as const

/** A string that isn't empty, or undefined. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined
}

/** `entries` without those of `entry`'s kind, then `entry`, keeping the last 3 (as `[...filter, entry].slice(-3)`). */
function replaceKind<T extends { kind: string }>(entries: readonly T[], entry: T): T[] {
  // Usually the first of its kind: an exact one-element array (push would reserve 17 slots, held
  // by every stored contact).
  if (entries.length === 0) return [entry]
  const kept: T[] = []
  for (const e of entries) if (e.kind !== entry.kind) kept.push(e)
  kept.push(entry)
  return kept.slice(-3)
}

/** The contact's lists with `add` appended, each once, in order (as `[...new Set([...lists, ...add])]`). */
function mergeLists(lists: readonly string[], add: readonly string[]): string[] {
  if (lists.length + add.length > 16) return [...new Set([...lists, ...add])]
  const merged: string[] = []
  for (const id of lists) if (!merged.includes(id)) merged.push(id)
  for (const id of add) if (!merged.includes(id)) merged.push(id)
  return merged
}
// MM/DD/YYYY, M/D/YYYY, YYYY/MM/DD, YYYY/M/D, YYYY-MM-DD, YYYY-M-D, M-D-YYYY, M-DD-YYYY
const ANNIVERSARY = /^(?:\d{1,2}\/\d{1,2}\/\d{4}|\d{4}\/\d{1,2}\/\d{1,2}|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}-\d{1,2}-\d{4})$/

function toInt(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const n = Number(value)
  return Number.isInteger(n) ? n : NaN
}

export function iso(ms: number): string {
  return new Date(ms).toISOString()
}
