import { UserFacingError } from '../../../shared/errors'
import { CC_LIMITS } from './limits'

/** What an operation touches, so a refusal can say what the person isn't allowed to do. */
export type CcArea = 'contacts' | 'campaigns' | 'account'

/** The error keys and messages Constant Contact sent, whichever shape it used. */
export interface CcErrorDetail {
  key?: string
  message?: string
}

/**
 * A Constant Contact problem explained for the person (`message`, `hint`), with the facts the code
 * needs to decide what to do next: the HTTP status, Constant Contact's own error keys, whether the
 * work can simply be resumed later and from when.
 */
export class ConstantContactError extends UserFacingError {
  readonly status?: number
  readonly details: CcErrorDetail[]
  /** For the daily allowance: when requests are accepted again (midnight UTC). */
  readonly resumeAt?: Date

  constructor(
    code: CcErrorCode,
    message: string,
    hint: string | undefined,
    extra: { status?: number; details?: CcErrorDetail[]; resumeAt?: Date; cause?: unknown } = {},
  ) {
    super(code, message, hint)
    this.name = 'ConstantContactError'
    if (extra.status !== undefined) this.status = extra.status
    this.details = extra.details ?? []
    if (extra.resumeAt) this.resumeAt = extra.resumeAt
    if (extra.cause !== undefined) (this as Error & { cause?: unknown }).cause = extra.cause
  }
}

export type CcErrorCode =
  | 'cc_daily_limit'
  | 'cc_throttled'
  | 'cc_activity_queue_full'
  | 'cc_not_allowed'
  | 'cc_reconnect_needed'
  | 'cc_not_found'
  | 'cc_conflict'
  | 'cc_rejected'
  | 'cc_unavailable'
  | 'cc_unreachable'
  | 'cc_outcome_unknown'
  | 'cc_not_connected'
  | 'cc_api_key_missing'
  | 'cc_sign_in_failed'
  | 'cc_sign_in_cancelled'
  | 'cc_app_set_up_for_device'
  | 'cc_app_set_up_for_browser'
  | 'cc_redirect_not_registered'

/**
 * Reads an error body in any of the shapes Constant Contact uses: an array of `{error_key,
 * error_message}` (most endpoints), a single such object (authorization and 429 errors), or an OAuth
 * `{error, error_description}` (the authorization server).
 */
export function parseErrorBody(body: unknown): CcErrorDetail[] {
  const one = (item: unknown): CcErrorDetail | undefined => {
    if (!item || typeof item !== 'object') return undefined
    const record = item as Record<string, unknown>
    const key = stringOr(record.error_key) ?? stringOr(record.error)
    const message = stringOr(record.error_message) ?? stringOr(record.error_description) ?? stringOr(record.message)
    return key || message ? { ...(key ? { key } : {}), ...(message ? { message } : {}) } : undefined
  }
  if (Array.isArray(body)) return body.map(one).filter((d): d is CcErrorDetail => !!d)
  const single = one(body)
  return single ? [single] : []
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined
}

/** Next 00:00:00 UTC after `now`: when Constant Contact's daily allowance starts again. */
export function nextMidnightUtc(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1))
}

export function dailyLimitError(now: Date = new Date(), details: CcErrorDetail[] = []): ConstantContactError {
  const resumeAt = nextMidnightUtc(now)
  const local = resumeAt.toLocaleString(undefined, {
    weekday: 'long',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  })
  return new ConstantContactError(
    'cc_daily_limit',
    `Constant Contact's daily allowance of ${CC_LIMITS.requestsPerDay.toLocaleString('en-US')} requests for Splitsend is used up.`,
    `It starts again at midnight UTC (${local} your time). Everything done so far is kept; resume the work then and it continues where it stopped.`,
    { status: 429, details, resumeAt },
  )
}

