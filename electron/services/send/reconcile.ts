/**
 * Constant Contact is the truth about a send. Whenever the journal can't say how an attempt ended
 * (the app stopped between the intent and the answer, or the answer was lost), these read the
 * email's status, schedules and send record and decide — before anything else is done.
 */
import type { CcClient } from '../constant-contact/client'
import type { EmailSchedule, EmailSendRecord } from '../constant-contact/types'
import { latestSend, normalStatus } from './campaigns'
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
}

export async function readLiveEmail(client: CcClient, activityId: string): Promise<LiveEmail> {
  const [activity, schedules, history] = await Promise.all([
    client.getEmailCampaignActivity(activityId),
    client.getEmailSchedules(activityId),
    client.getSendHistory(activityId),
  ])
  return { status: normalStatus(activity.current_status), schedules, history }
}

/** Sends in the record that weren't there when the attempt began. */
export function newSends(intent: IntentEntry, live: LiveEmail): EmailSendRecord[] {
  const before = new Set(intent.before.sendIds)
  return live.history.filter((h) => h.send_id === undefined || !before.has(h.send_id))
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
  found: 'went_through' | 'not_sent'
  status: EmailStatus
  scheduledFor?: string
  confirmation?: SendConfirmation
}

/**
 * Did the attempt reach Constant Contact? Yes when the email is scheduled or being sent now, when
 * its send record has a send that wasn't there before, or when it became DONE since. Otherwise no:
 * nothing about it changed, so the schedule call never arrived.
 */
export function judgeAttempt(intent: IntentEntry, live: LiveEmail): Judgement {
  const fresh = newSends(intent, live)
  const scheduledFor = live.schedules.find((s) => s.scheduled_date)?.scheduled_date
  const wentThrough =
    fresh.length > 0 ||
    live.status === 'SCHEDULED' ||
    !!scheduledFor ||
    live.status === 'EXECUTING' ||
    (live.status === 'DONE' && intent.before.status !== 'DONE')
  if (!wentThrough) return { found: 'not_sent', status: live.status }
  return {
    found: 'went_through',
    status: live.status,
    ...(scheduledFor ? { scheduledFor } : {}),
    confirmation: confirmationFrom(latestSend(fresh), 'checked_after_interruption'),
  }
}

/** Checks one undecided attempt with Constant Contact and writes down what it found. Call with the job lock held. */
export async function settleAttempt(jobDir: string, client: CcClient, record: AttemptRecord): Promise<void> {
  const live = await readLiveEmail(client, record.intent.activityId)
  const judgement = judgeAttempt(record.intent, live)
  appendEntry(jobDir, {
    type: 'checked',
    attempt: record.intent.attempt,
    found: judgement.found,
    status: judgement.status,
    ...(judgement.scheduledFor ? { scheduledFor: judgement.scheduledFor } : {}),
    ...(judgement.confirmation ? { confirmation: judgement.confirmation } : {}),
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
 * Brings an accepted attempt up to date: a schedule that has since gone out gets its send record,
 * and a schedule Constant Contact no longer has (cancelled there) is written down as cancelled.
 * Call with the job lock held.
 */
export async function followAcceptedAttempt(jobDir: string, client: CcClient, record: AttemptRecord): Promise<void> {
  if (attemptOutcome(record) !== 'accepted' || record.wentOut) return
  const live = await readLiveEmail(client, record.intent.activityId)
  const fresh = newSends(record.intent, live)
  if (fresh.length > 0) {
    appendEntry(jobDir, {
      type: 'went_out',
      attempt: record.intent.attempt,
      confirmation: confirmationFrom(latestSend(fresh), 'answer', record.accepted?.confirmation.scheduleAnswer),
    })
    return
  }
  const stillPending = live.status === 'SCHEDULED' || live.status === 'EXECUTING' || live.schedules.length > 0
  const sentNowWithoutRecord = record.intent.when === 'now' && live.status === 'DONE'
  if (!stillPending && !sentNowWithoutRecord)
    appendEntry(jobDir, { type: 'unscheduled', attempt: record.intent.attempt, by: 'elsewhere' })
}
