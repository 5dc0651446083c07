/**
 * "Send a copy": when Constant Contact won't change who a campaign goes to (it was sent before and
 * isn't a format-3 email, or its last send failed), Splitsend makes a new draft from it — POST
 * /emails with the original's subject, preheader, sender, reply-to, footer address and HTML, named
 * "<name> – <date>" — and sends that to the group's list like any campaign.
 *
 * Made once per group and campaign, whatever happens: the copy's name is chosen unique in the
 * account and written to the send journal (fsync) before POST /emails, which is never repeated by
 * the connection layer. A lost answer (or a crash) is settled by looking for that name in GET
 * /emails before anything is created again, so a retry never makes two copies.
 *
 *   copyCampaign(jobDir, client, { group, campaignId }, options) → CampaignCopy
 *   sendCopy(jobDir, client, { group, campaignId, when }, options) → { copy, state, alreadyDone }
 *       what an unattended routine calls when preflight offers a copy (`PreflightResult.copy`)
 */
import { UserFacingError } from '../../../shared/errors'
import type { CcClient } from '../constant-contact/client'
import { ConstantContactError } from '../constant-contact/errors'
import type { EmailCampaignActivity, EmailCampaignSummary } from '../constant-contact/types'
import { withJobLock } from '../jobs/job-lock'
import { CLOCK_MARGIN_MS } from '../constant-contact/lost-requests'
import { campaignDetails, primaryEmailOf, readCampaignSummaries } from './campaigns'
import { copyDate, copyName, copyProblem, copyRequest } from './copy-content'
import { appendEntry, copyRecords, newAttemptId, readJournal, type CopyIntentEntry, type CopyRecord } from './journal'
import { send, type SendOptions, type SendRequest } from './send'
import type { CampaignCopy, SendResult } from '../../../shared/send/schemas'
import type { GroupKey } from '../../../shared/ids'

export interface CopyRequest {
  group: GroupKey
  /** The campaign to copy. */
  campaignId: string
}

export interface CopyOptions {
  /** How long to wait while another window holds the job (default 0: refuse at once). */
  lockWaitMs?: number
  /** The clock: the copy's date, and the times compared when a lost answer is looked up (tests). */
  now?: () => Date
}

/** POSTs of one copy whose answers were lost and which Constant Contact then didn't have. */
const MAX_LOST_POSTS = 3

/**
 * The group's copy of the campaign: the one made earlier for this job (still in the account), or a
 * new one. Holds the job's send lock while it works.
 */
export async function copyCampaign(
  jobDir: string,
  client: CcClient,
  request: CopyRequest,
  options: CopyOptions = {},
): Promise<CampaignCopy> {
  return withJobLock(jobDir, 'send', { waitMs: options.lockWaitMs ?? 0, purpose: 'copy' }, () =>
    ensureCopy(jobDir, client, request, options.now ?? (() => new Date())),
  )
}

/** Makes (or finds) the copy, then sends it to the group's list: `send` with the copy's campaign. */
export async function sendCopy(
  jobDir: string,
  client: CcClient,
  request: CopyRequest & Pick<SendRequest, 'when'>,
  options: SendOptions & CopyOptions,
): Promise<SendResult & { copy: CampaignCopy }> {
  const copy = await copyCampaign(jobDir, client, request, options)
  const result = await send(
    jobDir,
    client,
    { group: request.group, campaignId: copy.campaignId, when: request.when },
    options,
  )
  return { ...result, copy }
}

/** The group's copy of the campaign that this job made (or began to make), if any. */
function earlierCopy(jobDir: string, request: CopyRequest) {
  return copyRecords(readJournal(jobDir))
    .filter(
      (r) => r.intent.group === request.group && r.intent.original.campaignId === request.campaignId && !r.refused,
    )
    .at(-1)
}

/**
 * The name of the group's copy: the one this job made earlier, or the name a copy made now would
 * get (what a confirmation says before the copy is made).
 */
export async function copyNameFor(
  jobDir: string,
  client: CcClient,
  request: CopyRequest & { originalName: string },
  now: Date = new Date(),
): Promise<string> {
  const earlier = earlierCopy(jobDir, request)
  if (earlier) return earlier.intent.name
  const taken = new Set((await readCampaignSummaries(client)).map((c) => c.name ?? ''))
  return copyName(request.originalName, copyDate(now), taken)
}

async function ensureCopy(
  jobDir: string,
  client: CcClient,
  request: CopyRequest,
  now: () => Date,
): Promise<CampaignCopy> {
  const earlier = earlierCopy(jobDir, request)
  if (earlier?.created) {
    const copy = await stillInAccount(client, earlier)
    if (copy) return copy
    // Deleted in Constant Contact since: a new copy is made below, with a name of its own.
  } else if (earlier) {
    // Its POST may or may not have arrived: its name says.
    const found = await findByName(client, earlier.intent, now())
    if (found) return recordCreated(jobDir, client, earlier.intent, found.campaign_id!, 'found')
    return post(jobDir, client, earlier.intent, await readOriginal(client, request.campaignId), now)
  }

  const original = await readOriginal(client, request.campaignId)
  const taken = new Set((await readCampaignSummaries(client)).map((c) => c.name ?? ''))
  const intent = appendEntry(jobDir, {
    type: 'copy_intent',
    attempt: newAttemptId(),
    group: request.group,
    original: { campaignId: request.campaignId, campaignName: original.name },
    name: copyName(original.name, copyDate(now()), taken),
  })
  return post(jobDir, client, intent, original, now)
}

