import type { ApiContext, ApiRoute } from './api-context'
import {
  badRequest,
  notFound,
  pageLinks,
  pageQuery,
  parseJsonBody,
  readLimit,
  SimHttpError,
  SimHttpErrors,
} from './http-util'
import { importFieldLimit, isLongerThan } from '../../../shared/prepare/field-limits'
import { acceptedCsvImportItems, acceptedJsonImportItems } from './import-limits'
import { readFormData } from './multipart'
import { CC_LIMITS } from '../constant-contact/limits'
import { createHash } from 'node:crypto'
import type { ActivityRecord, ImportItem } from './records'

/** Bulk activities: imports, list memberships, and their status. */
export const activityRoutes: ApiRoute[] = [
  { method: 'GET', path: '/activities', scope: 'contact_data', privilege: 'contacts:write', handler: getActivities },
  {
    method: 'GET',
    path: '/activities/{activity_id}',
    scope: 'contact_data',
    privilege: 'contacts:write',
    handler: getActivity,
  },
  {
    method: 'POST',
    path: '/activities/contacts_json_import',
    scope: 'contact_data',
    privilege: 'contacts:write',
    handler: jsonImport,
  },
  {
    method: 'POST',
    path: '/activities/contacts_file_import',
    scope: 'contact_data',
    privilege: 'contacts:write',
    handler: fileImport,
  },
  {
    method: 'POST',
    path: '/activities/add_list_memberships',
    scope: 'contact_data',
    privilege: 'contacts:write',
    handler: (ctx) => membership(ctx, 'add_list_memberships'),
  },
  {
    method: 'POST',
    path: '/activities/remove_list_memberships',
    scope: 'contact_data',
    privilege: 'contacts:write',
    handler: removeMemberships,
  },
]

const ACTIVITY_STATES = new Set(['processing', 'completed', 'cancelled', 'failed', 'timed_out'])

function getActivities(ctx: ApiContext) {
  const { query, offset } = pageQuery(ctx.url)
  const limit = readLimit(query, 50, 500)
  const state = query.get('state')
  if (state !== null && !ACTIVITY_STATES.has(state))
    throw badRequest(
      'state must be processing, completed, cancelled, failed or timed_out.',
      'activities.api.validation.state',
    )
  const all = [...ctx.store.activities.values()].filter((a) => state === null || a.state === state)
  // The order is not documented: newest first normally; in strict mode an order of no meaning
  // (stable across pages), so a client can't come to depend on one.
  const matching = ctx.settings.strictActivities ? arbitraryOrder(all) : all.reverse()
  const links = ctx.settings.quirks.exportResultsLink
  return {
    status: 200,
    body: {
      activities: matching.slice(offset, offset + limit).map((a) => ctx.engine.toApi(a, links)),
      _links: pageLinks('/activities', query, offset, limit, matching.length),
    },
  }
}

/** A fixed order unrelated to time: by a hash of each activity's ID. */
function arbitraryOrder(activities: ActivityRecord[]): ActivityRecord[] {
  const key = (a: ActivityRecord) => createHash('sha256').update(a.activity_id).digest('hex')
  return activities
    .map((a) => ({ a, k: key(a) }))
    .sort((x, y) => x.k.localeCompare(y.k))
    .map(({ a }) => a)
}

function getActivity(ctx: ApiContext) {
  const activity = ctx.store.activities.get(ctx.params.activity_id!)
  if (!activity) throw notFound('Resource not found for the activity_id provided.', 'activities.api.not_found')
  return { status: 200, body: ctx.engine.toApi(activity, ctx.settings.quirks.exportResultsLink) }
}

/** 429 while 1,000 activities are queued. Its body is not documented; this one follows the 429 style. */
function checkQueue(ctx: ApiContext): void {
  if (ctx.engine.queuedCount() >= ctx.settings.queuedActivities) {
    throw new SimHttpError(
      429,
      'too_many_requests',
      `Too many requests. You exceeded ${CC_LIMITS.queuedActivities.toLocaleString('en-US')} queued activities for this user account.`,
      true,
    )
  }
}

