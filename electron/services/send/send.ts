/**
 * Sending one group's campaign, exactly once:
 *
 *   lock the job → settle any interrupted attempt with Constant Contact → refuse if this job already
 *   sent to the group → run the checks → journal the intent (fsync) → GET the email, set only its
 *   lists, PUT it back → POST the schedule → journal the answer (fsync) → unlock.
 *
 * If the answer to the schedule call is lost, Constant Contact's record decides at once; if the
 * process dies, the next call (or `sendState`) decides before anything else. A schedule is never
 * posted while an earlier attempt is undecided.
 */
import { UserFacingError } from '../../../shared/errors'
import type { CcClient } from '../constant-contact/client'
import { ConstantContactError } from '../constant-contact/errors'
import type { EmailCampaignActivity } from '../constant-contact/types'
import { normalStatus } from './campaigns'
import {
  appendEntry,
  attemptOutcome,
  attemptsByGroup,
  copyRecords,
  newAttemptId,
  readJournal,
  type AttemptRecord,
  type IntentEntry,
} from './journal'
import { withJobLock } from '../jobs/job-lock'
import { badWhenError, whenInPastError } from './messages'
import { addressedOnlyTo, preflight } from './preflight'
import { confirmationFrom, judgeAttempt, readLiveEmail } from './reconcile'
import { refreshJobState, stateFromRecords } from './state'
import type { UploadOutcomeSource } from './upload-outcome'
import type { SendRequest, SendResult, SendWhen } from '../../../shared/send/schemas'

/** Points in a send, in order, for progress display (and for tests that stop the process there). */
export type SendStep = 'locked' | 'checked' | 'intent_written' | 'lists_set' | 'schedule_answered' | 'result_written'

export type { SendRequest }

export interface SendOptions {
  uploads: UploadOutcomeSource
  /** How long to wait while another window sends this job (default 0: refuse at once with `send_busy`). */
  lockWaitMs?: number
  onStep?: (step: SendStep) => void
  /** The clock, for "is this time in the future" (tests). */
  now?: () => Date
}

/** The date-time to send to Constant Contact: `"0"` for now, otherwise UTC ISO-8601. */
export function scheduleDateFor(when: SendWhen, now: Date = new Date()): { when: SendWhen; scheduledDate: string } {
  if (when === 'now') return { when: 'now', scheduledDate: '0' }
  const date = parseWhen(when)
  if (Number.isNaN(date.getTime())) throw badWhenError(String(when))
  if (date.getTime() <= now.getTime()) throw whenInPastError()
  const utc = date.toISOString()
  return { when: utc, scheduledDate: utc }
}

function parseWhen(value: string): Date {
  // A date-time without a zone would be read in this computer's zone silently; ask for one.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value.trim()))
    return new Date(Number.NaN)
  return new Date(value.trim())
}

export async function send(
  jobDir: string,
  client: CcClient,
  request: SendRequest,
  options: SendOptions,
): Promise<SendResult> {
  const { group, campaignId } = request
  const { when, scheduledDate } = scheduleDateFor(request.when, options.now?.() ?? new Date())
  const step = options.onStep ?? (() => {})

  return withJobLock(jobDir, 'send', { waitMs: options.lockWaitMs ?? 0, purpose: 'send' }, async () => {
    step('locked')
    // Whatever happened before (a crash, a lost answer, a schedule that went out), find out first.
    await refreshJobState(jobDir, client)
    const attempts = attemptsByGroup(readJournal(jobDir))
    const done = alreadySent(attempts[group].at(-1), campaignId)
    if (done) return { state: stateFromRecords(group, attempts[group]), alreadyDone: true }

    const checks = await preflight(jobDir, client, group, campaignId, { uploads: options.uploads })
    step('checked')
    if (!checks.canSend) throw checksFailedError(checks.checks)
    const list = checks.list!

    const activityId = checks.campaign.activityId
    const activity = await client.getEmailCampaignActivity(activityId)
    const history = await client.getSendHistory(activityId)
    const attempt = newAttemptId()
    const copyOf = copyRecords(readJournal(jobDir)).find((c) => c.created?.campaignId === campaignId)?.intent.original
    const intent = appendEntry(jobDir, {
      type: 'intent',
      attempt,
      group,
      campaignId,
      campaignName: checks.campaign.name,
      activityId,
      listId: list.listId,
      listName: list.listName,
      ...(list.membersNow !== undefined ? { contacts: list.membersNow } : {}),
      when,
      before: {
        status: normalStatus(activity.current_status),
        sendIds: history.map((h) => h.send_id).filter((id): id is number => id !== undefined),
      },
      replaced: checks.replaces.length ? checks.replaces : carriedOverReplaced(attempts[group].at(-1), campaignId),
      ...(copyOf ? { copyOf } : {}),
    })
    step('intent_written')

    // Already addressed to the list and nobody else: nothing to change (and Constant Contact refuses
    // to change a sent email of most formats, or one whose last send failed).
    if (!addressedOnlyTo(checks.campaign.recipients, list.listId)) {
      try {
        await client.updateEmailCampaignActivity(activityId, withOnlyList(activity, list.listId))
      } catch (error) {
        refuse(jobDir, attempt, error)
        throw error
      }
    }
    step('lists_set')

    let answer: unknown
    try {
      answer = await client.scheduleEmailCampaignActivity(activityId, scheduledDate)
    } catch (error) {
      if (error instanceof ConstantContactError && error.code !== 'cc_outcome_unknown') {
        refuse(jobDir, attempt, error)
        throw error
      }
      // The answer was lost: Constant Contact's record says whether it arrived.
      const judgement = judgeAttempt(intent, await readLiveEmail(client, activityId))
      appendEntry(jobDir, { type: 'checked', attempt, ...judgement })
      if (judgement.found === 'not_sent') throw notReachedError(checks.campaign.name)
      return { state: stateFromRecords(group, attemptsByGroup(readJournal(jobDir))[group]), alreadyDone: false }
    }
    step('schedule_answered')
    const scheduledFor = Array.isArray(answer)
      ? (answer as Array<{ scheduled_date?: string }>).find((s) => s.scheduled_date)?.scheduled_date
      : undefined
    appendEntry(jobDir, {
      type: 'accepted',
      attempt,
      ...(when !== 'now' ? { scheduledFor: scheduledFor ?? when } : {}),
      confirmation: confirmationFrom(undefined, 'answer', answer),
    })
    step('result_written')
    // A send-now shows in Constant Contact's send record at once; pick it up for the confirmation.
    await refreshJobState(jobDir, client)
    return { state: stateFromRecords(group, attemptsByGroup(readJournal(jobDir))[group]), alreadyDone: false }
  })
}