const NOT_ALLOWED: Record<CcArea, string> = {
  contacts: 'This Constant Contact user isn’t allowed to change contacts or lists.',
  campaigns: 'This Constant Contact user isn’t allowed to change or send email campaigns.',
  account: 'This Constant Contact user isn’t allowed to see the account’s details.',
}

const WHAT: Record<CcArea, string> = {
  contacts: 'contact list, contact or import',
  campaigns: 'email campaign',
  account: 'account detail',
}

/** Turns a 4xx answer from the API into a plain-language error. */
export function httpError(status: number, body: unknown, area: CcArea): ConstantContactError {
  const details = parseErrorBody(body)
  const said = details
    .map((d) => d.message)
    .filter(Boolean)
    .join(' ')
  const extra = { status, details }
  switch (status) {
    case 401:
      return reconnectNeeded(extra)
    case 403: {
      const scope = details.some((d) => /scope/i.test(`${d.key} ${d.message}`))
      return new ConstantContactError(
        'cc_not_allowed',
        NOT_ALLOWED[area],
        scope
          ? 'Connect again and allow everything Splitsend asks for; without it Splitsend can’t do this step.'
          : 'Ask the account owner to give your Constant Contact user a role that allows this (for example Account Manager), then try again.',
        extra,
      )
    }
    case 404:
      return new ConstantContactError(
        'cc_not_found',
        `Constant Contact couldn’t find that ${WHAT[area]}. It may have been deleted in Constant Contact.`,
        'Refresh the list of choices and pick again.',
        extra,
      )
    case 409:
      return new ConstantContactError(
        'cc_conflict',
        `Constant Contact already has a ${WHAT[area]} with that name.`,
        'Pick the existing one, or choose a different name.',
        extra,
      )
    default:
      return new ConstantContactError(
        'cc_rejected',
        said
          ? `Constant Contact didn’t accept this request: ${said}`
          : `Constant Contact didn’t accept this request (error ${status}).`,
        'Check the details you entered and try again. If it keeps happening, note the message above for support.',
        extra,
      )
  }
}

export function reconnectNeeded(
  extra: { status?: number; details?: CcErrorDetail[]; cause?: unknown } = {},
): ConstantContactError {
  return new ConstantContactError(
    'cc_reconnect_needed',
    'Splitsend is no longer connected to your Constant Contact account.',
    'Connect again. Nothing you prepared is lost, and unfinished work continues where it stopped.',
    extra,
  )
}

export function unavailableError(status: number, body: unknown): ConstantContactError {
  return new ConstantContactError(
    'cc_unavailable',
    'Constant Contact isn’t answering properly right now.',
    'Try again in a few minutes. Everything done so far is kept.',
    { status, details: parseErrorBody(body) },
  )
}

export function unreachableError(cause: unknown): ConstantContactError {
  return new ConstantContactError(
    'cc_unreachable',
    'Splitsend can’t reach Constant Contact.',
    'Check this computer’s internet connection, then try again. Everything done so far is kept.',
    { cause },
  )
}

export function outcomeUnknownError(cause: unknown): ConstantContactError {
  return new ConstantContactError(
    'cc_outcome_unknown',
    'The connection to Constant Contact broke while it was handling this request, so it may or may not have gone through.',
    'Splitsend checks with Constant Contact before trying again, so nothing is done twice.',
    { cause },
  )
}

export function throttledError(details: CcErrorDetail[]): ConstantContactError {
  return new ConstantContactError(
    'cc_throttled',
    'Constant Contact kept asking Splitsend to slow down.',
    'Wait a minute and try again. Everything done so far is kept.',
    { status: 429, details },
  )
}

export function activityQueueFullError(details: CcErrorDetail[]): ConstantContactError {
  return new ConstantContactError(
    'cc_activity_queue_full',
    `Constant Contact is still working through ${CC_LIMITS.queuedActivities.toLocaleString('en-US')} earlier imports for this account and won’t take more yet.`,
    'Try again later; imports already sent keep going in Constant Contact.',
    { status: 429, details },
  )
}
