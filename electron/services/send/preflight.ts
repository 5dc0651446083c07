/**
 * The checks before a send, each explained in plain words: anything that would make Constant
 * Contact refuse the send, or surprise the person.
 */
import type { CcClient } from '../constant-contact/client'
import { ConstantContactError } from '../constant-contact/errors'
import type { ContactList } from '../constant-contact/types'
import type { BothListsOptions } from '../membership/both-lists'
import { bothListsCheck } from './both-lists-check'
import { campaignDetails, isSchedulable } from './campaigns'
import { copyProblem } from './copy-content'
import { copyNameFor } from './copy'
import { attemptOutcome, attemptsByGroup, readJournal, type AttemptRecord } from './journal'
import {
  campaignStatusReason,
  copyWords,
  DONE_NOTE,
  ERROR_NOTE,
  formatCount,
  NOT_UPDATABLE_HINT,
  notUpdatableReason,
} from './messages'
import { uploadOutcomeFor, type UploadOutcomeSource } from './upload-outcome'
import type {
  CampaignDetails,
  CopyOffer,
  PreflightCheck,
  PreflightResult,
  RecipientRef,
  UploadOutcome,
} from '../../../shared/send/schemas'
import type { GroupKey } from '../../../shared/ids'

export interface PreflightOptions {
  uploads: UploadOutcomeSource
  /** How the lists are read for the both-lists check (tests: fast status checks). */
  bothLists?: BothListsOptions
}

export async function preflight(
  jobDir: string,
  client: CcClient,
  group: GroupKey,
  campaignId: string,
  options: PreflightOptions,
): Promise<PreflightResult> {
  const [upload, details, accountEmails, uploads] = await Promise.all([
    uploadOutcomeFor(options.uploads, jobDir, group),
    campaignDetails(client, campaignId),
    client.getAccountEmails(),
    options.uploads(jobDir),
  ])
  const bothLists = await bothListsCheck(jobDir, client, uploads, options.bothLists)
  const list = upload ? await readList(client, upload.listId) : undefined
  const attempts = attemptsByGroup(readJournal(jobDir))
  const other: GroupKey = group === '0' ? '1' : '0'

  const confirmed = new Set(
    accountEmails
      .filter((e) => (e.confirm_status ?? '').toUpperCase() === 'CONFIRMED')
      .map((e) => (e.email_address ?? '').toLowerCase()),
  )
  const replaces = upload ? details.recipients.filter((r) => !(r.kind === 'list' && r.id === upload.listId)) : []
  const mustChangeRecipients = !upload || !addressedOnlyTo(details.recipients, upload.listId)
  const offer =
    mustChangeRecipients && !details.canUpdate && isSchedulable(details.status) ? copyOffer(details) : undefined
  const copy = offer?.possible
    ? { ...offer, name: await copyNameFor(jobDir, client, { group, campaignId, originalName: details.name }) }
    : offer

  const checks: PreflightCheck[] = [
    ...jobChecks(attempts[group].at(-1), attempts[other].at(-1), campaignId),
    sendersCheck(details, confirmed),
    statusCheck(details, copy),
    scheduleCheck(details),
    listCheck(upload, list, replaces),
    uploadCheck(upload),
    ...(bothLists ? [bothLists] : []),
  ]
  const { html: _html, ...campaign } = details
  return {
    group,
    campaign,
    ...(upload
      ? {
          list: {
            listId: upload.listId,
            listName: list && list !== 'missing' ? list.name : upload.listName,
            contactsAdded: upload.contactsAdded,
            uploadFinished: upload.finished,
            ...(list && list !== 'missing' && typeof list.membership_count === 'number'
              ? { membersNow: list.membership_count }
              : {}),
          },
        }
      : {}),
    replaces,
    checks,
    canSend: checks.every((c) => c.result !== 'blocked'),
    ...(copy ? { copy } : {}),
  }
}

/** Whether the email goes to this list and nobody else already (then its recipients needn't change). */
export function addressedOnlyTo(recipients: readonly RecipientRef[], listId: string): boolean {
  return recipients.length === 1 && recipients[0]!.kind === 'list' && recipients[0]!.id === listId
}

/** "Send a copy" for a campaign whose recipients Constant Contact won't change, when Splitsend can make one. */
function copyOffer(details: CampaignDetails): CopyOffer {
  const words = copyWords(details.formatType)
  const problem = copyProblem(details)
  return { possible: !problem, ...(problem ? { why: problem } : {}), ...words }
}

