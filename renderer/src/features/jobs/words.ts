/** How a job stands, in the words the Jobs view uses. */
import { countOf, when } from '../../common/words'
import type { Job, JobGroup } from './types'

export interface Standing {
  /** A few words for the badge. */
  label: string
  color: string
  /** One sentence about the upload's outcome. */
  sentence: string
}

export function standingOf(job: Job): Standing {
  const { upload } = job
  if (job.damaged)
    return {
      label: 'Record damaged',
      color: 'red',
      sentence: `${job.damaged.message} ${job.damaged.hint ?? ''}`.trim(),
    }
  const progress = `${upload.activitiesFinished} of ${countOf(upload.activitiesTotal, 'import')} finished`
  switch (upload.state) {
    case 'not_started':
      return { label: 'Prepared', color: 'gray', sentence: 'Prepared, not uploaded yet.' }
    case 'running':
      return { label: 'Uploading now', color: 'blue', sentence: `Uploading now: ${progress}.` }
    case 'paused':
      return { label: 'Upload paused', color: 'yellow', sentence: `You paused the upload: ${progress}.` }
    case 'elsewhere':
      return {
        label: 'Uploading elsewhere',
        color: 'blue',
        sentence: 'Another Splitsend window (or the splitsend command) is uploading it now.',
      }
    case 'interrupted':
      return {
        label: 'Upload not finished',
        color: 'orange',
        sentence: `Splitsend was closed during the upload: ${progress}. Continue it where it stopped.`,
      }
    case 'stopped':
      return {
        label: 'Upload stopped',
        color: 'red',
        sentence: `The upload stopped: ${upload.error?.message ?? 'a problem came up.'} ${progress}.`,
      }
    case 'cancelled':
      return { label: 'Upload cancelled', color: 'gray', sentence: `You cancelled the upload: ${progress}.` }
    case 'finished':
      return finishedStanding(job)
  }
}

function finishedStanding(job: Job): Standing {
  const { added, notAdded } = job.upload
  const sentence =
    notAdded > 0
      ? `${countOf(added, 'contact')} added to their lists; Constant Contact did not add ${countOf(notAdded, 'contact')}.`
      : `All ${countOf(added, 'contact')} added to their lists.`
  const uploaded = job.groups.filter((g) => g.list !== undefined)
  const sent = uploaded.filter((g) => g.send !== 'not_sent')
  if (uploaded.length > 0 && sent.length === uploaded.length)
    return { label: sent.every((g) => g.send === 'scheduled') ? 'Scheduled' : 'Sent', color: 'green', sentence }
  if (sent.length > 0) return { label: 'Partly sent', color: 'teal', sentence }
  return { label: notAdded > 0 ? 'Uploaded, some not added' : 'Uploaded', color: 'teal', sentence }
}

/** What was sent to a group: "Spring update, sent 3 May 2026, 10:04". */
export function sendWords(group: JobGroup): string {
  if (group.list === undefined) return 'Not uploaded'
  // Only a damaged record of sends leaves a group unclear without a campaign (see JobView.damaged).
  if (!group.campaign && group.send === 'unclear') return 'Unknown: the record of sends can’t be read'
  if (!group.campaign || group.send === 'not_sent') return 'Not sent'
  switch (group.send) {
    case 'sent':
      return `${group.campaign}, sent${group.sentAt ? ` ${when(group.sentAt)}` : ''}`
    case 'scheduled':
      return `${group.campaign}, scheduled${group.scheduledFor ? ` for ${when(group.scheduledFor)}` : ''}`
    case 'sending':
      return `${group.campaign}, sending`
    default:
      return `${group.campaign}, being checked`
  }
}

/** The "Continue" button's words for where the job is. */
export function continueWords(job: Job): string | null {
  if (job.next === 'report') return null
  if (job.next === 'send') return 'Continue: send the messages'
  switch (job.upload.state) {
    case 'not_started':
      return 'Continue: choose the lists'
    case 'running':
    case 'paused':
    case 'elsewhere':
      return 'Watch the upload'
    default:
      return 'Continue the upload'
  }
}
