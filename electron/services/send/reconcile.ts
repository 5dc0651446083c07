/**
 * Constant Contact is the truth about a send. Whenever the journal can't say how an attempt ended
 * (the app stopped between the intent and the answer, or the answer was lost), these read the
 * email's status, schedules and send record and decide — before anything else is done.
 */
import type { CcClient } from '../constant-contact/client'
import type { EmailSchedule, EmailSendRecord } from '../constant-contact/types'
import { CLOCK_MARGIN_MS } from '../constant-contact/lost-requests'
import { normalStatus } from './campaigns'
import {
  appendEntry,
  attemptOutcome,
  attemptsByGroup,
  readJournal,
  type AttemptRecord,
  type IntentEntry,
} from './journal'
import type { EmailStatus, SendConfirmation } from '../../../shared/send/schemas'

/** What Constant Contact says about an email right now. */
export interface LiveEmail {
  status: EmailStatus
  schedules: EmailSchedule[]
  history: EmailSendRecord[]
  /** The lists the email is addressed to now. */
  listIds: string[]
}

export async function readLiveEmail(client: CcClient, activityId: string): Promise<LiveEmail> {
  const [activity, schedules, history] = await Promise.all([
    client.getEmailCampaignActivity(activityId),
    client.getEmailSchedules(activityId),
    client.getSendHistory(activityId),
  ])
  return {
    status: normalStatus(activity.current_status),
    schedules,
    history,
    listIds: [...(activity.contact_list_ids ?? [])],
  }
}

/** Sends in the record that weren't there when the attempt began. */
export function newSends(intent: IntentEntry, live: LiveEmail): EmailSendRecord[] {
  const before = new Set(intent.before.sendIds)
  return live.history.filter((h) => h.send_id === undefined || !before.has(h.send_id))
}

/**
 * The new sends that can be this attempt's: to the group's list, at the attempt's time — for a
 * send now, between its intent and now; for a scheduled send, at the time this job scheduled (give
 * or take the clocks' margin). Another job's send of the same campaign (to its own list, or at its
 * own time) is never counted as this one's.
 */
function sendsOfAttempt(intent: IntentEntry, live: LiveEmail, now: number = Date.now()): EmailSendRecord[] {
  return newSends(intent, live).filter((h) => {
    if (!(h.contact_list_ids ?? []).includes(intent.listId)) return false
    const ran = Date.parse(h.run_date ?? '')
    if (Number.isNaN(ran)) return false
    if (intent.when === 'now') return ran >= Date.parse(intent.at) - CLOCK_MARGIN_MS && ran <= now + CLOCK_MARGIN_MS
    return Math.abs(ran - Date.parse(intent.when)) <= CLOCK_MARGIN_MS
  })
}

/** New sends that are not this attempt's, but went to the group's list: another send the attempt can't be told from. */
function otherSendsToTheList(
  intent: IntentEntry,
  live: LiveEmail,
  mine: readonly EmailSendRecord[],
): EmailSendRecord[] {
  return newSends(intent, live).filter((h) => !mine.includes(h) && (h.contact_list_ids ?? []).includes(intent.listId))
}

/** Whether the email is addressed to the attempt's list and nobody else. */
function addressedToTheList(intent: IntentEntry, live: LiveEmail): boolean {
  return live.listIds.length === 1 && live.listIds[0] === intent.listId
}

/** Whether Constant Contact holds this attempt's own schedule (the time this job asked for). */
function holdsTheSchedule(intent: IntentEntry, live: LiveEmail): boolean {
  if (intent.when === 'now') return false
  const wanted = Date.parse(intent.when)
  return live.schedules.some((s) => Date.parse(s.scheduled_date ?? '') === wanted)
}

export function confirmationFrom(
  record: EmailSendRecord | undefined,
  source: SendConfirmation['source'],
  answer?: unknown,
): SendConfirmation {
  return {
    source,
    ...(answer !== undefined ? { scheduleAnswer: answer } : {}),
    ...(record?.send_id !== undefined ? { sendId: record.send_id } : {}),
    ...(record?.count !== undefined ? { count: record.count } : {}),
    ...(record?.run_date ? { runDate: record.run_date } : {}),
    ...(record?.send_status ? { sendStatus: record.send_status } : {}),
  }
}

export interface Judgement {
  /** `unclear`: something happened to the email that can't be told apart from this attempt: ask. */
  found: 'went_through' | 'not_sent' | 'unclear'
  status: EmailStatus
  scheduledFor?: string
  confirmation?: SendConfirmation
  /** Why it is unclear, in plain words. */
  reason?: string
}

/**
 * Did the attempt reach Constant Contact? Yes when the send record has a new send that is this
 * attempt's (to the group's list, at its time: see sendsOfAttempt), when Constant Contact holds the
 * schedule this job asked for, or when the email is being (or was just) sent now to the group's
 * list alone. No when nothing about the email changed in that way. Anything else — a send to the
 * group's list at another time, two that could be it, another schedule — can't be told apart:
 * unclear, and the person is asked; it is never taken as this job's send.
 */
