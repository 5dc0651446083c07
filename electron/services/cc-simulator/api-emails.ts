import { randomUUID } from 'node:crypto'
import type { ApiContext, ApiRoute } from './api-context'
import {
  badRequest,
  EMAIL_PATTERN,
  notFound,
  pageLinks,
  pageQuery,
  parseJsonBody,
  readLimit,
  SimHttpError,
} from './http-util'
import type { CampaignActivityRecord } from './records'
import type { SimStore } from './store'
import { iso } from './activities'
import { CC_LIMITS } from '../constant-contact/limits'

/** Email campaigns: reading them, setting their lists, scheduling, test sends and the send record. */
export const emailRoutes: ApiRoute[] = [
  { method: 'GET', path: '/emails', scope: 'campaign_data', privilege: 'campaign:read', handler: getCampaigns },
  { method: 'POST', path: '/emails', scope: 'campaign_data', privilege: 'campaign:write', handler: postCampaign },
  {
    method: 'GET',
    path: '/emails/{campaign_id}',
    scope: 'campaign_data',
    privilege: 'campaign:read',
    handler: getCampaign,
  },
  {
    method: 'GET',
    path: '/emails/activities/{campaign_activity_id}',
    scope: 'campaign_data',
    privilege: 'campaign:read',
    handler: getCampaignActivity,
  },
  {
    method: 'PUT',
    path: '/emails/activities/{campaign_activity_id}',
    scope: 'campaign_data',
    privilege: 'campaign:write',
    handler: putCampaignActivity,
  },
  {
    method: 'GET',
    path: '/emails/activities/{campaign_activity_id}/schedules',
    scope: 'campaign_data',
    privilege: 'campaign:read',
    handler: getSchedules,
  },
  {
    method: 'POST',
    path: '/emails/activities/{campaign_activity_id}/schedules',
    scope: 'campaign_data',
    privilege: 'campaign:send',
    handler: postSchedule,
  },
  {
    method: 'DELETE',
    path: '/emails/activities/{campaign_activity_id}/schedules',
    scope: 'campaign_data',
    privilege: 'campaign:send',
    handler: deleteSchedule,
  },
  {
    method: 'POST',
    path: '/emails/activities/{campaign_activity_id}/tests',
    scope: 'campaign_data',
    privilege: 'campaign:send',
    handler: postTest,
  },
  {
    method: 'GET',
    path: '/emails/activities/{campaign_activity_id}/send_history',
    scope: 'campaign_data',
    privilege: 'campaign:read',
    handler: getSendHistory,
  },
]

const CAMPAIGN_STATUS: Record<CampaignActivityRecord['current_status'], string> = {
  DRAFT: 'Draft',
  SCHEDULED: 'Scheduled',
  EXECUTING: 'Executing',
  DONE: 'Done',
  ERROR: 'Error',
  REMOVED: 'Removed',
}

function primaryOf(store: SimStore, campaignId: string): CampaignActivityRecord | undefined {
  const ref = store.campaigns.get(campaignId)?.activity_ids.find((a) => a.role === 'primary_email')
  return ref ? store.campaignActivities.get(ref.campaign_activity_id) : undefined
}

function campaignSummary(store: SimStore, campaignId: string) {
  const c = store.campaigns.get(campaignId)!
  return {
    campaign_id: c.campaign_id,
    name: c.name,
    current_status: CAMPAIGN_STATUS[primaryOf(store, campaignId)?.current_status ?? 'DRAFT'],
    type: c.type,
    type_code: c.type_code,
    created_at: c.created_at,
    updated_at: c.updated_at,
  }
}

function getCampaigns(ctx: ApiContext) {
  const { query, offset } = pageQuery(ctx.url)
  const limit = readLimit(query, 50, 500)
  const before = readDate(query.get('before_date'), 'before_date')
  const after = readDate(query.get('after_date'), 'after_date')
  const matching = [...ctx.store.campaigns.values()]
    .filter(
      (c) =>
        (before === undefined || Date.parse(c.updated_at) < before) &&
        (after === undefined || Date.parse(c.updated_at) > after),
    )
    .sort((a, b) => b.updated_at.localeCompare(a.updated_at))
  return {
    status: 200,
    body: {
      campaigns: matching.slice(offset, offset + limit).map((c) => campaignSummary(ctx.store, c.campaign_id)),
      _links: pageLinks('/emails', query, offset, limit, matching.length),
    },
  }
}

