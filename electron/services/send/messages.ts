/**
 * The plain-language words of the Send step, in one place so the app, the command and the report
 * say the same thing.
 */
import { UserFacingError } from '../../../shared/errors'
import { CC_LIMITS } from '../constant-contact/limits'
import type { EmailStatus } from '../../../shared/send/schemas'
import type { GroupKey } from '../../../shared/ids'

/** Statuses Constant Contact accepts a schedule from (constant-contact-v3.md §5). */
export const SCHEDULABLE_STATUSES: ReadonlySet<EmailStatus> = new Set<EmailStatus>(['DRAFT', 'DONE', 'ERROR'])

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

export function groupLabel(group: GroupKey, names?: { '0': string; '1': string }): string {
  const name = names?.[group]
  return name && name !== `Flag ${group}` ? `group ${group} (“${name}”)` : `group ${group}`
}

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
