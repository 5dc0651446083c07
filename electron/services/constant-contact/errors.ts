import { toErrorData, UserFacingError, type ContractErrorData } from '../../../shared/errors'
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
function nextMidnightUtc(now: Date = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1))
}

/**
 * `waitMs`: what the answer's Retry-After said, if anything. The allowance starts again at midnight
 * UTC (the documented rule); a Retry-After within a day is believed over that.
 */
export function dailyLimitError(
  now: Date = new Date(),
  details: CcErrorDetail[] = [],
  waitMs?: number,
): ConstantContactError {
  const asked = waitMs !== undefined && waitMs <= 25 * 3600_000
  const resumeAt = asked ? new Date(now.getTime() + waitMs) : nextMidnightUtc(now)
  const local = resumeAt.toLocaleString(undefined, {
    weekday: 'long',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  })
  return new ConstantContactError(
    'cc_daily_limit',
    `Constant Contact's daily allowance of ${CC_LIMITS.requestsPerDay.toLocaleString('en-US')} requests for Splitsend is used up.`,
    `It starts again at ${asked ? local : `midnight UTC (${local} your time)`}. Everything done so far is kept; resume the work then and it continues where it stopped.`,
    { status: 429, details, resumeAt },
  )
}

const NOT_ALLOWED: Record<CcArea, string> = {
  contacts: 'This Constant Contact user isn’t allowed to change contacts or lists.',
  campaigns: 'This Constant Contact user isn’t allowed to change or send email campaigns.',
  account: 'This Constant Contact user isn’t allowed to see the account’s details.',
}

/** The scope each area needs (api_guide/scopes.html), and what it allows, in the consent page's words. */
const SCOPE_OF: Record<CcArea, { scope: string; allows: string }> = {
  contacts: { scope: 'contact_data', allows: 'see and change your contacts and lists' },
  campaigns: { scope: 'campaign_data', allows: 'see, change and send your email campaigns' },
  account: { scope: 'account_read', allows: 'see your account details' },
}

const WHAT: Record<CcArea, string> = {
  contacts: 'contact list, contact or import',
  campaigns: 'email campaign',
  account: 'account detail',
}

/**
 * Turns a 4xx answer from the API into a plain-language error. `granted`: the scopes of the sign-in,
 * when known, so a 403 for a missing scope is told apart from a missing user privilege whatever the
 * body says (the 403 bodies are not documented, except the privileges one).
 */
export function httpError(
  status: number,
  body: unknown,
  area: CcArea,
  granted?: readonly string[],
): ConstantContactError {
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
      const needed = SCOPE_OF[area]
      const scopeMissing =
        (granted !== undefined && !granted.includes(needed.scope)) ||
        details.some((d) => /scope/i.test(`${d.key} ${d.message}`))
      if (scopeMissing)
        return new ConstantContactError(
          'cc_not_allowed',
          `Splitsend’s sign-in doesn’t include permission to ${needed.allows}, so Constant Contact refused this step.`,
          `Reconnect (Disconnect, then Connect) and allow Splitsend to ${needed.allows} on Constant Contact’s page.`,
          extra,
        )
      return new ConstantContactError(
        'cc_not_allowed',
        NOT_ALLOWED[area],
        'Ask the account owner to give your Constant Contact user a role that allows this (for example Account Manager), then try again.',
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

/** `resumeAt`: when the answer asked to be tried again, if that is further off than Splitsend waits. */
export function unavailableError(status: number, body: unknown, resumeAt?: Date): ConstantContactError {
  return new ConstantContactError(
    'cc_unavailable',
    'Constant Contact isn’t answering properly right now.',
    resumeAt
      ? `Constant Contact asked to be tried again after ${localTime(resumeAt)}. Everything done so far is kept.`
      : 'Try again in a few minutes. Everything done so far is kept.',
    { status, details: parseErrorBody(body), ...(resumeAt ? { resumeAt } : {}) },
  )
}

/** A redirect Splitsend doesn't follow (to another address, or one that would drop the request's body). */
export function unfollowedRedirect(to: URL, why: string): ConstantContactError {
  return new ConstantContactError(
    'cc_unavailable',
    `Constant Contact’s answer sent Splitsend to ${to.host} (${why}), which it doesn’t follow: your sign-in goes only to Constant Contact’s API.`,
    'Try again later. If it keeps happening, a proxy or firewall on this network may be redirecting web requests. Everything done so far is kept.',
  )
}

function localTime(at: Date): string {
  return at.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })
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

export function throttledError(details: CcErrorDetail[], resumeAt?: Date): ConstantContactError {
  return new ConstantContactError(
    'cc_throttled',
    'Constant Contact kept asking Splitsend to slow down.',
    resumeAt
      ? `Constant Contact asked to be tried again after ${localTime(resumeAt)}. Everything done so far is kept.`
      : 'Wait a minute and try again. Everything done so far is kept.',
    { status: 429, details, ...(resumeAt ? { resumeAt } : {}) },
  )
}

export function activityQueueFullError(details: CcErrorDetail[], resumeAt?: Date): ConstantContactError {
  return new ConstantContactError(
    'cc_activity_queue_full',
    `Constant Contact is still working through ${CC_LIMITS.queuedActivities.toLocaleString('en-US')} earlier imports for this account and won’t take more yet.`,
    resumeAt
      ? `Try again after ${localTime(resumeAt)}; imports already sent keep going in Constant Contact.`
      : 'Try again later; imports already sent keep going in Constant Contact.',
    { status: 429, details, ...(resumeAt ? { resumeAt } : {}) },
  )
}

/** A 4xx other than sign-in, permission and rate problems: Constant Contact refused this request as such. */
export function isRefusal(error: unknown): boolean {
  return (
    error instanceof ConstantContactError &&
    error.code === 'cc_rejected' &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500
  )
}

/** The request may or may not have reached Constant Contact (answer lost, timed out, 5xx after the work began). */
export function isOutcomeUnknown(error: unknown): boolean {
  return error instanceof ConstantContactError && error.code === 'cc_outcome_unknown'
}

/** What a run that stopped on `error` records and shows: the plain error, and when to go on if that is known. */
export function stopErrorData(error: unknown): ContractErrorData & { resumeAt?: string } {
  const data = toErrorData(error)
  const resumeAt = error instanceof ConstantContactError ? error.resumeAt : undefined
  return resumeAt ? { ...data, resumeAt: resumeAt.toISOString() } : data
}