/** Field limits of POST /emails (EmailCampaignComplete, EmailCampaignActivityInput). */
const NEW_CAMPAIGN_LIMITS = {
  name: 80,
  from_name: 100,
  from_email: 80,
  reply_to_email: 80,
  preheader: 200,
  html_content: 150_000,
}
const TRACKING_IMAGE = '[[trackingImage]]'

/**
 * Creates a campaign the way POST /emails does: a unique name (≤ 80) and exactly one email
 * (format_type 4 or 5, the four header fields, HTML with its tracking image, confirmed senders);
 * Constant Contact makes its primary_email and permalink activities, as a draft. Answers 200 with
 * the campaign (the spec's status for this operation).
 */
function postCampaign(ctx: ApiContext) {
  if (!ctx.contentType.startsWith('application/json'))
    throw new SimHttpError(415, 'api.unsupported_media_type', 'Content-Type must be application/json.')
  const body = parseJsonBody(ctx.rawBody) as Record<string, unknown>
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('The request body must be an email campaign.')
  const name = body.name
  if (typeof name !== 'string' || !name.trim())
    throw badRequest('name is required.', 'campaign.api.validation.required')
  if (name.length > NEW_CAMPAIGN_LIMITS.name)
    throw badRequest(`name can be at most ${NEW_CAMPAIGN_LIMITS.name} characters.`, 'campaign.api.validation.length')
  const activities = body.email_campaign_activities
  if (!Array.isArray(activities) || activities.length !== 1 || !activities[0] || typeof activities[0] !== 'object')
    throw badRequest(
      'email_campaign_activities must hold exactly one email campaign activity.',
      'campaign.api.validation.email_campaign_activities',
    )
  const input = activities[0] as Record<string, unknown>
  if (input.format_type !== 4 && input.format_type !== 5)
    throw badRequest('format_type must be 4 or 5.', 'campaign.api.validation.format_type')
  for (const field of ['from_name', 'from_email', 'reply_to_email', 'subject', 'html_content'] as const) {
    if (typeof input[field] !== 'string' || !(input[field] as string).trim())
      throw badRequest(`${field} is required.`, 'campaign.api.validation.required')
  }
  for (const field of ['from_name', 'from_email', 'reply_to_email', 'preheader', 'html_content'] as const) {
    const value = input[field]
    if (value !== undefined && typeof value !== 'string') throw badRequest(`${field} must be text.`)
    if (typeof value === 'string' && value.length > NEW_CAMPAIGN_LIMITS[field])
      throw badRequest(
        `${field} can be at most ${NEW_CAMPAIGN_LIMITS[field].toLocaleString('en-US')} characters.`,
        'campaign.api.validation.length',
      )
  }
  const html = input.html_content as string
  if (input.format_type === 5 && !html.includes(TRACKING_IMAGE))
    throw badRequest(
      `html_content must include ${TRACKING_IMAGE} in its body.`,
      'campaign.api.validation.tracking_image',
    )
  const senders = confirmedSenders(ctx.store)
  for (const field of ['from_email', 'reply_to_email'] as const) {
    if (!senders.has((input[field] as string).toLowerCase()))
      throw badRequest(
        `${field} ${input[field] as string} is not a confirmed email address of this account.`,
        'campaign.api.validation.unconfirmed_email',
      )
  }
  const taken = [...ctx.store.campaigns.values()].some((c) => c.name.toLowerCase() === name.toLowerCase())
  if (taken) throw new SimHttpError(409, 'campaign.api.conflict', `An email campaign named "${name}" already exists.`)

  const at = iso(ctx.clock.now())
  const campaignId = randomUUID()
  const footer = input.physical_address_in_footer
  const common = {
    campaign_id: campaignId,
    current_status: 'DRAFT' as const,
    format_type: input.format_type as number,
    from_email: input.from_email as string,
    from_name: input.from_name as string,
    reply_to_email: input.reply_to_email as string,
    subject: input.subject as string,
    ...(typeof input.preheader === 'string' ? { preheader: input.preheader } : {}),
    html_content: html,
    contact_list_ids: [],
    segment_ids: [],
    ...(footer && typeof footer === 'object' ? { physical_address_in_footer: footer as Record<string, string> } : {}),
    recipients: [],
    send_history: [],
  }
  const records: CampaignActivityRecord[] = (['primary_email', 'permalink'] as const).map((role) => {
    const id = randomUUID()
    return { ...common, campaign_activity_id: id, role, permalink_url: `https://practice.example/p/${id}` }
  })
  ctx.store.addCampaign(
    {
      campaign_id: campaignId,
      name,
      type: input.format_type === 5 ? 'CUSTOM_CODE_EMAIL' : 'NEWSLETTER',
      type_code: input.format_type === 5 ? 26 : 10,
      created_at: at,
      updated_at: at,
      activity_ids: records.map((r) => ({ campaign_activity_id: r.campaign_activity_id, role: r.role })),
    },
    records,
  )
  ctx.store.changed()
  return {
    status: 200,
    body: {
      ...campaignSummary(ctx.store, campaignId),
      campaign_activities: records.map((r) => ({ campaign_activity_id: r.campaign_activity_id, role: r.role })),
    },
  }
}