interface Original {
  name: string
  email: EmailCampaignActivity
}

/** The original's primary email with everything a copy takes; refuses one Splitsend can't copy. */
async function readOriginal(client: CcClient, campaignId: string): Promise<Original> {
  const details = await campaignDetails(client, campaignId)
  const problem = copyProblem(details)
  if (problem)
    throw new UserFacingError(
      'campaign_copy_impossible',
      problem,
      'Make a copy in Constant Contact (Campaigns → the campaign’s menu → Copy), then pick the copy in Splitsend.',
    )
  const email = await client.getEmailCampaignActivity(details.activityId, {
    include: 'html_content,physical_address_in_footer',
  })
  return { name: details.name, email }
}

async function post(
  jobDir: string,
  client: CcClient,
  intent: CopyIntentEntry,
  original: Original,
  now: () => Date,
): Promise<CampaignCopy> {
  for (let tries = 1; ; tries++) {
    try {
      const created = await client.createEmailCampaign(copyRequest(intent.name, original.email))
      if (!created.campaign_id) throw new Error('Constant Contact made a campaign without giving its ID')
      return await recordCreated(jobDir, client, intent, created.campaign_id, 'answer')
    } catch (error) {
      const lost = error instanceof ConstantContactError && error.code === 'cc_outcome_unknown'
      const taken = error instanceof ConstantContactError && error.code === 'cc_conflict'
      if (!lost && !taken) throw refused(jobDir, intent, error)
      // The answer was lost, or the name is taken — by this very copy, if an earlier POST arrived.
      const found = await findByName(client, intent, now())
      if (found) return recordCreated(jobDir, client, intent, found.campaign_id!, 'found')
      // Someone else's campaign has the name: this copy is given up, the next one gets another name.
      if (taken) throw refused(jobDir, intent, nameTakenError(intent.name))
      if (tries >= MAX_LOST_POSTS) throw error
    }
  }
}

/**
 * The campaign called `intent.name`, made since the copy's intent was written (Constant Contact's
 * clock may differ from this computer's by a few minutes). The name was unique when it was chosen,
 * so a campaign of that name made since is this copy; one made long before is someone else's.
 */
async function findByName(
  client: CcClient,
  intent: CopyIntentEntry,
  now: Date,
): Promise<EmailCampaignSummary | undefined> {
  const from = Date.parse(intent.at) - CLOCK_MARGIN_MS
  const until = now.getTime() + CLOCK_MARGIN_MS
  const named = (await readCampaignSummaries(client)).filter(
    (c) => c.campaign_id && (c.name ?? '').toLowerCase() === intent.name.toLowerCase(),
  )
  return named.find((c) => {
    const created = Date.parse(c.created_at ?? '')
    return Number.isNaN(created) || (created >= from && created <= until)
  })
}

async function recordCreated(
  jobDir: string,
  client: CcClient,
  intent: CopyIntentEntry,
  campaignId: string,
  source: 'answer' | 'found',
): Promise<CampaignCopy> {
  const { activityId } = await primaryEmailOf(client, campaignId)
  appendEntry(jobDir, { type: 'copy_created', attempt: intent.attempt, campaignId, activityId, source })
  return {
    campaignId,
    name: intent.name,
    activityId,
    copyOf: intent.original,
    how: source === 'answer' ? 'created' : 'found',
  }
}

/** The copy made earlier, if Constant Contact still has it (not deleted). */
async function stillInAccount(client: CcClient, record: CopyRecord): Promise<CampaignCopy | undefined> {
  const created = record.created!
  try {
    const campaign = await client.getEmailCampaign(created.campaignId)
    if ((campaign.current_status ?? '').toUpperCase() === 'REMOVED') return undefined
  } catch (error) {
    if (error instanceof ConstantContactError && error.code === 'cc_not_found') return undefined
    throw error
  }
  return {
    campaignId: created.campaignId,
    name: record.intent.name,
    activityId: created.activityId,
    copyOf: record.intent.original,
    how: 'found',
  }
}

/** Writes down that the copy wasn't made (the next try starts a new one), and returns the error. */
function refused(jobDir: string, intent: CopyIntentEntry, error: unknown): unknown {
  appendEntry(jobDir, {
    type: 'copy_refused',
    attempt: intent.attempt,
    code: error instanceof UserFacingError ? error.code : 'unexpected',
    message: error instanceof UserFacingError ? error.message : 'The copy could not be made.',
  })
  return error
}

function nameTakenError(name: string): UserFacingError {
  return new UserFacingError(
    'campaign_copy_name_taken',
    `Splitsend was making a copy named “${name}”, and Constant Contact says a campaign of that name was already there before — not one Splitsend made.`,
    'Check your campaigns in Constant Contact. If that campaign is the copy you want, pick it here; otherwise try “Send a copy” again: Splitsend picks another name.',
  )
}