function readListIds(ctx: ApiContext, value: unknown, field: string, max = CC_LIMITS.listsPerImport): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string'))
    throw badRequest(`${field} must be a list of list IDs.`, 'activities.api.validation.list_ids')
  if (value.length > max)
    throw badRequest(`${field} can have at most ${max} list IDs.`, 'activities.api.validation.list_ids')
  for (const id of value as string[])
    if (!ctx.store.lists.has(id)) throw badRequest(`List ${id} does not exist.`, 'activities.api.validation.list_ids')
  return [...new Set(value as string[])]
}

function jsonImport(ctx: ApiContext) {
  if (!ctx.contentType.startsWith('application/json'))
    throw new SimHttpError(415, 'api.unsupported_media_type', 'Content-Type must be application/json.')
  checkQueue(ctx)
  const body = parseJsonBody(ctx.rawBody) as Record<string, unknown>
  if (!body || typeof body !== 'object' || !Array.isArray(body.import_data))
    throw badRequest('import_data is required.', 'activities.api.validation.import_data')
  const listIds = readListIds(ctx, body.list_ids, 'list_ids')
  refuseOverlongValues(body.import_data)
  // Exactly like the real service: past 40,000 contacts or 4 MB, the rest is dropped without a word.
  const items = acceptedJsonImportItems(ctx.rawBody, body.import_data).map((item) =>
    item && typeof item === 'object' ? (item as ImportItem) : {},
  )
  const activity = ctx.engine.create('json_import', items, listIds)
  return { status: 201, body: ctx.engine.toApi(activity) }
}

/** Refusals listed per request at most (a validation answer names the first few fields). */
const MAX_LENGTH_ERRORS = 100

/**
 * A value longer than its field's `maxLength` in JsonImportContact is a validation error of the
 * request: 400 with Constant Contact's error array, one item per value, naming the field. (Whether
 * the real importer refuses the request or only the contact is not documented; refusing the whole
 * request is the strict reading, and the client copes with either.)
 */
function refuseOverlongValues(importData: unknown[]): void {
  const errors: Array<{ error_key: string; error_message: string }> = []
  importData.forEach((item, index) => {
    if (!item || typeof item !== 'object' || errors.length >= MAX_LENGTH_ERRORS) return
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      const limit = importFieldLimit(key)
      if (limit === undefined || typeof value !== 'string' || !isLongerThan(value, limit)) continue
      errors.push({
        error_key: 'activities.api.validation.length',
        error_message: `import_data[${index}].${key} is longer than the ${limit} characters allowed.`,
      })
    }
  })
  if (errors.length) throw new SimHttpErrors(400, errors.slice(0, MAX_LENGTH_ERRORS))
}

async function fileImport(ctx: ApiContext) {
  if (!ctx.contentType.startsWith('multipart/form-data'))
    throw new SimHttpError(
      415,
      'api.unsupported_media_type',
      'This endpoint requires that Content-Type be unspecified.',
    )
  checkQueue(ctx)
  const form = await readFormData(ctx.rawBody, ctx.contentTypeHeader)
  const file = form.get('file')
  const listField = form.get('list_ids')
  if (file === null) throw badRequest('file is required.', 'activities.api.validation.file')
  if (typeof file === 'string' || !/\.csv$/i.test(file.name))
    throw new SimHttpError(415, 'api.unsupported_media_type', 'Wrong file format, upload file must be of type .csv')
  if (listField === null) throw badRequest('list_ids is required.', 'activities.api.validation.list_ids')
  const listText = typeof listField === 'string' ? listField : await listField.text()
  const listIds = readListIds(
    ctx,
    listText
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    'list_ids',
  )
  const { items, headers } = acceptedCsvImportItems(new Uint8Array(await file.arrayBuffer()))
  if (!headers.includes('email') && !headers.includes('sms_number'))
    throw badRequest('The file must have an email or sms_number column.', 'activities.api.validation.file')
  const activity = ctx.engine.create('file_import', items, listIds, file.name)
  return { status: 201, body: ctx.engine.toApi(activity) }
}