function readDate(value: string | null, name: string): number | undefined {
  if (value === null || value === '') return undefined
  const ms = Date.parse(value)
  if (!ISO_DATE_TIME.test(value) || Number.isNaN(ms)) throw badRequest(`${name} must be an ISO-8601 date-time.`)
  return ms
}

function getCampaign(ctx: ApiContext) {
  const campaign = ctx.store.campaigns.get(ctx.params.campaign_id!)
  if (!campaign) throw notFound('Campaign not found.', 'campaign.api.not_found')
  return {
    status: 200,
    body: {
      ...campaignSummary(ctx.store, campaign.campaign_id),
      campaign_activities: campaign.activity_ids.map((a) => ({ ...a })),
    },
  }
}

function findActivity(ctx: ApiContext): CampaignActivityRecord {
  const activity = ctx.store.campaignActivities.get(ctx.params.campaign_activity_id!)
  if (!activity) throw notFound('Campaign activity not found.', 'campaign.activity.api.not_found')
  return activity
}

/** "You cannot get email campaign activities that have a REMOVED status" (the GET's description). */
function findReadableActivity(ctx: ApiContext): CampaignActivityRecord {
  const activity = findActivity(ctx)
  if (activity.current_status === 'REMOVED')
    throw notFound('Campaign activity not found.', 'campaign.activity.api.not_found')
  return activity
}

function activityToApi(a: CampaignActivityRecord, include: Set<string>): Record<string, unknown> {
  return {
    campaign_activity_id: a.campaign_activity_id,
    campaign_id: a.campaign_id,
    role: a.role,
    contact_list_ids: [...a.contact_list_ids],
    segment_ids: [...a.segment_ids],
    current_status: a.current_status,
    format_type: a.format_type,
    from_email: a.from_email,
    from_name: a.from_name,
    reply_to_email: a.reply_to_email,
    subject: a.subject,
    ...(a.preheader !== undefined ? { preheader: a.preheader } : {}),
    ...(include.has('html_content') && a.html_content ? { html_content: a.html_content } : {}),
    ...(include.has('permalink_url') ? { permalink_url: a.permalink_url } : {}),
    ...(include.has('physical_address_in_footer') && a.physical_address_in_footer
      ? { physical_address_in_footer: { ...a.physical_address_in_footer } }
      : {}),
    ...(include.has('document_properties') && a.document_properties
      ? { document_properties: { ...a.document_properties } }
      : {}),
  }
}

