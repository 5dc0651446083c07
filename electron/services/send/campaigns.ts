/**
 * Reading email campaigns for the picker and the preview: the list (newest first, searchable, with
 * whether each can be sent) and one campaign's details (subject, sender, recipients, HTML).
 */
import { UserFacingError } from '../../../shared/errors'
import type { CcClient } from '../constant-contact/client'
import { ConstantContactError } from '../constant-contact/errors'
import type { EmailCampaignActivity, EmailCampaignSummary, EmailSendRecord } from '../constant-contact/types'
import { campaignStatusReason, canUpdateEmail, SCHEDULABLE_STATUSES } from './messages'
import type { CampaignChoice, CampaignDetails, EmailStatus, RecipientRef } from '../../../shared/send/schemas'

/** How many campaigns one page asks for (the API's maximum). */
const PAGE_SIZE = 500
/** Enough for any real account; a safety stop against a `_links.next` that never ends. */
const MAX_PAGES = 40

/** Every campaign of the account, newest change first. Deleted campaigns are left out. */
async function readAllCampaigns(client: CcClient): Promise<EmailCampaignSummary[]> {
  return (await readCampaignSummaries(client))
    .filter((c) => c.campaign_id && normalStatus(c.current_status) !== 'REMOVED')
    .sort((a, b) => timeOf(b) - timeOf(a) || (a.name ?? '').localeCompare(b.name ?? ''))
}

/** Every campaign GET /emails lists, page by page (deleted ones too: their names stay taken). */
export async function readCampaignSummaries(client: CcClient): Promise<EmailCampaignSummary[]> {
  const all: EmailCampaignSummary[] = []
  let page = await client.getEmailCampaigns({ limit: PAGE_SIZE })
  for (let n = 0; ; n++) {
    all.push(...(page.campaigns ?? []))
    const next = page._links?.next?.href
    if (!next || n >= MAX_PAGES) break
    page = await client.getEmailCampaigns({ next })
  }
  return all
}

function timeOf(c: EmailCampaignSummary): number {
  const t = Date.parse(c.updated_at ?? c.created_at ?? '')
  return Number.isNaN(t) ? 0 : t
}

/** "Draft" / "DRAFT" / "done" → the activity status spelling. Unknown values pass through upper-cased. */
export function normalStatus(status: string | undefined): EmailStatus {
  return (status ?? 'DRAFT').toUpperCase() as EmailStatus
}

export interface CampaignSearch {
  /** Text that must appear in the name (any case). */
  search?: string
}

/** The campaigns for the picker, newest first; the ones that can't be sent say why. */
export async function listCampaigns(client: CcClient, options: CampaignSearch = {}): Promise<CampaignChoice[]> {
  const needle = options.search?.trim().toLowerCase()
  return (await readAllCampaigns(client))
    .filter((c) => !needle || (c.name ?? '').toLowerCase().includes(needle))
    .map((c) => {
      const reason = campaignStatusReason(normalStatus(c.current_status))
      return {
        campaignId: c.campaign_id!,
        name: c.name ?? '(no name)',
        status: c.current_status ?? 'Draft',
        ...(c.updated_at ? { updatedAt: c.updated_at } : {}),
        ...(c.created_at ? { createdAt: c.created_at } : {}),
        selectable: reason === undefined,
        ...(reason ? { notSelectableReason: reason } : {}),
      }
    })
}

/**
 * Finds a campaign by its ID or its name (exact first, then ignoring case). A name that matches
 * several campaigns is refused with their IDs, so the person can pick one.
 */
export async function findCampaign(client: CcClient, nameOrId: string): Promise<EmailCampaignSummary> {
  const wanted = nameOrId.trim()
  const all = await readAllCampaigns(client)
  const byId = all.find((c) => c.campaign_id === wanted)
  if (byId) return byId
  let matches = all.filter((c) => c.name === wanted)
  if (matches.length === 0) matches = all.filter((c) => (c.name ?? '').toLowerCase() === wanted.toLowerCase())
  if (matches.length === 1) return matches[0]!
  if (matches.length > 1) {
    throw new UserFacingError(
      'campaign_ambiguous',
      `Several campaigns are called “${wanted}”.`,
      `Name the one you mean by its ID: ${matches.map((c) => c.campaign_id).join(', ')}.`,
    )
  }
  const close = all.filter((c) => (c.name ?? '').toLowerCase().includes(wanted.toLowerCase())).slice(0, 5)
  throw new UserFacingError(
    'campaign_not_found',
    `Constant Contact has no email campaign called “${wanted}”.`,
    close.length
      ? `Did you mean ${close.map((c) => `“${c.name}”`).join(', ')}?`
      : 'Check the name in Constant Contact (Campaigns), or use the campaign’s ID.',
  )
}

