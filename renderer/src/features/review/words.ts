/** How the Review step explains the engine's values, so no code value ("unrecognized_flag") reaches the person. */
import { CONTACT_FIELD_LABELS } from '../../../../shared/prepare/words'
import type { ProblemReason } from '../prepare/types'

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
}

/** A plain name for a column of a group file (`email`, `first_name`, `cf:loyalty_tier`). */
export function outputColumnLabel(header: string): string {
  if (header === 'email') return 'Email address'
  if (header.startsWith('cf:')) return `${header.slice(3)} (your own field)`
  return (CONTACT_FIELD_LABELS as Record<string, string>)[header] ?? header
}
