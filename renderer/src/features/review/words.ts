/** How the Review step explains the engine's values, so no code value ("unrecognized_flag") reaches the person. */
import { CONTACT_FIELD_LABELS } from '../../../../shared/prepare/words'
import { PROBLEM_REASONS } from '../../../../shared/prepare/schemas'
import type { ProblemReason, Summary } from '../prepare/types'

/**
 * Rows the person's own rule settled (an address marked for both groups, where "the first row
 * wins" or "the last row wins" was chosen): they go to neither list, but are not problems to solve.
 */
const SETTLED_REASONS: ReadonlySet<ProblemReason> = new Set(['overruled_flag'])

const isSettled = (reason: ProblemReason): boolean => SETTLED_REASONS.has(reason)

/** The kinds of problem the job has, problems to solve first, in the order of the checks. */
export function reasonsPresent(summary: Summary): { problems: ProblemReason[]; settled: ProblemReason[] } {
  const present = PROBLEM_REASONS.filter((reason) => (summary.problems[reason] ?? 0) > 0)
  return { problems: present.filter((r) => !isSettled(r)), settled: present.filter(isSettled) }
}

/** How many rows went to neither group: the problems, and those the person's rule settled. */
export function leftOutCounts(summary: Summary): { problems: number; settled: number } {
  const count = (reasons: ProblemReason[]) => reasons.reduce((sum, r) => sum + summary.problems[r], 0)
  const { problems, settled } = reasonsPresent(summary)
  return { problems: count(problems), settled: count(settled) }
}

/** "the first row wins" / "the last row wins", as the Map step offers it. */
export function conflictRuleWords(rule: Summary['onConflict']): string {
  return rule === 'first' ? '“the first row wins”' : rule === 'last' ? '“the last row wins”' : 'your rule'
}

/** What each kind of problem means, in general, with what the person can do about it. */
export const REASON_DESCRIPTIONS: Record<ProblemReason, string> = {
  missing_email:
    'These rows have no email address, so there is nobody to send to. Add the address in the spreadsheet if you have it.',
  invalid_email:
    'The email address is not one Constant Contact accepts (a typo, a missing “@” or domain, a space, or longer than 80 characters). Correct it in the spreadsheet.',
  email_too_long:
    'The address is longer than the 50 characters Constant Contact’s import takes, so the import would refuse the contact. Add these contacts in Constant Contact by hand (an address there may have up to 80 characters), or use shorter addresses.',
  missing_flag:
    'The flag cell is empty, so it is not known which group these customers belong to. Fill it in the spreadsheet.',
  unrecognized_flag:
    'The flag holds a value that is not assigned to either group. Assign the value to a group below and prepare again.',
  conflicting_flag:
    'The same address is marked for both groups on different rows. Correct the flag in the spreadsheet, or choose on the Map step which row wins.',
  duplicate:
    'The address is already in its group from an earlier row; that earlier row’s details are kept. Nothing needs doing.',
  malformed_row:
    'Splitsend could not read these rows (for example a quote that is never closed). Check them in the spreadsheet.',
  overruled_flag:
    'The same address is marked for both groups on different rows. As you chose on the Map step, the row that wins decides its group; these rows lost and are left out. Nothing needs doing.',
}

/** A plain name for a column of a group file (`email`, `first_name`, `cf:loyalty_tier`). */
export function outputColumnLabel(header: string): string {
  if (header === 'email') return 'Email address'
  if (header.startsWith('cf:')) return `${header.slice(3)} (your own field)`
  return (CONTACT_FIELD_LABELS as Record<string, string>)[header] ?? header
}
