import { randomUUID } from 'node:crypto'
import type { ApiContext, ApiRoute } from './api-context'
import { badRequest, notFound, pageLinks, pageQuery, parseJsonBody, readLimit, SimHttpError } from './http-util'
import { CONTACT_DETAILS } from './contact-table'
import type { ContactRecord, ListRecord } from './records'
import { iso } from './activities'
import { CC_LIMITS } from '../constant-contact/limits'

/** Account, contact lists, custom fields and contacts. */
export const contactRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/account/summary',
    scope: 'account_read',
    privilege: 'account:read',
    handler: getAccountSummary,
  },
  {
    method: 'GET',
    path: '/account/emails',
    scope: 'account_read',
    privilege: 'account:read',
    handler: getAccountEmails,
  },
  { method: 'GET', path: '/contact_lists', scope: 'contact_data', privilege: 'contacts:lists:read', handler: getLists },
  {
    method: 'POST',
    path: '/contact_lists',
    scope: 'contact_data',
    privilege: 'contacts:lists:write',
    handler: createList,
  },
  {
    method: 'GET',
    path: '/contact_lists/{list_id}',
    scope: 'contact_data',
    privilege: 'contacts:lists:read',
    handler: getList,
  },
  {
    method: 'GET',
    path: '/contact_custom_fields',
    scope: 'contact_data',
    privilege: 'contacts:read',
    handler: getCustomFields,
  },
  {
    method: 'POST',
    path: '/contact_custom_fields',
    scope: 'contact_data',
    privilege: 'contacts:write',
    handler: createCustomField,
  },
  { method: 'GET', path: '/contacts', scope: 'contact_data', privilege: 'contacts:read', handler: getContacts },
]

function getAccountSummary(ctx: ApiContext) {
  const { physical_address, ...summary } = ctx.store.data.account.summary
  const extra = (ctx.url.searchParams.get('extra_fields') ?? '').split(',').map((s) => s.trim())
  return { status: 200, body: extra.includes('physical_address') ? { ...summary, physical_address } : summary }
}

function getAccountEmails(ctx: ApiContext) {
  const q = ctx.url.searchParams
  const status = q.get('confirm_status')
  const role = q.get('role_code')
  const address = q.get('email_address')
  const expand = (code: string | null): string | undefined =>
    code
      ? ((
          { C: 'CONTACT', B: 'BILLING', J: 'JOURNALING', R: 'REPLY_TO', O: 'OTHER', U: 'UNCONFIRMED' } as Record<
            string,
            string
          >
        )[code] ?? code)
      : undefined
  const wantStatus = status === 'C' ? 'CONFIRMED' : expand(status)
  const wantRole = expand(role)
  const emails = ctx.store.data.account.emails.filter(
    (e) =>
      (!wantStatus || e.confirm_status === wantStatus) &&
      (!wantRole || e.roles.includes(wantRole)) &&
      (!address || e.email_address.toLowerCase() === address.toLowerCase()),
  )
  return { status: 200, body: emails }
}

function membershipCount(ctx: ApiContext, listId: string, mode: string): number {
  let n = 0
  for (const c of ctx.store.contacts.values()) {
    if (c.lists.includes(listId) && (mode === 'all' || c.permission_to_send !== 'unsubscribed')) n++
  }
  return n
}

function listToApi(ctx: ApiContext, list: ListRecord, membership: string | null): Record<string, unknown> {
  return {
    list_id: list.list_id,
    name: list.name,
    ...(list.description !== undefined ? { description: list.description } : {}),
    favorite: list.favorite,
    created_at: list.created_at,
    updated_at: list.updated_at,
    ...(membership ? { membership_count: membershipCount(ctx, list.list_id, membership) } : {}),
  }
}

function membershipMode(value: string | null): string | null {
  if (value === null || value === '') return null
  if (value !== 'all' && value !== 'active') throw badRequest('include_membership_count must be all or active.')
  return value
}