async function readList(client: CcClient, listId: string): Promise<ContactList | 'missing'> {
  try {
    return await client.getList(listId, { include_membership_count: 'all' })
  } catch (error) {
    if (error instanceof ConstantContactError && error.code === 'cc_not_found') return 'missing'
    throw error
  }
}

/** This job already sent (or is sending) to this group, or uses the campaign for the other group. */
function jobChecks(
  mine: AttemptRecord | undefined,
  theirs: AttemptRecord | undefined,
  campaignId: string,
): PreflightCheck[] {
  const title = 'Not sent already by this job'
  const mineOutcome = mine ? attemptOutcome(mine) : undefined
  if (mine && mineOutcome === 'unclear')
    return [
      {
        id: 'not_sent_by_this_job',
        result: 'blocked',
        title,
        message:
          mine.unclear?.reason ?? mine.checked?.reason ?? 'Splitsend can’t tell whether this job’s send went out.',
        hint: 'Tell Splitsend whether it was this job’s send (on the group’s send state, or with the command’s --answer option). Nothing is sent to this group until then.',
      },
    ]
  if (mine && (mineOutcome === 'accepted' || mineOutcome === 'unknown')) {
    const sameCampaign = mine.intent.campaignId === campaignId
    return [
      {
        id: 'not_sent_by_this_job',
        result: 'blocked',
        title,
        message:
          mineOutcome === 'unknown'
            ? `A send of “${mine.intent.campaignName}” to this group was started and may have reached Constant Contact. Splitsend checks with Constant Contact before anything else.`
            : `This group already got “${mine.intent.campaignName}” from this job${mine.intent.when === 'now' ? '' : ` (scheduled for ${mine.intent.when})`}.`,
        hint: sameCampaign
          ? 'Nothing more to do: Splitsend sends once per group per job.'
          : 'Splitsend sends one campaign per group per job. To send it something else, cancel the scheduled send first (if it hasn’t gone out) or start a new job.',
      },
    ]
  }
  const theirsOutcome = theirs ? attemptOutcome(theirs) : undefined
  if (
    theirs &&
    theirs.intent.campaignId === campaignId &&
    (theirsOutcome === 'accepted' || theirsOutcome === 'unknown')
  ) {
    return [
      {
        id: 'not_sent_by_this_job',
        result: 'blocked',
        title,
        message: `“${theirs.intent.campaignName}” is already going to the other group’s list. A campaign goes to one list at a time.`,
        hint: 'Pick a different campaign for this group.',
      },
    ]
  }
  return [
    { id: 'not_sent_by_this_job', result: 'ok', title, message: 'This job hasn’t sent anything to this group yet.' },
  ]
}

function sendersCheck(details: CampaignDetails, confirmed: ReadonlySet<string>): PreflightCheck {
  const title = 'Sender addresses confirmed'
  const problems: string[] = []
  if (!confirmed.has(details.fromEmail.toLowerCase())) problems.push(`the “from” address ${details.fromEmail}`)
  if (!confirmed.has(details.replyToEmail.toLowerCase())) problems.push(`the reply-to address ${details.replyToEmail}`)
  if (problems.length === 0) {
    return {
      id: 'confirmed_senders',
      result: 'ok',
      title,
      message: `From “${details.fromName}” <${details.fromEmail}>, replies to ${details.replyToEmail}: both are confirmed addresses of the account.`,
    }
  }
  return {
    id: 'confirmed_senders',
    result: 'blocked',
    title,
    message: `Constant Contact only sends from confirmed addresses, and ${problems.join(' and ')} ${problems.length > 1 ? 'are' : 'is'} not confirmed for this account.`,
    hint: 'In Constant Contact, confirm the address (My Settings → Email addresses; Constant Contact emails a confirmation link), or change the campaign to use a confirmed address. Then check again.',
  }
}