/** The activity as Constant Contact returned it, addressed to `listId` only (segments dropped). */
function withOnlyList(activity: EmailCampaignActivity, listId: string): EmailCampaignActivity {
  const { segment_ids: _segments, ...rest } = activity
  return { ...rest, contact_list_ids: [listId] }
}

/** The group's latest attempt if it already sent (or is sending) this campaign; another campaign is refused. */
function alreadySent(latest: AttemptRecord | undefined, campaignId: string): boolean {
  if (latest && attemptOutcome(latest) === 'unclear')
    throw new UserFacingError(
      'send_unclear',
      latest.unclear?.reason ?? latest.checked?.reason ?? 'Splitsend can’t tell whether this job’s send went out.',
      'Check the campaign’s sends in Constant Contact, then tell Splitsend whether it was this job’s send. Nothing is sent to this group until then.',
    )
  if (!latest || attemptOutcome(latest) !== 'accepted') return false
  if (latest.intent.campaignId === campaignId) return true
  throw new UserFacingError(
    'send_already_done_for_group',
    `This job already sent “${latest.intent.campaignName}” to this group${latest.intent.when === 'now' ? '' : ` (scheduled for ${latest.intent.when})`}.`,
    'Splitsend sends one campaign per group per job. To send something else, cancel the scheduled send first (if it hasn’t gone out), or start a new job.',
  )
}

/**
 * An attempt stopped after it had set the lists but before it sent leaves the campaign addressed to
 * the group's list already; what it replaced is still worth reporting.
 */
function carriedOverReplaced(previous: AttemptRecord | undefined, campaignId: string): IntentEntry['replaced'] {
  return previous && previous.intent.campaignId === campaignId && attemptOutcome(previous) === 'not_sent'
    ? previous.intent.replaced
    : []
}

function refuse(jobDir: string, attempt: string, error: unknown): void {
  const message = error instanceof UserFacingError ? error.message : 'The send failed.'
  const code = error instanceof UserFacingError ? error.code : 'unexpected'
  appendEntry(jobDir, { type: 'refused', attempt, code, message })
}

function checksFailedError(checks: ReadonlyArray<{ result: string; message: string; hint?: string }>): UserFacingError {
  const blocked = checks.filter((c) => c.result === 'blocked')
  return new UserFacingError(
    'send_checks_failed',
    blocked.map((c) => c.message).join(' '),
    blocked
      .map((c) => c.hint)
      .filter(Boolean)
      .join(' ') || 'Fix this, then check again.',
  )
}

function notReachedError(name: string): UserFacingError {
  return new UserFacingError(
    'send_not_reached',
    `The connection broke while asking Constant Contact to send “${name}”. Splitsend checked: Constant Contact didn’t get the request, so nothing was sent.`,
    'Try again when the connection is back. Nothing will be sent twice.',
  )
}