function getLists(ctx: ApiContext) {
  const { query, offset } = pageQuery(ctx.url)
  const limit = readLimit(query, 50, 1000)
  const name = query.get('name')
  const status = query.get('status') ?? 'active'
  const membership = membershipMode(query.get('include_membership_count'))
  // Deleting lists is not simulated, so every list is active.
  const matching = status === 'deleted' ? [] : ctx.store.data.lists.filter((l) => name === null || l.name === name)
  const pageItems = matching.slice(offset, offset + limit)
  return {
    status: 200,
    body: {
      lists: pageItems.map((l) => listToApi(ctx, l, membership)),
      ...(query.get('include_count') === 'true' ? { lists_count: matching.length } : {}),
      _links: pageLinks('/contact_lists', query, offset, limit, matching.length),
    },
  }
}

function getList(ctx: ApiContext) {
  const list = ctx.store.lists.get(ctx.params.list_id!)
  if (!list) throw notFound('Resource not found for the list_id provided.', 'contact_lists.api.not_found')
  return {
    status: 200,
    body: listToApi(ctx, list, membershipMode(ctx.url.searchParams.get('include_membership_count'))),
  }
}

function createList(ctx: ApiContext) {
  const body = parseJsonBody(ctx.rawBody) as Record<string, unknown>
  const name = typeof body?.name === 'string' ? body.name.trim() : ''
  if (!name) throw badRequest('name is required.', 'contact_lists.api.validation.required')
  if (name.length > 255) throw badRequest('name must be at most 255 characters.', 'contact_lists.api.validation.length')
  if (body.description !== undefined && (typeof body.description !== 'string' || body.description.length > 255))
    throw badRequest('description must be text of at most 255 characters.')
  if (ctx.store.data.lists.some((l) => l.name === name))
    throw new SimHttpError(409, 'contact_lists.api.conflict', `A list named "${name}" already exists.`)
  if (ctx.store.data.lists.length >= CC_LIMITS.listsPerAccount)
    throw badRequest(
      `An account can have at most ${CC_LIMITS.listsPerAccount} lists.`,
      'contact_lists.api.limit.exceeded',
    )
  const now = iso(ctx.clock.now())
  const list: ListRecord = {
    list_id: randomUUID(),
    name,
    ...(typeof body.description === 'string' ? { description: body.description } : {}),
    favorite: body.favorite === true,
    created_at: now,
    updated_at: now,
  }
  ctx.store.addList(list)
  ctx.store.changed()
  return { status: 201, body: listToApi(ctx, list, null) }
}

function customFieldToApi(f: {
  custom_field_id: string
  label: string
  name: string
  type: string
  created_at: string
  updated_at: string
}) {
  return {
    custom_field_id: f.custom_field_id,
    label: f.label,
    name: f.name,
    type: f.type,
    created_at: f.created_at,
    updated_at: f.updated_at,
  }
}

function getCustomFields(ctx: ApiContext) {
  const { query, offset } = pageQuery(ctx.url)
  const limit = readLimit(query, 50, 100)
  const all = ctx.store.data.custom_fields
  return {
    status: 200,
    body: {
      custom_fields: all.slice(offset, offset + limit).map(customFieldToApi),
      _links: pageLinks('/contact_custom_fields', query, offset, limit, all.length),
    },
  }
}

function createCustomField(ctx: ApiContext) {
  if (!ctx.contentType.startsWith('application/json'))
    throw new SimHttpError(415, 'api.unsupported_media_type', 'Content-Type must be application/json.')
  const body = parseJsonBody(ctx.rawBody) as Record<string, unknown>
  const label = typeof body?.label === 'string' ? body.label.trim() : ''
  const type = typeof body?.type === 'string' ? body.type.trim() : ''
  if (!label || label.length > 50)
    throw badRequest(
      'label is required and must be at most 50 characters.',
      'contact_custom_fields.api.validation.label',
    )
  if (!type || type.length > 20)
    throw badRequest('type is required and must be at most 20 characters.', 'contact_custom_fields.api.validation.type')
  const name = label.replace(/\s+/g, '_')
  if (ctx.store.data.custom_fields.some((f) => f.name.toLowerCase() === name.toLowerCase())) {
    throw new SimHttpError(409, 'contact_custom_fields.api.conflict', `A custom field named "${name}" already exists.`)
  }
  if (ctx.store.data.custom_fields.length >= CC_LIMITS.customFieldsPerAccount) {
    throw badRequest(
      `An account can have at most ${CC_LIMITS.customFieldsPerAccount} custom fields.`,
      'contact_custom_fields.api.limit.exceeded',
    )
  }
  const now = iso(ctx.clock.now())
  const field = { custom_field_id: randomUUID(), label, name, type, created_at: now, updated_at: now }
  ctx.store.data.custom_fields.push(field)
  ctx.store.changed()
  return { status: 201, body: customFieldToApi(field) }
}

