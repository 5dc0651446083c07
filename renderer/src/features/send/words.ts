/**
 * The Send step's words and dates as the person sees them: campaign statuses in plain words, and
 * every date in the person's own time zone (Constant Contact and the journal keep UTC).
 */
import type { GroupSendState, MoveProgress } from './types'

/** The computer's time zone, e.g. "Europe/Berlin"; what "Schedule for" times are read in. */
function timeZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'your computer’s time zone'
}

/** The zone as people know it, e.g. "Central European Standard Time (Europe/Berlin)". */
export function timeZoneLabel(at: Date = new Date()): string {
  const long = new Intl.DateTimeFormat(undefined, { timeZoneName: 'long' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value
  const zone = timeZoneName()
  return long && long !== zone ? `${long} (${zone})` : zone
}

// dateStyle/timeStyle can't be combined with timeZoneName, hence the separate fields ("Jun 1, 2099, 9:30 AM EDT").
const DATE_TIME = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
})

/** An ISO date-time in the person's zone, with the zone shown; the text as it came when it isn't a date. */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return ''
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : DATE_TIME.format(date)
}

/** Constant Contact's campaign statuses, in plain words. */
export function campaignStatusWords(status: string): string {
  switch (status.toUpperCase()) {
    case 'DRAFT':
      return 'Draft'
    case 'DONE':
    case 'SENT':
      return 'Sent before'
    case 'SCHEDULED':
      return 'Scheduled'
    case 'EXECUTING':
      return 'Sending now'
    case 'ERROR':
      return 'Had a problem last time'
    case 'REMOVED':
      return 'Deleted'
    default:
      return status
  }
}

/**
 * A value of a `datetime-local` input ("2025-06-01T09:30", in the person's zone) as UTC ISO-8601,
 * or why it can't be used.
 */
export function scheduleTimeFromLocal(value: string, now: Date = new Date()): { utc: string } | { problem: string } {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value))
    return { problem: 'Choose the date and the time to send.' }
  // Without a zone, the browser reads a date-time in the computer's own zone, which is what the person means.
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return { problem: 'Choose the date and the time to send.' }
  if (date.getTime() <= now.getTime() + 60_000)
    return { problem: 'Choose a time at least a few minutes from now, or choose “Send now”.' }
  return { utc: date.toISOString() }
}

/** A `datetime-local` value for a moment, in the person's zone (the default "Schedule for" time). */
export function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

/** One plain sentence for where a group's send stands. */
export function describeState(state: GroupSendState): string {
  const copy = state.copyOf ? ` (a copy of “${state.copyOf.campaignName}”)` : ''
  const campaign = state.campaignName ? `“${state.campaignName}”${copy}` : 'The campaign'
  const list = state.listName ? ` to the list “${state.listName}”` : ''
  switch (state.phase) {
    case 'sent':
      return `${campaign} was sent${list}${state.sentAt ? ` on ${formatDateTime(state.sentAt)}` : ''}.`
    case 'sending':
      return `Constant Contact is sending ${campaign}${list} now.`
    case 'scheduled':
      return `${campaign} is scheduled to go${list} on ${formatDateTime(state.scheduledFor ?? state.when)}.`
    case 'checking':
      return `Splitsend asked Constant Contact to send ${campaign}${list}, and is checking whether it did. Nothing will be sent twice.`
    case 'in_progress':
      return 'A send for this group is being made right now (in another window or by the splitsend command).'
    case 'not_sent':
      return 'Nothing has been sent to this group yet.'
    case 'unclear':
      return state.lastProblem ?? `Splitsend can’t tell whether ${campaign} went out for this job.`
  }
}

/** True while Constant Contact's answer may still change the state (so the screen checks again). */
export function isSettling(state: GroupSendState): boolean {
  return state.phase === 'sending' || state.phase === 'checking' || state.phase === 'in_progress'
}

/**
 * The checks' verdict in one sentence, above the list: what stops the send, or, when nothing does,
 * whether some checks still ask to be read — never "every check passed" above a "Please read".
 */
export function preflightVerdict(checks: ReadonlyArray<{ result: 'ok' | 'note' | 'blocked' }>): string {
  const blocked = checks.filter((c) => c.result === 'blocked').length
  const notes = checks.filter((c) => c.result === 'note').length
  if (blocked > 0)
    return `${blocked} check${blocked === 1 ? '' : 's'} ${blocked === 1 ? 'stops' : 'stop'} the send until it is fixed.`
  if (notes > 0)
    return `Nothing stops the send, but ${notes === 1 ? 'one check asks' : `${notes} checks ask`} you to read ${notes === 1 ? 'it' : 'them'} first.`
  return 'Every check passed: this can be sent.'
}

/** What "move them now" is doing, as a bar's value (0–100) and a sentence (send.moveProgress). */
export function moveNowStep(progress: MoveProgress): { percent: number; words: string } {
  // Reading the lists is most of the wait (Constant Contact prepares two exports); the removals the rest.
  const { phase, overall } = progress
  if (phase === 'reading_lists' || phase === 'starting' || phase === 'checking') {
    const read = progress.readingPercent ?? 0
    return {
      percent: 2 + Math.round(read * 0.48), // a sliver from the start: the bar shows it has begun
      words: `Step 1 of 3: Constant Contact is listing the members of both lists (${read} %).`,
    }
  }
  if (phase === 'comparing') return { percent: 55, words: 'Step 2 of 3: finding who is on both lists…' }
  if (phase === 'finished') return { percent: 100, words: 'Done.' }
  const done = `${overall.contactsDone.toLocaleString('en-US')} of ${overall.contactsTotal.toLocaleString('en-US')}`
  return {
    percent: 60 + Math.round(overall.fraction * 40),
    words:
      phase === 'paused' || phase === 'stopping'
        ? `Stopping: ${done} contacts taken off so far.`
        : `Step 3 of 3: taking each contact off the list of the group it isn’t in — ${done} done. Nobody is deleted or unsubscribed.`,
  }
}
