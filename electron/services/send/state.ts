/**
 * Where each group's send stands, for the UI, the command and the report. Built from the journal;
 * with a Constant Contact client it first settles interrupted attempts and follows scheduled sends,
 * so "checking", "scheduled" and "sent" reflect Constant Contact's own record.
 */
import type { CcClient } from '../constant-contact/client'
import { UserFacingError } from '../../../shared/errors'
import { GROUP_KEYS, type GroupKey } from '../../../shared/ids'
import { acquireJobLock } from '../jobs/job-lock'
import { attemptOutcome, attemptsByGroup, readJournal, type AttemptRecord } from './journal'
import { followAcceptedAttempt, settleUndecidedAttempts } from './reconcile'
import type { GroupSendState } from '../../../shared/send/schemas'

const UNCLEAR_QUESTION =
  'Check the campaign’s sends in Constant Contact, then tell Splitsend whether it was this job’s send. Nothing more is sent to this group until then.'

/** The state of one group from its journal records alone. */
export function stateFromRecords(group: GroupKey, attempts: readonly AttemptRecord[]): GroupSendState {
  const latest = attempts.at(-1)
  if (!latest) return { group, phase: 'not_sent', canUnschedule: false }
  const { intent } = latest
  const base = {
    group,
    campaignId: intent.campaignId,
    campaignName: intent.campaignName,
    activityId: intent.activityId,
    listId: intent.listId,
    listName: intent.listName,
    ...(intent.contacts !== undefined ? { contacts: intent.contacts } : {}),
    when: intent.when,
    ...(intent.copyOf ? { copyOf: intent.copyOf } : {}),
  }
  const outcome = attemptOutcome(latest)
  if (outcome === 'unknown') return { ...base, phase: 'checking', canUnschedule: false }
  if (outcome === 'unclear') {
    const reason = latest.unclear?.reason ?? latest.checked?.reason ?? ''
    return { ...base, phase: 'unclear', canUnschedule: false, lastProblem: `${reason} ${UNCLEAR_QUESTION}`.trim() }
  }
  if (outcome === 'cancelled') {
    return {
      ...base,
      phase: 'not_sent',
      canUnschedule: false,
      lastProblem:
        latest.unscheduled?.by === 'app'
          ? `The scheduled send of “${intent.campaignName}” was cancelled.`
          : `“${intent.campaignName}” is no longer scheduled in Constant Contact (it was cancelled there), and it didn’t go out.`,
    }
  }
  if (outcome === 'not_sent') {
    return {
      ...base,
      phase: 'not_sent',
      canUnschedule: false,
      lastProblem: latest.resolved
        ? `You said the send of “${intent.campaignName}” Constant Contact showed was not this job’s, so nothing is recorded as sent to this group.`
        : latest.refused
          ? latest.refused.message
          : `The last try to send “${intent.campaignName}” didn’t reach Constant Contact (Splitsend checked), so nothing was sent.`,
    }
  }
  const confirmation = latest.wentOut?.confirmation ?? latest.checked?.confirmation ?? latest.accepted?.confirmation
  const scheduledFor =
    latest.accepted?.scheduledFor ?? latest.checked?.scheduledFor ?? (intent.when === 'now' ? undefined : intent.when)
  const acceptedAt = latest.accepted?.at ?? latest.checked?.at
  const sentAt =
    latest.wentOut?.confirmation.runDate ??
    (confirmation?.runDate && confirmation.sendId !== undefined ? confirmation.runDate : undefined)
  // The person said an unclear send was this job's: it went out.
  const hasGoneOut = !!latest.wentOut || confirmation?.sendId !== undefined || latest.resolved?.answer === 'sent'
  const phase = hasGoneOut ? 'sent' : intent.when === 'now' ? 'sending' : 'scheduled'
  return {
    ...base,
    phase,
    ...(scheduledFor ? { scheduledFor } : {}),
    ...(acceptedAt ? { acceptedAt } : {}),
    ...(sentAt ? { sentAt } : {}),
    ...(confirmation ? { confirmation } : {}),
    canUnschedule: phase === 'scheduled',
  }
}

/** Every group's state from the journal alone (no network). */
export function journalSendState(jobDir: string): GroupSendState[] {
  const groups = attemptsByGroup(readJournal(jobDir))
  return GROUP_KEYS.map((g) => stateFromRecords(g, groups[g]))
}

/**
 * Every group's state, checked with Constant Contact. While another window is sending, groups whose
 * send is undecided show `in_progress` instead of being checked.
 */
export async function sendState(jobDir: string, client: CcClient): Promise<GroupSendState[]> {
  let lock
  try {
    lock = await acquireJobLock(jobDir, 'send', { purpose: 'state' })
  } catch (error) {
    if (error instanceof UserFacingError && error.code === 'send_busy') {
      return journalSendState(jobDir).map((s) =>
        s.phase === 'checking' || s.phase === 'not_sent' ? { ...s, phase: 'in_progress' } : s,
      )
    }
    throw error
  }
  try {
    await refreshJobState(jobDir, client)
  } finally {
    lock.release()
  }
  return journalSendState(jobDir)
}

/** Settles interrupted attempts and follows accepted ones. Call with the job lock held. */
export async function refreshJobState(jobDir: string, client: CcClient): Promise<void> {
  await settleUndecidedAttempts(jobDir, client)
  const groups = attemptsByGroup(readJournal(jobDir))
  for (const g of GROUP_KEYS) {
    const latest = groups[g].at(-1)
    if (latest) await followAcceptedAttempt(jobDir, client, latest)
  }
}