function includes(ctx: ApiContext): Set<string> {
  const allowed = new Set(['physical_address_in_footer', 'permalink_url', 'html_content', 'document_properties'])
  const asked = (ctx.url.searchParams.get('include') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const a of asked) if (!allowed.has(a)) throw badRequest(`include "${a}" is not valid.`)
  return new Set(asked)
}

function getCampaignActivity(ctx: ApiContext) {
  return { status: 200, body: activityToApi(findReadableActivity(ctx), includes(ctx)) }
}

function confirmedSenders(store: SimStore): Set<string> {
  return new Set(
    store.data.account.emails.filter((e) => e.confirm_status === 'CONFIRMED').map((e) => e.email_address.toLowerCase()),
  )
}

function putCampaignActivity(ctx: ApiContext) {
  if (!ctx.contentType.startsWith('application/json'))
    throw new SimHttpError(415, 'api.unsupported_media_type', 'Content-Type must be application/json.')
  const activity = findActivity(ctx)
  const body = parseJsonBody(ctx.rawBody) as Record<string, unknown>
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('The request body must be an email campaign activity.')
  if (activity.role !== 'primary_email')
    throw badRequest('Only primary_email campaign activities can be updated.', 'campaign.activity.api.role')
  const refusal = whyNotUpdatable(activity)
  if (refusal) throw badRequest(refusal, 'campaign.activity.api.status')
  for (const field of ['from_name', 'from_email', 'reply_to_email', 'subject'] as const) {
    if (typeof body[field] !== 'string' || !(body[field] as string).trim())
      throw badRequest(`${field} is required.`, 'campaign.activity.api.validation.required')
  }
  const senders = confirmedSenders(ctx.store)
  for (const field of ['from_email', 'reply_to_email'] as const) {
    if (!senders.has((body[field] as string).toLowerCase()))
      throw badRequest(
        `${field} ${body[field] as string} is not a confirmed email address of this account.`,
        'campaign.activity.api.validation.unconfirmed_email',
      )
  }
  const lists = body.contact_list_ids === undefined ? [] : body.contact_list_ids
  const segments = body.segment_ids === undefined ? [] : body.segment_ids
  if (!Array.isArray(lists) || lists.some((id) => typeof id !== 'string'))
    throw badRequest('contact_list_ids must be a list of list IDs.')
  if (!Array.isArray(segments) || segments.some((id) => !Number.isInteger(id)))
    throw badRequest('segment_ids must be a list of segment IDs.')
  if (lists.length && segments.length)
    throw badRequest(
      'You cannot use contact lists and segments at the same time.',
      'campaign.activity.api.validation.lists_and_segments',
    )
  if (segments.length)
    throw badRequest('The local Constant Contact has no segments.', 'campaign.activity.api.validation.segment_ids')
  for (const id of lists as string[])
    if (!ctx.store.lists.has(id))
      throw badRequest(`List ${id} does not exist.`, 'campaign.activity.api.validation.contact_list_ids')

  // A PUT replaces the top-level properties (missing ones are cleared) but leaves sub-resources it omits alone.
  activity.from_name = body.from_name as string
  activity.from_email = body.from_email as string
  activity.reply_to_email = body.reply_to_email as string
  activity.subject = body.subject as string
  if (typeof body.preheader === 'string') activity.preheader = body.preheader
  else delete activity.preheader
  activity.contact_list_ids = [...new Set(lists as string[])]
  activity.segment_ids = []
  if (typeof body.html_content === 'string') activity.html_content = body.html_content
  if (body.physical_address_in_footer && typeof body.physical_address_in_footer === 'object')
    activity.physical_address_in_footer = body.physical_address_in_footer as Record<string, string>
  if (body.document_properties && typeof body.document_properties === 'object')
    activity.document_properties = body.document_properties as Record<string, string>
  touchCampaign(ctx, activity)
  return {
    status: 200,
    body: activityToApi(
      activity,
      new Set(['html_content', 'permalink_url', 'physical_address_in_footer', 'document_properties']),
    ),
  }
}

