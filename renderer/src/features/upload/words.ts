/**
 * The words the Upload and Report screens use for the engine's values, so no code value
 * ("timed_out", "cc_daily_limit") reaches the person and every screen says the same thing.
 */
import type { GroupKey } from '../../../../shared/ids'
import type { ActivityProgress, UploadPlan, UploadProgress, UploadResult } from './types'
import { countOf, formatCount } from '../../common/words'

/** An activity's state, in words. */
export const ACTIVITY_STATE_WORDS: Record<ActivityProgress['state'], string> = {
  waiting: 'Waiting its turn',
  sending: 'Sending to Constant Contact',
  checking: 'Checking whether it arrived',
  initialized: 'Received, waiting to start',
  processing: 'Constant Contact is adding the contacts',
  completed: 'Finished',
  failed: 'Failed',
  timed_out: 'Took too long',
  cancelled: 'Cancelled',
  rejected: 'Refused by Constant Contact',
}

/** States after which Constant Contact's counts for an import are final. */
const FINISHED_STATES: ReadonlySet<ActivityProgress['state']> = new Set([
  'completed',
  'failed',
  'timed_out',
  'cancelled',
  'rejected',
])

/**
 * An import's "Added" and "Not added" cells. Until Constant Contact has finished an import, its
 * counts are of the contacts done so far, so "not added" would count the ones not yet processed:
 * it says "waiting" instead, and "added" says "so far".
 */
export function activityCounts(activity: Pick<ActivityProgress, 'state' | 'contacts' | 'counts'>): {
  added: string
  notAdded: string
} {
  const finished = FINISHED_STATES.has(activity.state)
  const added = activity.counts?.person_count
  if (!finished) return { added: added ? `${formatCount(added)} so far` : '—', notAdded: 'waiting' }
  if (activity.state === 'rejected') return { added: '0', notAdded: formatCount(activity.contacts) }
  if (added === undefined) return { added: '—', notAdded: '—' }
  return { added: formatCount(added), notAdded: formatCount(Math.max(0, activity.contacts - added)) }
}

/** "about 3 minutes", "less than a minute", "about 2 hours 10 minutes". */
export function roughDuration(seconds: number): string {
  if (seconds < 60) return 'less than a minute'
  const minutes = Math.round(seconds / 60)
  if (minutes < 60) return `about ${countOf(minutes, 'minute')}`
  const hours = Math.floor(minutes / 60)
  const rest = minutes % 60
  return `about ${countOf(hours, 'hour')}${rest ? ` ${countOf(rest, 'minute')}` : ''}`
}

/** "Customers who use the app, part 2 of 3" (or just the group's name when it has one activity). */
export function activityName(
  activity: Pick<ActivityProgress, 'group' | 'number'>,
  groupNames: Record<GroupKey, string>,
  activities: readonly Pick<ActivityProgress, 'group'>[],
): string {
  const ofGroup = activities.filter((a) => a.group === activity.group).length
  return ofGroup > 1
    ? `${groupNames[activity.group]}, part ${activity.number} of ${ofGroup}`
    : groupNames[activity.group]
}

/** The plan in one plain sentence per group. */
export function planSentences(plan: Pick<UploadPlan, 'groups'>): string[] {
  return plan.groups.map((g) => {
    if (g.skipped) return `“${g.groupName}” is not uploaded (you chose to leave it out).`
    const list = g.list
    const where = !list ? 'its list' : list.exists ? `the list “${list.name}”` : `a new list “${list.name}”`
    return `${countOf(g.contacts, 'contact')} from “${g.groupName}” go to ${where}, in ${countOf(g.activities, 'import')}.`
  })
}

/** How far the whole upload has got, in words. */
export function overallWords(progress: UploadProgress): string {
  const { overall } = progress
  const left =
    progress.phase === 'paused'
      ? 'paused'
      : overall.etaSeconds !== undefined && overall.fraction < 1
        ? `${roughDuration(overall.etaSeconds)} left`
        : overall.fraction >= 1
          ? 'done'
          : 'working out the time left'
  return `${formatCount(overall.contactsProcessed)} of ${countOf(overall.contactsTotal, 'contact')} processed, ${overall.activitiesFinished} of ${countOf(overall.activitiesTotal, 'import')} finished — ${left}`
}

export const PHASE_WORDS: Record<UploadProgress['phase'], string> = {
  starting: 'Starting…',
  lists: 'Finding or creating the lists…',
  custom_fields: 'Preparing the custom fields…',
  checking: 'Checking what Constant Contact already has…',
  uploading: 'Uploading…',
  paused: 'Paused.',
  stopping: 'Stopping: nothing more is sent…',
  finished: 'Finished.',
}

/** What already happened, for a cancelled or stopped upload: added / not added / not sent. */
export function sentSoFar(result: UploadResult): string {
  const parts = [`${countOf(result.contactsAdded, 'contact')} added`]
  if (result.contactsNotAdded) parts.push(`${formatCount(result.contactsNotAdded)} not added`)
  parts.push(`${formatCount(result.contactsNotSent)} not sent or not finished`)
  return `Of ${countOf(result.contactsPlanned, 'contact')}: ${parts.join(', ')}.`
}
