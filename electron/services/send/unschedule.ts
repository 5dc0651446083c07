/**
 * Cancelling a scheduled send, until it goes out. The journal records the cancellation, after which
 * the group can be sent again (now or at another time).
 */
import { UserFacingError } from '../../../shared/errors'
import type { CcClient } from '../constant-contact/client'
import { appendEntry, attemptOutcome, attemptsByGroup, readJournal } from './journal'
import { withJobLock } from '../jobs/job-lock'
import { confirmationFrom, newSends, readLiveEmail } from './reconcile'
import { refreshJobState, stateFromRecords } from './state'
import { latestSend } from './campaigns'
import type { GroupKey } from '../../../shared/ids'
import type { GroupSendState } from '../../../shared/send/schemas'

export interface UnscheduleOptions {
  lockWaitMs?: number
}

export async function unschedule(
  jobDir: string,
  client: CcClient,
  group: GroupKey,
  options: UnscheduleOptions = {},
): Promise<GroupSendState> {
  return withJobLock(jobDir, 'send', { waitMs: options.lockWaitMs ?? 0, purpose: 'unschedule' }, async () => {
    await refreshJobState(jobDir, client)
    const latest = attemptsByGroup(readJournal(jobDir))[group].at(-1)
    const current = stateFromRecords(group, latest ? [latest] : [])
    if (!latest || attemptOutcome(latest) !== 'accepted' || current.phase !== 'scheduled') {
      throw new UserFacingError(
        'nothing_to_unschedule',
        current.phase === 'sent' || current.phase === 'sending'
          ? `“${current.campaignName}” has already gone out, so it can’t be cancelled.`
          : 'There is no scheduled send for this group to cancel.',
        current.phase === 'sent' || current.phase === 'sending'
          ? undefined
          : 'Nothing was scheduled, so nothing needs cancelling.',
      )
    }
    const activityId = latest.intent.activityId
    const live = await readLiveEmail(client, activityId)
    if (live.status === 'SCHEDULED' || live.schedules.length > 0) {
      await client.unscheduleEmailCampaignActivity(activityId)
      appendEntry(jobDir, { type: 'unscheduled', attempt: latest.intent.attempt, by: 'app' })
    } else {
      // It went out between the state check and now: record that instead.
      const fresh = newSends(latest.intent, live)
      if (fresh.length > 0) {
        appendEntry(jobDir, {
          type: 'went_out',
          attempt: latest.intent.attempt,
          confirmation: confirmationFrom(latestSend(fresh), 'answer'),
        })
        throw new UserFacingError(
          'nothing_to_unschedule',
          `“${latest.intent.campaignName}” has already gone out, so it can’t be cancelled.`,
        )
      }
      appendEntry(jobDir, { type: 'unscheduled', attempt: latest.intent.attempt, by: 'elsewhere' })
    }
    return stateFromRecords(group, attemptsByGroup(readJournal(jobDir))[group])
  })
}

/**
 * The person's answer when Constant Contact shows a send that can't be told apart from this job's
 * (phase `unclear`): `sent` — it was this job's send, record it so; `not_sent` — it wasn't, so
 * nothing is recorded as sent to the group (it may then be sent again).
 */
export async function resolveUnclearSend(
  jobDir: string,
  group: GroupKey,
  answer: 'sent' | 'not_sent',
  options: UnscheduleOptions = {},
): Promise<GroupSendState> {
  return withJobLock(jobDir, 'send', { waitMs: options.lockWaitMs ?? 0, purpose: 'resolve' }, async () => {
    const latest = attemptsByGroup(readJournal(jobDir))[group].at(-1)
    if (!latest || attemptOutcome(latest) !== 'unclear')
      throw new UserFacingError(
        'nothing_to_resolve',
        'There is no unclear send for this group.',
        'Nothing needs answering: the group’s send state is known.',
      )
    appendEntry(jobDir, { type: 'resolved', attempt: latest.intent.attempt, answer })
    return stateFromRecords(group, attemptsByGroup(readJournal(jobDir))[group])
  })
}
