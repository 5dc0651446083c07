/**
 * The plain-language words of the Send step, in one place so the app, the command and the report
 * say the same thing.
 */
import { UserFacingError } from '../../../shared/errors'
import { CC_LIMITS } from '../constant-contact/limits'
import type { EmailStatus } from '../../../shared/send/schemas'

/** Statuses Constant Contact accepts a schedule from (constant-contact-v3.md §5). */
export const SCHEDULABLE_STATUSES: ReadonlySet<EmailStatus> = new Set<EmailStatus>(['DRAFT', 'DONE', 'ERROR'])

/**
 * Whether Constant Contact lets an email's recipients be changed (PUT /emails/activities/{id}): only a
 * draft, or a sent email made with the third-generation drag-and-drop editor (format_type 3). The
 * spec says "DRAFT or Done"; Constant Contact's guide on updating an email narrows DONE to format 3.
 */
export function canUpdateEmail(status: EmailStatus, formatType: number | undefined): boolean {
  return status === 'DRAFT' || (status === 'DONE' && formatType === 3)
}

/** Why Constant Contact won't change this email's recipients, in plain words (for a status it can send from). */
export function notUpdatableReason(status: EmailStatus): string {
  return status === 'ERROR'
    ? 'Constant Contact had a problem the last time it sent this campaign, and it doesn’t let Splitsend change who a campaign in that state goes to.'
    : 'This campaign was sent before, and Constant Contact doesn’t let Splitsend change who a sent campaign goes to (only emails made with its newest drag-and-drop editor can be changed after sending).'
}

export const NOT_UPDATABLE_HINT =
  'Send a copy instead: Splitsend can make a copy of it (a new draft named with today’s date) and send that to this group. Or make a copy in Constant Contact (Campaigns → the campaign’s menu → Copy), then pick the copy here.'

/** What a copy made through the API keeps of the original, and what it loses. */
export function copyWords(formatType: number | undefined): { keeps: string; loses: string } {
  const editor = formatType === 2 || formatType === 3 || formatType === 4
  return {
    keeps:
      'The copy has the same subject, preheader, sender name, from and reply-to addresses, footer address, and the same content (text, pictures and links) as the email looks now.',
    loses: [
      editor
        ? 'It is a custom-code email: the drag-and-drop layout becomes HTML, so in Constant Contact it opens in the code editor, not the drag-and-drop editor.'
        : 'It is a custom-code email, like the original.',
      'Its reports and send history start empty (the original’s stay with the original), and it doesn’t take over the original’s lists, segments, tags or resend settings.',
    ].join(' '),
  }
}

/** Why a campaign in this status can't be picked; undefined when it can. */
export function campaignStatusReason(status: EmailStatus): string | undefined {
  switch (status) {
    case 'DRAFT':
    case 'DONE':
    case 'ERROR':
      return undefined
    case 'SCHEDULED':
      return 'It is already scheduled to go out. Cancel that schedule in Constant Contact first.'
    case 'EXECUTING':
      return 'Constant Contact is sending it right now.'
    case 'REMOVED':
      return 'It was deleted in Constant Contact.'
    default:
      return `Constant Contact says its status is “${status}”, which can’t be sent.`
  }
}

export const DONE_NOTE =
  'This campaign was sent before. Constant Contact will send it again only to contacts who are new on the list since it last went out; everyone who already got it is skipped.'

export const ERROR_NOTE =
  'Constant Contact reported a problem the last time this campaign was sent. Sending it again is allowed; check it in Constant Contact first if you are unsure.'

export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}

export function testAddressesError(message: string): UserFacingError {
  return new UserFacingError(
    'test_send_addresses',
    message,
    `Enter between 1 and ${CC_LIMITS.testEmailAddressesPerSend} email addresses, separated by commas.`,
  )
}

export function testDailyLimitError(): UserFacingError {
  return new UserFacingError(
    'test_send_daily_limit',
    `Constant Contact allows ${CC_LIMITS.testEmailsPerDay} test emails a day for the whole account, and today’s are used up (each address counts as one).`,
    'Test again tomorrow, or send the real emails without another test. The real send is not affected by this limit.',
  )
}

export function whenInPastError(): UserFacingError {
  return new UserFacingError(
    'send_time_in_past',
    'The time to send is already past.',
    'Pick a time in the future, or choose “Send now”.',
  )
}

export function badWhenError(value: string): UserFacingError {
  return new UserFacingError(
    'send_time_invalid',
    `“${value}” is not a date and time Splitsend understands.`,
    'Use a date and time like 2025-06-01T09:30 with a time zone, for example 2025-06-01T09:30-04:00 or 2025-06-01T13:30Z.',
  )
}

export function sameCampaignTwiceError(name: string): UserFacingError {
  return new UserFacingError(
    'send_same_campaign_both_groups',
    `The campaign “${name}” is chosen for both groups.`,
    'A campaign goes to one list at a time: pick a different campaign for each group.',
  )
}