function membership(ctx: ApiContext, kind: 'add_list_memberships' | 'remove_list_memberships') {
  if (!ctx.contentType.startsWith('application/json'))
    throw new SimHttpError(415, 'api.unsupported_media_type', 'Content-Type must be application/json.')
  checkQueue(ctx)
  const body = parseJsonBody(ctx.rawBody) as Record<string, unknown>
  const targets = readListIds(ctx, body?.list_ids, 'list_ids')
  const source = body?.source as Record<string, unknown> | undefined
  if (!source || typeof source !== 'object') throw badRequest('source is required.', 'activities.api.validation.source')
  const given = Object.keys(source).filter((k) => source[k] !== undefined && source[k] !== false)
  if (given.length !== 1)
    throw badRequest(
      'source must name exactly one of contact_ids, list_ids or all_active_contacts.',
      'activities.api.validation.source',
    )
  let contactIds: string[]
  if (Array.isArray(source.contact_ids)) {
    if (source.contact_ids.length > CC_LIMITS.contactIdsPerMembershipActivity)
      throw badRequest(`source.contact_ids can have at most ${CC_LIMITS.contactIdsPerMembershipActivity} IDs.`)
    contactIds = (source.contact_ids as unknown[]).filter(
      (id): id is string => typeof id === 'string' && ctx.store.contacts.has(id),
    )
  } else if (Array.isArray(source.list_ids)) {
    const from = readListIds(ctx, source.list_ids, 'source.list_ids')
    contactIds = [...ctx.store.contacts.values()]
      .filter((c) => c.lists.some((id) => from.includes(id)))
      .map((c) => c.contact_id)
  } else if (source.all_active_contacts === true) {
    contactIds = [...ctx.store.contacts.values()]
      .filter((c) => c.permission_to_send !== 'unsubscribed')
      .map((c) => c.contact_id)
  } else {
    throw badRequest(
      `The local Constant Contact supports contact_ids, list_ids and all_active_contacts as a source, not ${given[0]}.`,
      'activities.api.validation.source',
    )
  }
  const excluded = new Set(((body.exclude as { contact_ids?: unknown })?.contact_ids as string[] | undefined) ?? [])
  const activity = ctx.engine.create(
    kind,
    contactIds.filter((id) => !excluded.has(id)),
    targets,
  )
  return { status: 201, body: ctx.engine.toApi(activity) }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const REMOVE_SOURCES = new Set(['list_ids', 'contact_ids', 'all_active_contacts', 'engagement_level', 'tag_ids'])
const ENGAGEMENT_LEVELS = new Set(['unqualified', 'low', 'medium', 'high'])

/** A list of IDs in UUID form, 1 to `max` of them (the description's `maxItems: 0` is a known bug; its text says 50 or 500). */
export function readUuids(value: unknown, field: string, max: number): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string' || !UUID.test(v)))
    throw badRequest(`${field} must be a list of IDs.`, 'activities.api.validation.error')
  if (value.length > max) throw badRequest(`${field} can have at most ${max} IDs.`, 'activities.api.validation.error')
  return value as string[]
}

/** Lists that must exist: an unknown one is not found (the operation documents a 404). */
function existingLists(ctx: ApiContext, value: unknown, field: string): string[] {
  const ids = readUuids(value, field, CC_LIMITS.listsPerImport)
  for (const id of ids)
    if (!ctx.store.lists.has(id)) throw notFound(`List ${id} does not exist.`, 'activities.api.list.not_found')
  return [...new Set(ids)]
}

/**
 * `POST /activities/remove_list_memberships` as documented (ListActivityRemoveContacts): `list_ids`
 * (1–50 target lists) and a `source` naming exactly one of `list_ids` (≤ 50), `contact_ids` (≤ 500),
 * `all_active_contacts`, `engagement_level` or `tag_ids`; `exclude.contact_ids` only with the
 * `all_active_contacts` or `list_ids` source. Anything else is refused with a 400 before an activity
 * exists, so a client can't come to rely on a looser reading.
 */
/** A new bulk activity's JSON body, checked the way every activity request is (type, queue, an object). */
export function activityRequestBody(ctx: ApiContext): Record<string, unknown> {
  if (!ctx.contentType.startsWith('application/json'))
    throw new SimHttpError(415, 'api.unsupported_media_type', 'Content-Type must be application/json.')
  checkQueue(ctx)
  const body = parseJsonBody(ctx.rawBody)
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('The request body must be a JSON object.', 'activities.api.validation.error')
  return body as Record<string, unknown>
}

