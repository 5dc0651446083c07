import type { ApiContext, ApiRoute } from './api-context'
import { activityRequestBody, readUuids } from './api-activities'
import { badRequest, notFound } from './http-util'
import type { ContactRecord } from './records'
import type { SimStore } from './store'
import { CC_LIMITS } from '../constant-contact/limits'

/**
 * Contact exports (constant-contact-v3.md §3; the description's `ContactsExport` and
 * `GET /contact_exports/{file_export_id}`): an activity that picks contacts when it is received and,
 * once completed, a CSV file of them — one row per contact, a `contact_id` column and the fields
 * asked for (all of them when none are named).
 */
export const exportRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/activities/contact_exports',
    scope: 'contact_data',
    privilege: 'contacts:write',
    handler: createExport,
  },
  {
    method: 'GET',
    path: '/contact_exports/{file_export_id}',
    scope: 'contact_data',
    privilege: 'contacts:write',
    handler: exportFile,
  },
]

/** The fields the export guide documents, in its order, and how the local store fills each. */
const EXPORT_FIELDS: ReadonlyArray<readonly [string, (c: ContactRecord, store: SimStore) => string]> = [
  ['email_address', (c) => c.address],
  ['first_name', (c) => c.first_name ?? ''],
  ['last_name', (c) => c.last_name ?? ''],
  ['email_lists', (c, store) => c.lists.map((id) => store.lists.get(id)?.name ?? id).join(', ')],
  ['phone_number', (c) => c.phones[0]?.phone_number ?? ''],
  ['company_name', (c) => c.company_name ?? ''],
  ['job_title', (c) => c.job_title ?? ''],
  ['social_profiles', () => ''],
  ['website', () => ''],
  ['tag', () => ''],
  ['notes', () => ''],
  ['street', (c) => c.addresses[0]?.street ?? ''],
  ['city', (c) => c.addresses[0]?.city ?? ''],
  ['state', (c) => c.addresses[0]?.state ?? ''],
  ['zip', (c) => c.addresses[0]?.postal_code ?? ''],
  ['country', (c) => c.addresses[0]?.country ?? ''],
  ['anniversary', (c) => c.anniversary ?? ''],
  [
    'birthday',
    (c) => (c.birthday_month !== undefined && c.birthday_day ? `${c.birthday_month}/${c.birthday_day}` : ''),
  ],
  ['birthday_day', (c) => (c.birthday_day !== undefined ? String(c.birthday_day) : '')],
  ['birthday_month', (c) => (c.birthday_month !== undefined ? String(c.birthday_month) : '')],
  ['source_name', () => ''],
  ['created_at', (c) => c.created_at],
  ['updated_at', (c) => c.updated_at],
  ['email_optin', (c) => (c.permission_to_send === 'unsubscribed' ? 'No' : 'Yes')],
  ['email_permission', (c) => c.permission_to_send],
  ['email_optin_source', (c) => c.opt_in_source],
  ['email_optin_date', (c) => c.opt_in_date ?? ''],
  ['email_optout_source', (c) => c.opt_out_source ?? ''],
  ['email_optout_date', (c) => c.opt_out_date ?? ''],
  ['email_optout_reason', () => ''],
]
const FIELD_VALUE = new Map(EXPORT_FIELDS)
/** Fields the guide says need `email_address` in the same export. */
const NEEDS_EMAIL = new Set([
  'email_optin_source',
  'email_optin_date',
  'email_optout_source',
  'email_optout_date',
  'email_optout_reason',
])
const STATUSES = new Set(['active', 'unsubscribed', 'removed'])
const EXCLUDE_MAX = 50
const NEW_SUBSCRIBER_MS = 30 * 24 * 3600_000

/**
 * The selections the description allows together: each property's text says which others it may be
 * combined with ("mutually exclusive with all other filtering criteria except …"). `fields` is not a
 * filter and goes with anything.
 */
const MAY_COMBINE: Record<string, readonly string[]> = {
  contact_ids: ['status'],
  list_ids: ['status', 'exclude', 'new_subscriber'],
  tag_ids: [],
  new_subscriber: ['list_ids', 'exclude'],
  segment_id: [],
  status: ['contact_ids', 'list_ids'],
  exclude: ['list_ids', 'new_subscriber'],
}
const PROPERTIES = new Set([...Object.keys(MAY_COMBINE), 'fields'])

function createExport(ctx: ApiContext) {
  const request = activityRequestBody(ctx)
  for (const key of Object.keys(request))
    if (!PROPERTIES.has(key)) throw badRequest(`${key} is not a property of an export request.`)
  const filters = Object.keys(MAY_COMBINE).filter((k) => request[k] !== undefined && request[k] !== false)
  for (const a of filters)
    for (const b of filters)
      if (a !== b && !MAY_COMBINE[a]!.includes(b))
        throw badRequest(`${a} can't be combined with ${b}.`, 'activities.api.validation.mutually_exclusive')

  const fields = readFields(request.fields)
  let contacts = selectContacts(ctx, request)
  if (request.status !== undefined) {
    if (typeof request.status !== 'string' || !STATUSES.has(request.status))
      throw badRequest('status must be active, unsubscribed or removed.', 'activities.api.validation.status')
    contacts = contacts.filter((c) => matchesStatus(c, request.status as string))
  }
  if (request.new_subscriber === true) {
    const since = ctx.clock.now() - NEW_SUBSCRIBER_MS
    contacts = contacts.filter((c) => Date.parse(c.created_at) >= since)
  }
  const excluded = readExclude(request.exclude)
  if (excluded.size) contacts = contacts.filter((c) => !excluded.has(c.contact_id))
  const ids = contacts.map((c) => c.contact_id)
  const activity = ctx.engine.create('contact_export', ids, [])
  activity.export = { contact_ids: ids, fields }
  return { status: 201, body: ctx.engine.toApi(activity, ctx.settings.quirks.exportResultsLink) }
}

