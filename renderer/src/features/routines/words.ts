/** How the routines screens write a run. */
import { countOf, formatCount } from '../../common/words'
import type { Routine, RunView } from './types'

export function outcomeWords(outcome: RunView['outcome']): string {
  switch (outcome.kind) {
    case 'running':
      return 'Not finished'
    case 'done':
      return 'Done'
    case 'done_with_contacts_not_added':
      return `Done; ${countOf(outcome.contactsNotAdded, 'contact')} not added`
    case 'stopped_by_safety_check':
      return `Stopped by a safety check: ${outcome.reasons.join(' ')}`
    case 'failed':
      return `Failed: ${outcome.message}`
  }
}

export function outcomeColor(outcome: RunView['outcome']): string {
  return {
    running: 'blue',
    done: 'green',
    done_with_contacts_not_added: 'yellow',
    stopped_by_safety_check: 'red',
    failed: 'red',
  }[outcome.kind]
}

/** "120 rows: 70 + 45, 5 problems". */
export function countsWords(counts: RunView['counts'], groupNames: Record<'0' | '1', string>): string {
  if (!counts) return ''
  return `${countOf(counts.rows, 'row')}: ${formatCount(counts.groups['0'])} in “${groupNames['0']}”, ${formatCount(counts.groups['1'])} in “${groupNames['1']}”, ${countOf(counts.problems, 'problem')}`
}

/** A scheduled send needs this much time ahead (Constant Contact refuses a time in the past). */
const SCHEDULE_MARGIN_MS = 15 * 60_000

/**
 * When a routine's run sends: null for "now", else the next time the clock shows the routine's time
 * of day (today, or tomorrow when today's is less than 15 minutes away). One time for the run: the
 * first group that sends at a time of day gives it.
 */
export function routineSendTime(routine: Pick<Routine, 'sending'>, now: Date): Date | null {
  const at = (['0', '1'] as const)
    .map((g) => routine.sending[g])
    .flatMap((s) => (s.send && s.sendAt !== 'now' ? [s.sendAt] : []))[0]
  if (!at) return null
  const [hours, minutes] = at.split(':').map(Number)
  const next = new Date(now)
  next.setHours(hours!, minutes!, 0, 0)
  if (next.getTime() - now.getTime() < SCHEDULE_MARGIN_MS) next.setDate(next.getDate() + 1)
  return next
}