export function judgeAttempt(intent: IntentEntry, live: LiveEmail, now: number = Date.now()): Judgement {
  const mine = sendsOfAttempt(intent, live, now)
  const scheduledFor = live.schedules.find((s) => s.scheduled_date)?.scheduled_date
  const base = { status: live.status }
  if (mine.length > 1) return { ...base, found: 'unclear', reason: severalSends(intent, mine) }
  if (mine.length === 1)
    return { ...base, found: 'went_through', confirmation: confirmationFrom(mine[0], 'checked_after_interruption') }
  if (holdsTheSchedule(intent, live) && addressedToTheList(intent, live))
    return {
      ...base,
      found: 'went_through',
      ...(scheduledFor ? { scheduledFor } : {}),
      confirmation: { source: 'checked_after_interruption' },
    }
  const sendingNow =
    intent.when === 'now' &&
    addressedToTheList(intent, live) &&
    (live.status === 'EXECUTING' || (live.status === 'DONE' && intent.before.status !== 'DONE'))
  if (sendingNow) return { ...base, found: 'went_through', confirmation: { source: 'checked_after_interruption' } }
  const others = otherSendsToTheList(intent, live, mine)
  if (others.length) return { ...base, found: 'unclear', reason: sentAtAnotherTime(intent, others) }
  // Scheduled, or being sent, to the group's list — but not as this attempt asked.
  const pending = !!scheduledFor || live.status === 'SCHEDULED' || live.status === 'EXECUTING'
  if (pending && addressedToTheList(intent, live))
    return { ...base, found: 'unclear', reason: scheduledOtherwise(intent, scheduledFor) }
  return { ...base, found: 'not_sent' }
}

function severalSends(intent: IntentEntry, sends: readonly EmailSendRecord[]): string {
  return `Constant Contact’s record shows ${sends.length} sends of “${intent.campaignName}” to the list “${intent.listName}” at the time this job sent it (${sends.map((h) => h.run_date).join(', ')}), and Splitsend can’t tell which was this job’s.`
}

function sentAtAnotherTime(intent: IntentEntry, sends: readonly EmailSendRecord[]): string {
  return `Constant Contact’s record shows “${intent.campaignName}” went to the list “${intent.listName}” at ${sends.map((h) => h.run_date).join(', ')}, which is not when this job ${intent.when === 'now' ? 'sent it' : `scheduled it (${intent.when})`}: it may have been sent from somewhere else.`
}

function scheduledOtherwise(intent: IntentEntry, scheduledFor: string | undefined): string {
  return `“${intent.campaignName}” is ${scheduledFor ? `scheduled in Constant Contact for ${scheduledFor}` : 'being sent by Constant Contact'}, which is not the send this job asked for${intent.when === 'now' ? '' : ` (${intent.when})`}: it may have been scheduled or changed from somewhere else.`
}

/** Checks one undecided attempt with Constant Contact and writes down what it found. Call with the job lock held. */
async function settleAttempt(jobDir: string, client: CcClient, record: AttemptRecord): Promise<void> {
  const live = await readLiveEmail(client, record.intent.activityId)
  const judgement = judgeAttempt(record.intent, live)
  appendEntry(jobDir, {
    type: 'checked',
    attempt: record.intent.attempt,
    found: judgement.found,
    status: judgement.status,
    ...(judgement.scheduledFor ? { scheduledFor: judgement.scheduledFor } : {}),
    ...(judgement.confirmation ? { confirmation: judgement.confirmation } : {}),
    ...(judgement.reason ? { reason: judgement.reason } : {}),
  })
}

/** Settles every undecided attempt of the job. Call with the job lock held. */
export async function settleUndecidedAttempts(jobDir: string, client: CcClient): Promise<void> {
  const groups = attemptsByGroup(readJournal(jobDir))
  for (const record of [...groups['0'], ...groups['1']]) {
    if (attemptOutcome(record) === 'unknown') await settleAttempt(jobDir, client, record)
  }
}

/**
 * Brings an accepted attempt up to date: a send of this attempt's in the record (to the group's
 * list, at its time) is written down as gone out; a schedule Constant Contact no longer has, with
 * no such send, as cancelled there. A send to the group's list at another time, or the email
 * scheduled to it otherwise, can't be told apart from this job's send: it is written down as
 * unclear and the person is asked — never counted as this job's send. Call with the job lock held.
 */
export async function followAcceptedAttempt(
  jobDir: string,
  client: CcClient,
  record: AttemptRecord,
  now: number = Date.now(),
): Promise<void> {
  if (attemptOutcome(record) !== 'accepted' || record.wentOut || record.resolved) return
  const { intent } = record
  const live = await readLiveEmail(client, intent.activityId)
  const mine = sendsOfAttempt(intent, live, now)
  const unclear = (reason: string) => appendEntry(jobDir, { type: 'unclear', attempt: intent.attempt, reason })
  if (mine.length > 1) return void unclear(severalSends(intent, mine))
  if (mine.length === 1) {
    appendEntry(jobDir, {
      type: 'went_out',
      attempt: intent.attempt,
      confirmation: confirmationFrom(mine[0], 'answer', record.accepted?.confirmation.scheduleAnswer),
    })
    return
  }
  const others = otherSendsToTheList(intent, live, mine)
  if (others.length) return void unclear(sentAtAnotherTime(intent, others))
  // A send now can't be cancelled: its record may simply not be there yet.
  if (intent.when === 'now' || holdsTheSchedule(intent, live)) return
  const scheduledFor = live.schedules.find((s) => s.scheduled_date)?.scheduled_date
  const pending = !!scheduledFor || live.status === 'SCHEDULED' || live.status === 'EXECUTING'
  if (pending && addressedToTheList(intent, live)) {
    // Being sent at the time this job asked: the record follows.
    const due = now >= Date.parse(intent.when) - CLOCK_MARGIN_MS
    if (live.status === 'EXECUTING' && due && !scheduledFor) return
    return void unclear(scheduledOtherwise(intent, scheduledFor))
  }
  appendEntry(jobDir, { type: 'unscheduled', attempt: intent.attempt, by: 'elsewhere' })
}