function statusCheck(details: CampaignDetails, copy: CopyOffer | undefined): PreflightCheck {
  const title = 'Campaign can be sent'
  const reason = campaignStatusReason(details.status)
  if (reason)
    return {
      id: 'campaign_status',
      result: 'blocked',
      title,
      message: `“${details.name}” can’t be sent now: ${reason}`,
      hint: 'Pick another campaign, or fix it in Constant Contact and check again.',
    }
  if (copy)
    return {
      id: 'campaign_status',
      result: 'blocked',
      title,
      message: `“${details.name}” can’t be sent to this group’s list as it is. ${notUpdatableReason(details.status)}`,
      hint: copy.possible
        ? NOT_UPDATABLE_HINT
        : `${copy.why} Make a copy in Constant Contact (Campaigns → the campaign’s menu → Copy), then pick the copy here.`,
    }
  if (details.status === 'DONE') return { id: 'campaign_status', result: 'note', title, message: DONE_NOTE }
  if (details.status === 'ERROR') return { id: 'campaign_status', result: 'note', title, message: ERROR_NOTE }
  return { id: 'campaign_status', result: 'ok', title, message: 'It is a draft, ready to send.' }
}

function scheduleCheck(details: CampaignDetails): PreflightCheck {
  const title = 'Not already scheduled'
  if (details.status === 'SCHEDULED' || details.scheduledFor) {
    return {
      id: 'not_scheduled',
      result: 'blocked',
      title,
      message: `“${details.name}” is already scheduled to go out${details.scheduledFor ? ` at ${details.scheduledFor} (UTC)` : ''}. Sending it from here as well would send it twice.`,
      hint: 'Cancel that schedule in Constant Contact if it is a mistake, or pick another campaign.',
    }
  }
  return { id: 'not_scheduled', result: 'ok', title, message: 'It isn’t scheduled yet.' }
}

function listCheck(
  upload: UploadOutcome | undefined,
  list: ContactList | 'missing' | undefined,
  replaces: RecipientRef[],
): PreflightCheck {
  const title = 'Goes to this group’s list only'
  if (!upload) {
    return {
      id: 'recipient_list',
      result: 'blocked',
      title,
      message: 'This group has no Constant Contact list yet, because it wasn’t uploaded.',
      hint: 'Upload the group first.',
    }
  }
  if (list === 'missing') {
    return {
      id: 'recipient_list',
      result: 'blocked',
      title,
      message: `The list “${upload.listName}” this group was uploaded to no longer exists in Constant Contact.`,
      hint: 'Upload the group again (it creates the list again), then send.',
    }
  }
  const name = list?.name ?? upload.listName
  const members =
    list && typeof list.membership_count === 'number'
      ? ` (${formatCount(list.membership_count)} contacts on it now)`
      : ''
  if (replaces.length === 0)
    return {
      id: 'recipient_list',
      result: 'ok',
      title,
      message: `It will go to the list “${name}”${members} and nobody else.`,
    }
  const before = replaces
    .map((r) => (r.kind === 'segment' ? `segment ${r.id}` : r.name ? `list “${r.name}”` : `list ${r.id}`))
    .join(', ')
  return {
    id: 'recipient_list',
    result: 'note',
    title,
    message: `It will go to the list “${name}”${members} and nobody else. The campaign is addressed to ${before} now; that will be replaced.`,
  }
}

function uploadCheck(upload: UploadOutcome | undefined): PreflightCheck {
  const title = 'Upload finished'
  if (!upload)
    return {
      id: 'upload_finished',
      result: 'blocked',
      title,
      message: 'This group hasn’t been uploaded to Constant Contact.',
      hint: 'Upload it first, then come back to send.',
    }
  if (!upload.finished) {
    return {
      id: 'upload_finished',
      result: 'blocked',
      title,
      message: `The upload of this group to “${upload.listName}” hasn’t finished, so the list may still be missing contacts.`,
      hint: 'Let the upload finish (or resume it), then send.',
    }
  }
  const added = upload.contactsAdded
  if (upload.activitiesNotCompleted) {
    return {
      id: 'upload_finished',
      result: 'note',
      title,
      message: `The upload finished and added ${formatCount(added)} contact${added === 1 ? '' : 's'} to “${upload.listName}”, but ${upload.activitiesNotCompleted} of its imports didn’t complete, so some contacts of this group may not be on the list. The upload report lists them.`,
    }
  }
  return {
    id: 'upload_finished',
    result: added === 0 ? 'note' : 'ok',
    title,
    message:
      added === 0
        ? `The upload finished, but it added no contacts to “${upload.listName}”.`
        : `The upload finished and added ${formatCount(added)} contact${added === 1 ? '' : 's'} to “${upload.listName}”.`,
  }
}