/** The campaign's primary email: the one that is edited, tested and sent. */
export async function primaryEmailOf(
  client: CcClient,
  campaignId: string,
): Promise<{ campaignName: string; activityId: string }> {
  const campaign = await client.getEmailCampaign(campaignId)
  const primary = campaign.campaign_activities?.find((a) => a.role === 'primary_email')
  if (!primary?.campaign_activity_id) {
    throw new UserFacingError(
      'campaign_has_no_email',
      `The campaign “${campaign.name ?? campaignId}” has no email to send.`,
      'Open it in Constant Contact and finish the email, or pick another campaign.',
    )
  }
  return { campaignName: campaign.name ?? campaignId, activityId: primary.campaign_activity_id }
}

/** The recipients an activity is addressed to now, with list names where Constant Contact knows them. */
async function recipientsOf(client: CcClient, activity: EmailCampaignActivity): Promise<RecipientRef[]> {
  const lists = await Promise.all(
    (activity.contact_list_ids ?? []).map(async (id): Promise<RecipientRef> => {
      try {
        return { kind: 'list', id, name: (await client.getList(id)).name }
      } catch (error) {
        if (error instanceof ConstantContactError && error.code === 'cc_not_found') return { kind: 'list', id }
        throw error
      }
    }),
  )
  return [...lists, ...(activity.segment_ids ?? []).map((id): RecipientRef => ({ kind: 'segment', id: String(id) }))]
}

/** A campaign's details for the preview and the checks. */
export async function campaignDetails(client: CcClient, campaignId: string): Promise<CampaignDetails> {
  const { campaignName, activityId } = await primaryEmailOf(client, campaignId)
  const activity = await readEmail(client, activityId, campaignName)
  const status = normalStatus(activity.current_status)
  const [history, schedules, recipients] = await Promise.all([
    client.getSendHistory(activityId),
    status === 'SCHEDULED' ? client.getEmailSchedules(activityId) : Promise.resolve([]),
    recipientsOf(client, activity),
  ])
  const last = latestSend(history)
  const scheduledFor = schedules.find((s) => s.scheduled_date)?.scheduled_date
  return {
    campaignId,
    name: campaignName,
    activityId,
    status,
    subject: activity.subject,
    ...(activity.preheader ? { preheader: activity.preheader } : {}),
    fromName: activity.from_name,
    fromEmail: activity.from_email,
    replyToEmail: activity.reply_to_email,
    recipients,
    html: activity.html_content ?? '',
    timesSent: history.length,
    ...(last?.run_date ? { lastSentAt: last.run_date } : {}),
    ...(scheduledFor ? { scheduledFor } : {}),
    ...(activity.format_type !== undefined ? { formatType: activity.format_type } : {}),
    canUpdate: canUpdateEmail(status, activity.format_type),
  }
}

/**
 * The primary email with its HTML. Constant Contact doesn't hand out a deleted email ("You cannot get
 * email campaign activities that have a REMOVED status"): that is said in plain words.
 */
async function readEmail(client: CcClient, activityId: string, campaignName: string): Promise<EmailCampaignActivity> {
  try {
    return await client.getEmailCampaignActivity(activityId, { include: 'html_content' })
  } catch (error) {
    if (error instanceof ConstantContactError && error.code === 'cc_not_found')
      throw new UserFacingError(
        'campaign_deleted',
        `The campaign “${campaignName}” was deleted in Constant Contact, so it can’t be sent.`,
        'Pick another campaign, or restore it in Constant Contact (Campaigns → Deleted) and check again.',
      )
    throw error
  }
}

/** The most recent entry of a send record. */
export function latestSend(history: readonly EmailSendRecord[]): EmailSendRecord | undefined {
  return [...history]
    .sort((a, b) => (a.send_id ?? 0) - (b.send_id ?? 0) || (a.run_date ?? '').localeCompare(b.run_date ?? ''))
    .at(-1)
}

export function isSchedulable(status: EmailStatus): boolean {
  return SCHEDULABLE_STATUSES.has(status)
}
