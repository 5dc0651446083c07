/** The Prepare step's words that the app and the command both show. */
import type { ContactFieldName, CutColumn, ProblemReason } from './schemas'

/** Short titles of the reasons, for headings and the command's summary. */
export const REASON_TITLES: Record<ProblemReason, string> = {
  missing_email: 'No email address',
  invalid_email: 'Email address not usable',
  missing_flag: 'No flag value',
  unrecognized_flag: 'Flag value not assigned to a group',
  conflicting_flag: 'Same address marked for both groups',
  duplicate: 'Address already in the group',
  malformed_row: 'Row could not be read',
  email_too_long: 'Email address too long for an import',
  overruled_flag: 'Marked for the other group on another row that wins',
}

/** Human labels of the standard fields, for lists in the UI and the command's summary. */
export const CONTACT_FIELD_LABELS: Record<ContactFieldName, string> = {
  first_name: 'First name',
  last_name: 'Last name',
  job_title: 'Job title',
  company_name: 'Company',
  phone: 'Phone',
  home_phone: 'Home phone',
  work_phone: 'Work phone',
  mobile_phone: 'Mobile phone',
  street: 'Street address',
  street2: 'Street address line 2',
  city: 'City',
  state: 'State / province',
  zip: 'ZIP / postal code',
  country: 'Country',
  birthday_month: 'Birthday month',
  birthday_day: 'Birthday day',
  anniversary: 'Anniversary',
}

/** One column's values cut to the length an import takes, in plain words, with the first rows. */
export function describeCut(cut: CutColumn): string {
  const rows = cut.firstRows.slice(0, 10).join(', ')
  const more = cut.rows > 10 ? ` and ${(cut.rows - 10).toLocaleString('en-US')} more` : ''
  const one = cut.rows === 1
  return `${cut.rows.toLocaleString('en-US')} ${one ? 'value' : 'values'} in “${cut.sourceColumn}” ${one ? 'was' : 'were'} longer than the ${cut.limit} characters Constant Contact’s import takes for ${cut.column}, and ${one ? 'was' : 'were'} cut to ${cut.limit} in the group file (row${one ? '' : 's'} ${rows}${more}). The spreadsheet itself is not changed.`
}
