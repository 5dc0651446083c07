import { liveActivities, mayResend, type JournalActivity, type JournalState } from './journal-state'

/**
 * Where a planned activity stands once a run has ended, for the result and the report:
 * - `completed`: Constant Contact finished it (its counts say how many were added);
 * - `failed`: it failed or timed out on every send this run allowed (a later run tries again);
 * - `rejected`: Constant Contact refused the request;
 * - `processing`: sent, but not finished when the run ended (or not known whether it arrived);
 * - `to_resend`: it failed and will be sent again when the upload continues;
 * - `not_sent`: never sent;
 * - `split`: refused with 400 and sent on in two halves (its contacts are counted in those).
 */
export type ActivityDisposition =
  'completed' | 'failed' | 'rejected' | 'processing' | 'to_resend' | 'not_sent' | 'split'

export function dispositionOf(a: JournalActivity): ActivityDisposition {
  switch (a.phase) {
    case 'pending':
      return a.attempts.length ? 'to_resend' : 'not_sent'
    case 'unknown':
    case 'submitted':
    case 'unclear':
      return 'processing'
    case 'rejected':
      return 'rejected'
    case 'split':
      return 'split'
    case 'finished':
      if (a.last?.state === 'completed') return 'completed'
      return mayResend(a) ? 'to_resend' : 'failed'
  }
}

export interface ContactTally {
  contactsPlanned: number
  contactsAdded: number
  contactsNotAdded: number
  contactsNotSent: number
}

/** Adds up contacts by what happened to their activity. */
export function tallyContacts(state: JournalState): ContactTally {
  const tally: ContactTally = { contactsPlanned: 0, contactsAdded: 0, contactsNotAdded: 0, contactsNotSent: 0 }
  for (const a of liveActivities(state)) {
    const count = a.planned.count
    tally.contactsPlanned += count
    const disposition = dispositionOf(a)
    if (disposition === 'completed' || disposition === 'failed') {
      const added = Math.min(count, a.last?.counts.person_count ?? 0)
      tally.contactsAdded += added
      tally.contactsNotAdded += count - added
    } else if (disposition === 'rejected') tally.contactsNotAdded += count
    else tally.contactsNotSent += count
  }
  return tally
}

/** True when a completed activity's counts say some of its contacts were not added. */
export function reportedProblems(a: JournalActivity): boolean {
  const c = a.last?.counts
  if (!c) return false
  return (
    c.error_count > 0 ||
    c.cannot_add_to_list_count > 0 ||
    c.correctable_count > 0 ||
    c.person_count < a.planned.count ||
    a.last!.errors.length > 0
  )
}