const CONTACT_STATUSES = new Set([
  'all',
  'active',
  'deleted',
  'not_set',
  'pending_confirmation',
  'temp_hold',
  'unsubscribed',
])

function getContacts(ctx: ApiContext) {
  const { query, offset } = pageQuery(ctx.url)
  const limit = readLimit(query, 50, 500)
  const email = query.get('email')?.toLowerCase()
  const lists = (query.get('lists') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (lists.length > 25) throw badRequest('lists accepts at most 25 list IDs.', 'contacts.api.validation.lists')
  const statuses = (query.get('status') ?? 'all')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const s of statuses)
    if (!CONTACT_STATUSES.has(s)) throw badRequest(`status "${s}" is not valid.`, 'contacts.api.validation.status')
  const include = new Set(
    (query.get('include') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )

  const statusMatches = (c: ContactRecord): boolean =>
    statuses.some(
      (s) => s === 'all' || (s === 'active' ? c.permission_to_send !== 'unsubscribed' : c.permission_to_send === s),
    )
  let matching: ContactRecord[]
  if (email) {
    const found = ctx.store.contactsByEmail.get(email)
    matching = found ? [found] : []
  } else {
    matching = ctx.store.data.contacts
  }
  matching = matching.filter(
    (c) => statusMatches(c) && (lists.length === 0 || c.lists.some((id) => lists.includes(id))),
  )
  const page = matching.slice(offset, offset + limit)
  const fieldIds = new Map(ctx.store.data.custom_fields.map((f) => [f.custom_field_id, f]))
  return {
    status: 200,
    body: {
      contacts: page.map((c) => contactToApi(c, include, fieldIds)),
      ...(query.get('include_count') === 'true' ? { contacts_count: matching.length } : {}),
      _links: pageLinks('/contacts', query, offset, limit, matching.length),
    },
  }
}

function contactToApi(c: ContactRecord, include: Set<string>, fields: Map<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    contact_id: c.contact_id,
    email_address: {
      address: c.address,
      permission_to_send: c.permission_to_send,
      created_at: c.created_at,
      updated_at: c.updated_at,
      opt_in_source: c.opt_in_source,
      ...(c.opt_in_date ? { opt_in_date: c.opt_in_date } : {}),
      ...(c.opt_out_source ? { opt_out_source: c.opt_out_source } : {}),
      ...(c.opt_out_date ? { opt_out_date: c.opt_out_date } : {}),
      confirm_status: 'off',
    },
    create_source: 'Account',
    update_source: 'Account',
    created_at: c.created_at,
    updated_at: c.updated_at,
  }
  for (const key of CONTACT_DETAILS) {
    if (c[key] !== undefined) out[key] = c[key]
  }
  if (include.has('list_memberships')) out.list_memberships = [...c.lists]
  if (include.has('custom_fields')) {
    out.custom_fields = Object.entries(c.custom_fields)
      .filter(([id]) => fields.has(id))
      .map(([custom_field_id, value]) => ({ custom_field_id, value }))
  }
  if (include.has('phone_numbers'))
    out.phone_numbers = c.phones.map((p) => ({ kind: p.kind, phone_number: p.phone_number }))
  if (include.has('street_addresses')) out.street_addresses = c.addresses.map((a) => ({ ...a }))
  if (include.has('taggings')) out.taggings = []
  if (include.has('notes')) out.notes = []
  return out
}
