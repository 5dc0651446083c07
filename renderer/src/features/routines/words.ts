/** How the routines screens write a run. */
import { countOf, formatCount } from '../../common/words'
import type { RunView } from './types'

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