function readFields(value: unknown): string[] {
  if (value === undefined) return EXPORT_FIELDS.map(([name]) => name)
  if (!Array.isArray(value) || value.length === 0 || value.some((f) => typeof f !== 'string'))
    throw badRequest('fields must be a list of contact field names.', 'activities.api.validation.fields')
  const fields = [...new Set(value as string[])]
  for (const field of fields)
    if (!FIELD_VALUE.has(field))
      throw badRequest(`${field} is not a contact field that can be exported.`, 'activities.api.validation.fields')
  const needsEmail = fields.find((f) => NEEDS_EMAIL.has(f))
  if (needsEmail && !fields.includes('email_address'))
    throw badRequest(`Export email_address to export ${needsEmail}.`, 'activities.api.validation.fields')
  return fields
}

function selectContacts(ctx: ApiContext, request: Record<string, unknown>): ContactRecord[] {
  if (request.contact_ids !== undefined) {
    const ids = readUuids(request.contact_ids, 'contact_ids', CC_LIMITS.contactIdsPerMembershipActivity)
    return ids.map((id) => ctx.store.contacts.get(id)).filter((c): c is ContactRecord => c !== undefined)
  }
  if (request.list_ids !== undefined) {
    const lists = readUuids(request.list_ids, 'list_ids', CC_LIMITS.listsPerImport)
    for (const id of lists)
      if (!ctx.store.lists.has(id)) throw notFound(`List ${id} does not exist.`, 'activities.api.list.not_found')
    const wanted = new Set(lists)
    return ctx.store.data.contacts.filter((c) => c.lists.some((id) => wanted.has(id)))
  }
  // No tags or segments exist in the local Constant Contact, so any one named is not found.
  if (request.tag_ids !== undefined) {
    readUuids(request.tag_ids, 'tag_ids', 50)
    throw notFound('The tag does not exist.', 'activities.api.tag.not_found')
  }
  if (request.segment_id !== undefined) {
    if (!Number.isInteger(request.segment_id))
      throw badRequest('segment_id must be a whole number.', 'activities.api.validation.error')
    throw notFound('The segment does not exist.', 'activities.api.segment.not_found')
  }
  if (request.new_subscriber !== undefined && typeof request.new_subscriber !== 'boolean')
    throw badRequest('new_subscriber must be true or false.', 'activities.api.validation.error')
  return ctx.store.data.contacts.slice()
}

function readExclude(value: unknown): Set<string> {
  if (value === undefined) return new Set()
  const exclude = value as { contact_ids?: unknown }
  if (!exclude || typeof exclude !== 'object' || Object.keys(exclude).some((k) => k !== 'contact_ids'))
    throw badRequest('exclude can only name contact_ids.', 'activities.api.validation.error')
  return new Set(readUuids(exclude.contact_ids, 'exclude.contact_ids', EXCLUDE_MAX))
}

function matchesStatus(contact: ContactRecord, status: string): boolean {
  if (status === 'unsubscribed') return contact.permission_to_send === 'unsubscribed'
  if (status === 'active') return contact.permission_to_send !== 'unsubscribed'
  return false // deleting contacts is not simulated: nobody is "removed"
}

function exportFile(ctx: ApiContext) {
  const activity = ctx.store.activities.get(ctx.params.file_export_id!)
  if (!activity?.export || activity.kind !== 'contact_export')
    throw notFound('No exported file has this ID.', 'activities.api.export.not_found')
  if (activity.state !== 'completed')
    throw notFound('The export has not finished, so its file does not exist yet.', 'activities.api.export.not_ready')
  return {
    status: 200,
    headers: { 'Content-Disposition': `attachment; filename="contacts-export-${activity.activity_id}.csv"` },
    stream: {
      contentType: 'text/csv; charset=utf-8',
      pieces: exportCsv(ctx.store, activity.export, ctx.settings.quirks.exportHeaders),
    },
  }
}

/** Pieces of about 64 KB: the file is produced as it is read, never held whole. */
function* exportCsv(
  store: SimStore,
  spec: { contact_ids: string[]; fields: string[] },
  headers: 'field_names' | 'labels',
): Generator<string> {
  const columns = ['contact_id', ...spec.fields]
  let piece = `${columns.map((c) => csvCell(headers === 'labels' ? label(c) : c)).join(',')}\r\n`
  const values = spec.fields.map((f) => FIELD_VALUE.get(f)!)
  for (const id of spec.contact_ids) {
    const contact = store.contacts.get(id)
    if (!contact) continue
    piece += csvCell(contact.contact_id)
    for (const value of values) piece += `,${csvCell(value(contact, store))}`
    piece += '\r\n'
    if (piece.length >= 65_536) {
      yield piece
      piece = ''
    }
  }
  yield piece
}

const LABELS: Record<string, string> = { contact_id: 'Contact ID', email_address: 'Email address', zip: 'ZIP code' }

/** A column's name as the product's own exports write it: "First name", "Email address". */
function label(field: string): string {
  const text = LABELS[field] ?? field.replaceAll('_', ' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}