function removeMemberships(ctx: ApiContext) {
  const request = activityRequestBody(ctx)
  for (const key of Object.keys(request))
    if (!['list_ids', 'source', 'exclude'].includes(key))
      throw badRequest(`${key} is not a property of this request.`, 'activities.api.validation.error')
  if (request.list_ids === undefined) throw badRequest('list_ids is required.', 'activities.api.validation.list_ids')
  const targets = existingLists(ctx, request.list_ids, 'list_ids')
  const source = request.source as Record<string, unknown> | undefined
  if (!source || typeof source !== 'object' || Array.isArray(source))
    throw badRequest('source is required.', 'activities.api.validation.source')
  for (const key of Object.keys(source))
    if (!REMOVE_SOURCES.has(key))
      throw badRequest(`source.${key} is not a way to choose contacts.`, 'activities.api.validation.source')
  const given = Object.keys(source).filter((k) => source[k] !== undefined && source[k] !== false)
  if (given.length !== 1)
    throw badRequest(
      'source must name exactly one of list_ids, contact_ids, all_active_contacts, engagement_level or tag_ids.',
      'activities.api.validation.source',
    )
  const kind = given[0]!
  let exclude = new Set<string>()
  if (request.exclude !== undefined) {
    if (kind !== 'all_active_contacts' && kind !== 'list_ids')
      throw badRequest(
        'exclude can only be used with the all_active_contacts or list_ids source.',
        'activities.api.validation.exclude',
      )
    const value = request.exclude as { contact_ids?: unknown }
    if (!value || typeof value !== 'object' || Object.keys(value).some((k) => k !== 'contact_ids'))
      throw badRequest('exclude can only name contact_ids.', 'activities.api.validation.exclude')
    exclude = new Set(readUuids(value.contact_ids, 'exclude.contact_ids', Number.MAX_SAFE_INTEGER))
  }

  let contactIds: string[]
  let requested: number | undefined
  if (kind === 'contact_ids') {
    const ids = readUuids(source.contact_ids, 'source.contact_ids', CC_LIMITS.contactIdsPerMembershipActivity)
    requested = ids.length
    contactIds = ids.filter((id) => ctx.store.contacts.has(id))
  } else if (kind === 'list_ids') {
    const from = new Set(existingLists(ctx, source.list_ids, 'source.list_ids'))
    contactIds = ctx.store.data.contacts.filter((c) => c.lists.some((id) => from.has(id))).map((c) => c.contact_id)
  } else if (kind === 'all_active_contacts') {
    if (source.all_active_contacts !== true)
      throw badRequest('all_active_contacts must be true or false.', 'activities.api.validation.source')
    contactIds = ctx.store.data.contacts.filter((c) => c.permission_to_send !== 'unsubscribed').map((c) => c.contact_id)
  } else if (kind === 'engagement_level') {
    if (typeof source.engagement_level !== 'string' || !ENGAGEMENT_LEVELS.has(source.engagement_level))
      throw badRequest('engagement_level must be unqualified, low, medium or high.', 'activities.api.validation.source')
    // No engagement is simulated: every contact is "unqualified".
    contactIds = source.engagement_level === 'unqualified' ? ctx.store.data.contacts.map((c) => c.contact_id) : []
  } else {
    readUuids(source.tag_ids, 'source.tag_ids', CC_LIMITS.listsPerImport)
    throw notFound('The tag does not exist.', 'activities.api.tag.not_found') // no tags exist locally
  }
  contactIds = contactIds.filter((id) => !exclude.has(id))
  const members = contactIds.filter((id) => ctx.store.contacts.get(id)!.lists.some((l) => targets.includes(l)))
  // How many it reports is not documented: every contact it was given, or only the lists' members.
  const total = requested !== undefined && ctx.settings.quirks.removalCount === 'requested' ? requested : members.length
  const activity = ctx.engine.create('remove_list_memberships', members, targets, undefined, {
    items_total_count: total,
    items_completed_count: 0,
    list_count: targets.length,
  })
  return { status: 201, body: ctx.engine.toApi(activity) }
}
