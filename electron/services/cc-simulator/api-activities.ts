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
import type { ActivityRecord, ImportItem } from './store'

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
    handler: (ctx) => membership(ctx, 'remove_list_memberships'),
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
  return {
    status: 200,
    body: {
      activities: matching.slice(offset, offset + limit).map((a) => ctx.engine.toApi(a)),
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
  return { status: 200, body: ctx.engine.toApi(activity) }
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