/**
 * The PUT's rule: only a primary email in DRAFT status, or in DONE status when it was made with the
 * third-generation drag-and-drop editor (format_type 3) — the spec says "DRAFT or Done", the guide
 * on updating an email campaign activity narrows DONE to format_type 3. Undefined when allowed.
 */
function whyNotUpdatable(activity: CampaignActivityRecord): string | undefined {
  if (activity.current_status === 'DRAFT') return undefined
  if (activity.current_status === 'DONE') {
    return activity.format_type === 3
      ? undefined
      : `A campaign activity in DONE status can only be updated when its format_type is 3; this one's is ${activity.format_type}.`
  }
  return `A campaign activity in ${activity.current_status} status can't be updated; only DRAFT, or DONE with format_type 3.`
}

function touchCampaign(ctx: ApiContext, activity: CampaignActivityRecord): void {
  const campaign = ctx.store.campaigns.get(activity.campaign_id)
  if (campaign) campaign.updated_at = iso(ctx.clock.now())
  ctx.store.changed()
}

function getSchedules(ctx: ApiContext) {
  const activity = findActivity(ctx)
  return {
    status: 200,
    body:
      activity.current_status === 'SCHEDULED' && activity.scheduled_date
        ? [{ scheduled_date: activity.scheduled_date }]
        : [],
  }
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/

function postSchedule(ctx: ApiContext) {
  if (!ctx.contentType.startsWith('application/json'))
    throw new SimHttpError(415, 'api.unsupported_media_type', 'Content-Type must be application/json.')
  const activity = findActivity(ctx)
  const body = parseJsonBody(ctx.rawBody) as Record<string, unknown>
  const date = body?.scheduled_date
  if (typeof date !== 'string' || !date)
    throw badRequest('scheduled_date is required.', 'campaign.schedule.api.validation.required')
  if (activity.role !== 'primary_email')
    throw badRequest('Only primary_email campaign activities can be scheduled.', 'campaign.schedule.api.role')
  if (!['DRAFT', 'DONE', 'ERROR'].includes(activity.current_status)) {
    throw badRequest(
      `A campaign activity in ${activity.current_status} status can't be scheduled; only DRAFT, DONE or ERROR.`,
      'campaign.schedule.api.status',
    )
  }
  if (!activity.contact_list_ids.length && !activity.segment_ids.length)
    throw badRequest(
      'The campaign activity has no contact lists or segments to send to.',
      'campaign.schedule.api.no_contacts',
    )
  const now = ctx.clock.now()
  if (date === '0') {
    startSend(ctx.store, activity, now, ctx.engine.speed.sendDurationMs)
    touchCampaign(ctx, activity)
    return { status: 201, body: [] }
  }
  const at = Date.parse(date)
  if (!ISO_DATE_TIME.test(date) || Number.isNaN(at))
    throw badRequest(
      'scheduled_date must be "0" (send now) or an ISO-8601 date-time.',
      'campaign.schedule.api.validation.date',
    )
  if (at <= now) throw badRequest('scheduled_date must be in the future.', 'campaign.schedule.api.validation.date_past')
  activity.status_before_schedule = activity.current_status
  activity.current_status = 'SCHEDULED'
  activity.scheduled_date = iso(at)
  touchCampaign(ctx, activity)
  return { status: 201, body: [{ scheduled_date: activity.scheduled_date }] }
}

function deleteSchedule(ctx: ApiContext) {
  const activity = findActivity(ctx)
  if (activity.current_status !== 'SCHEDULED')
    throw badRequest('The campaign activity is not scheduled.', 'campaign.schedule.api.not_scheduled')
  activity.current_status = activity.status_before_schedule ?? 'DRAFT'
  delete activity.scheduled_date
  delete activity.status_before_schedule
  touchCampaign(ctx, activity)
  return { status: 204 }
}

function postTest(ctx: ApiContext) {
  if (!ctx.contentType.startsWith('application/json'))
    throw new SimHttpError(415, 'api.unsupported_media_type', 'Content-Type must be application/json.')
  const activity = findActivity(ctx)
  const body = parseJsonBody(ctx.rawBody) as Record<string, unknown>
  const addresses = body?.email_addresses
  if (!Array.isArray(addresses) || addresses.length === 0)
    throw badRequest('email_addresses is required.', 'campaign.test.api.validation.required')
  if (addresses.length > CC_LIMITS.testEmailAddressesPerSend)
    throw badRequest(
      `A test can go to at most ${CC_LIMITS.testEmailAddressesPerSend} addresses.`,
      'campaign.test.api.validation.max_addresses',
    )
  for (const a of addresses)
    if (typeof a !== 'string' || !EMAIL_PATTERN.test(a))
      throw badRequest(`"${String(a)}" is not a valid email address.`, 'campaign.test.api.validation.email')
  const today = iso(ctx.clock.now()).slice(0, 10)
  const sentToday = ctx.store.data.test_sends
    .filter((t) => t.sent_at.startsWith(today))
    .reduce((n, t) => n + t.email_addresses.length, 0)
  if (sentToday + addresses.length > CC_LIMITS.testEmailsPerDay) {
    // The limit is documented; the status and key of this refusal are not.
    throw badRequest(
      `You can send up to ${CC_LIMITS.testEmailsPerDay} test emails each day.`,
      'campaign.test.api.daily_limit',
    )
  }
  ctx.store.data.test_sends.push({
    campaign_activity_id: activity.campaign_activity_id,
    email_addresses: addresses as string[],
    ...(typeof body.personal_message === 'string' ? { personal_message: body.personal_message } : {}),
    sent_at: iso(ctx.clock.now()),
  })
  ctx.store.changed()
  return { status: 204 }
}

function getSendHistory(ctx: ApiContext) {
  const activity = findActivity(ctx)
  return {
    status: 200,
    body: activity.send_history.map((s) => ({
      ...s,
      contact_list_ids: [...s.contact_list_ids],
      segment_ids: [...s.segment_ids],
    })),
  }
}

/**
 * Sends now: records the send (who it goes to) and marks the activity EXECUTING until the send is
 * done. A DONE activity goes only to contacts on its lists that haven't received it yet.
 */
export function startSend(store: SimStore, activity: CampaignActivityRecord, now: number, durationMs: number): void {
  const already = new Set(activity.recipients)
  const recipients: string[] = []
  for (const c of store.contacts.values()) {
    if (c.permission_to_send === 'unsubscribed' || already.has(c.contact_id)) continue
    if (c.lists.some((id) => activity.contact_list_ids.includes(id))) recipients.push(c.contact_id)
  }
  // One at a time: spread as arguments, a list's 500,000 recipients overflow the call stack.
  for (const id of recipients) activity.recipients.push(id)
  activity.send_history.push({
    send_id: activity.send_history.length + 1,
    contact_list_ids: [...activity.contact_list_ids],
    segment_ids: [...activity.segment_ids],
    count: recipients.length,
    run_date: iso(now),
    send_status: 'COMPLETED',
    reason_code: 0,
  })
  activity.current_status = 'EXECUTING'
  activity.executing_until_ms = now + durationMs
  delete activity.scheduled_date
  delete activity.status_before_schedule
  store.changed()
}

/** Starts scheduled sends whose time has come and finishes sends that are done. */
export function advanceCampaigns(store: SimStore, now: number, sendDurationMs: number): void {
  for (const activity of store.campaignActivities.values()) {
    if (
      activity.current_status === 'SCHEDULED' &&
      activity.scheduled_date &&
      Date.parse(activity.scheduled_date) <= now
    ) {
      startSend(store, activity, Date.parse(activity.scheduled_date), sendDurationMs)
    }
    if (activity.current_status === 'EXECUTING' && (activity.executing_until_ms ?? 0) <= now) {
      activity.current_status = 'DONE'
      delete activity.executing_until_ms
      store.changed()
    }
  }
}
