import type { RateLimiter } from './rate-limiter'
import { retryAfterMs } from './retry-after'
import { realTimers, type Timers } from './timers'
import {
  activityQueueFullError,
  dailyLimitError,
  httpError,
  outcomeUnknownError,
  parseErrorBody,
  reconnectNeeded,
  throttledError,
  unavailableError,
  unfollowedRedirect,
  unreachableError,
  type CcArea,
} from './errors'

/** Supplies the Bearer token; the account service implements it on top of the keychain. */
export interface TokenSource {
  /** A usable access token, renewed first if it is about to expire. */
  accessToken(signal?: AbortSignal): Promise<string>
  /**
   * Called after a 401 with the token Constant Contact refused. Returns a renewed token (at most one
   * renewal runs at a time) or throws a `cc_reconnect_needed` error.
   */
  renewAfterRejection(rejected: string, signal?: AbortSignal): Promise<string>
  /**
   * Called when Constant Contact refused a token it had just issued: the sign-in no longer works
   * (the account removed the application's access). Marks it so and throws `cc_reconnect_needed`.
   */
  endSignIn?(cause?: unknown): Promise<never>
  /** The scopes the current sign-in was granted, when the token answer said (to explain a 403). */
  grantedScopes?(): readonly string[] | undefined
}

export interface RetryPolicy {
  /** Tries (the first included) when Constant Contact answers 5xx or can't be reached. */
  maxAttempts: number
  /** First backoff step; each further step doubles, up to `maxDelayMs`, with random jitter. */
  baseDelayMs: number
  maxDelayMs: number
  /** 429 "throttled" answers tolerated for one request before giving up. */
  maxThrottledRetries: number
  /** How long everyone holds back after a 429 "throttled" (the limiter also holds each slot longer from then on). */
  throttledPauseMs: number
  /** Waits between tries while Constant Contact has 1,000 activities queued (the last one repeats). */
  queueWaitsMs: number[]
  /** Total time one request may wait for the activity queue before giving up. */
  maxQueueWaitMs: number
  /** A request that gets no answer in this time counts as a broken connection. */
  requestTimeoutMs: number
  /**
   * The longest wait an answer's `Retry-After` may ask for; a longer one stops the work with the
   * time to resume (`resumeAt`) instead of holding it.
   */
  maxRetryAfterMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxThrottledRetries: 10,
  throttledPauseMs: 500,
  queueWaitsMs: [15_000, 30_000, 60_000],
  maxQueueWaitMs: 30 * 60_000,
  requestTimeoutMs: 120_000,
  maxRetryAfterMs: 120_000,
})

/** What the transport reports as it goes: for progress displays and diagnostics. Never holds secrets. */
export type CcEvent =
  | { type: 'response'; method: string; path: string; status: number; attempt: number; ms: number }
  | { type: 'retry'; method: string; path: string; reason: RetryReason; waitMs: number; attempt: number }
type RetryReason = 'throttled' | 'server_error' | 'network' | 'activity_queue_full' | 'token_renewed'

export interface CcRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** A path under the API base (`/contact_lists`) or a `_links` href from a response (`/v3/contacts?cursor=…`). */
  path: string
  query?: Record<string, string | number | boolean | undefined>
  json?: unknown
  /** A JSON body already serialised, as the bytes sent (an import's, built in the upload's body worker). */
  jsonBytes?: Uint8Array
  form?: FormData
  area: CcArea
  /**
   * Whether doing it twice is harmless, so a request whose answer was lost may be sent again (reads,
   * PUTs, imports that upsert). Scheduling a send is not: a lost answer becomes `cc_outcome_unknown`.
   * A caller can override the client's default per call (`CallOptions.repeatable`), e.g. the upload
   * engine sends imports with `false` and reconciles a lost answer against `GET /activities` itself.
   */
  repeatable: boolean
  /** Bulk-activity POSTs, where a 429 can mean "1,000 activities queued". */
  activityPost?: boolean
  signal?: AbortSignal
  /** The `Accept` header, for answers that aren't JSON (an export's `text/csv` file). */
  accept?: string
  /**
   * Reads a successful answer's body itself (an export file streamed to disk) instead of parsing it
   * as JSON; what it returns is the body. If the connection breaks while it reads, the request is
   * retried like any broken connection (so it must start over cleanly); a {@link LocalError} it
   * throws (the disk is full) ends the request at once.
   */
  consumeBody?: (response: Response) => Promise<unknown>
}

/** A failure on this computer while an answer was being read (not Constant Contact's, not the network's). */
export class LocalError extends Error {
  constructor(readonly original: unknown) {
    super((original as Error)?.message ?? String(original))
    this.name = 'LocalError'
  }
}

interface CcResponse<T> {
  status: number
  body: T
}

export interface TransportOptions {
  apiBase: string
  tokens: TokenSource
  limiter: RateLimiter
  retry?: Partial<RetryPolicy>
  fetch?: typeof fetch
  onEvent?: (event: CcEvent) => void
  /** Random source for jitter (tests make it predictable). */
  random?: () => number
  /** Whose time the waits between tries pass on (tests move their own). */
  timers?: Timers
}

export type Transport = <T>(request: CcRequest) => Promise<CcResponse<T>>

export function createTransport(options: TransportOptions): Transport {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry }
  const doFetch = options.fetch ?? fetch
  const random = options.random ?? Math.random
  const timers = options.timers ?? realTimers
  const emit = options.onEvent ?? (() => {})
  const apiBase = options.apiBase.replace(/\/+$/, '')
  const apiOrigin = new URL(apiBase).origin

  const backoff = (failures: number): number => {
    const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1))
    return Math.round(step / 2 + random() * (step / 2))
  }

  return async function send<T>(request: CcRequest): Promise<CcResponse<T>> {
    let target = buildUrl(apiBase, apiOrigin, request)
    const logPath = target.pathname
    let failures = 0
    let throttled = 0
    let queueWaited = 0
    let queueTries = 0
    let redirects = 0
    let renewed = false
    let attempt = 0
    let renewedToken: string | undefined
    // Serialised before taking a rate-limit slot: a 4 MB import takes long enough to stringify to
    // delay its arrival past the limiter's margin, which Constant Contact then counts as a burst.
    const payload =
      request.form ?? request.jsonBytes ?? (request.json === undefined ? undefined : JSON.stringify(request.json))
    const retry = async (reason: RetryReason, waitMs: number): Promise<void> => {
      emit({ type: 'retry', method: request.method, path: logPath, reason, waitMs, attempt })
      await timers.sleep(waitMs, request.signal)
    }

    for (;;) {
      attempt++
      await options.limiter.acquire(request.signal)
      const token = renewedToken ?? (await options.tokens.accessToken(request.signal))
      renewedToken = undefined
      const started = Date.now()
      let response: Response
      let answer: Answer
      try {
        response = await doFetch(target, {
          method: request.method,
          headers: headers(token, request),
          body: payload,
          signal: withTimeout(request.signal, policy.requestTimeoutMs),
          // Followed here, and only on the API's own origin: the Bearer token goes nowhere else.
          redirect: 'manual',
        })
        // An export's file is read by the caller as it arrives (streamed to disk); it checks the file's
        // own shape, so it counts as an answer like a parsed JSON body.
        answer =
          request.consumeBody && response.ok
            ? { body: await request.consumeBody(response), json: true }
            : await readAnswer(response)
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason
        if (error instanceof LocalError) throw error.original
        // A request that never reached Constant Contact can always be sent again; one whose answer
        // was lost may have done its work already.
        if (!request.repeatable && !neverConnected(error)) throw outcomeUnknownError(error)
        failures++
        if (failures >= policy.maxAttempts) throw unreachableError(error)
        await retry('network', backoff(failures))
        continue
      }
      emit({
        type: 'response',
        method: request.method,
        path: logPath,
        status: response.status,
        attempt,
        ms: Date.now() - started,
      })
      const status = response.status
      const body = answer.body
      // How long the answer asks Splitsend to wait, if it says; past the policy's bound the work
      // stops and says when to resume rather than hold a request (and the person) that long.
      const waitAsked = retryAfterMs(response.headers.get('retry-after'), Date.now())
      const resumeAt =
        waitAsked !== undefined && waitAsked > policy.maxRetryAfterMs ? new Date(Date.now() + waitAsked) : undefined

      // A 200/201 always carries JSON (the description says so for every operation Splitsend uses
      // but the export file, which its reader checks): anything else came from something in between
      // (a proxy's page) and is no answer at all.
      const unusable = (status === 200 || status === 201) && !answer.json
      if (response.ok && !unusable) return { status, body: body as T }

      if (status >= 300 && status < 400) {
        target = followableRedirect(response, target, request.method, apiOrigin)
        if (++redirects > MAX_REDIRECTS) throw unfollowedRedirect(target, 'too many redirects')
        attempt--
        continue
      }
      if (status === 401) {
        if (renewed) {
          const ended = reconnectNeeded({ status, details: parseErrorBody(body) })
          if (options.tokens.endSignIn) await options.tokens.endSignIn(ended)
          throw ended
        }
        renewed = true
        renewedToken = await options.tokens.renewAfterRejection(token, request.signal)
        emit({ type: 'retry', method: request.method, path: logPath, reason: 'token_renewed', waitMs: 0, attempt })
        continue
      }
      if (status === 429) {
        const details = parseErrorBody(body)
        const key = details[0]?.key
        if (key === 'quota_exceeded') throw dailyLimitError(new Date(), details, waitAsked)
        if (key === 'throttled' || !request.activityPost) {
          throttled++
          if (throttled > policy.maxThrottledRetries || resumeAt) throw throttledError(details, resumeAt)
          const pauseMs = Math.max(policy.throttledPauseMs, waitAsked ?? 0)
          options.limiter.pauseFor(pauseMs)
          emit({ type: 'retry', method: request.method, path: logPath, reason: 'throttled', waitMs: pauseMs, attempt })
          continue
        }
        // Any other 429 on a bulk-activity POST is the 1,000-queued-activities limit (its body is
        // not documented): wait for earlier activities to finish, then try again.
        const waitMs = waitAsked ?? policy.queueWaitsMs[Math.min(queueTries, policy.queueWaitsMs.length - 1)] ?? 15_000
        if (queueWaited + waitMs > policy.maxQueueWaitMs || resumeAt) throw activityQueueFullError(details, resumeAt)
        queueTries++
        queueWaited += waitMs
        await retry('activity_queue_full', waitMs)
        continue
      }
      if (status >= 500 || unusable) {
        // 503 comes from the front door before any work is done; other 5xx may follow partial work.
        if (!request.repeatable && status !== 503) throw outcomeUnknownError(new Error(`HTTP ${status}`))
        failures++
        if (failures >= policy.maxAttempts || resumeAt) throw unavailableError(status, body, resumeAt)
        await retry('server_error', Math.max(backoff(failures), waitAsked ?? 0))
        continue
      }
      throw httpError(status, body, request.area, options.tokens.grantedScopes?.())
    }
  }
}

const MAX_REDIRECTS = 5

/**
 * Where a redirect leads, if Splitsend may follow it: only on the API's own origin (the Bearer
 * token goes nowhere else), and with the same method and body — 307/308 always, 301/302/303 for a
 * GET only (fetch would turn a POST into a GET without its body).
 */
function followableRedirect(response: Response, from: URL, method: string, apiOrigin: string): URL {
  const location = response.headers.get('location')
  let next: URL | undefined
  try {
    next = location ? new URL(location, from) : undefined
  } catch {
    next = undefined
  }
  if (!next) throw unfollowedRedirect(from, 'no address to go to')
  if (next.origin !== apiOrigin) throw unfollowedRedirect(next, 'another address')
  if (response.status !== 307 && response.status !== 308 && method !== 'GET')
    throw unfollowedRedirect(next, `a ${response.status} redirect of a ${method}`)
  return next
}

function buildUrl(apiBase: string, apiOrigin: string, request: CcRequest): URL {
  // `_links` hrefs carry the API's own path prefix ("/v3/…") and are relative to its origin.
  const basePath = new URL(apiBase).pathname.replace(/\/+$/, '')
  const isHref = basePath !== '' && request.path.startsWith(`${basePath}/`)
  const url = isHref ? new URL(request.path, apiOrigin) : new URL(apiBase + request.path)
  // A `_links` href must stay on the API's own origin: the Bearer token goes nowhere else.
  if (url.origin !== apiOrigin) throw new Error(`Refusing to follow a link off the Constant Contact API: ${url.origin}`)
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined && value !== '') url.searchParams.set(key, String(value))
  }
  return url
}

function headers(token: string, request: CcRequest): Record<string, string> {
  const h: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: request.accept ?? 'application/json' }
  // contacts_file_import wants no Content-Type from us: fetch sets the multipart boundary itself.
  if (request.json !== undefined || request.jsonBytes !== undefined) h['Content-Type'] = 'application/json'
  return h
}

/** An answer's body: parsed when it is JSON (whatever the Content-Type says), else its text, if any. */
interface Answer {
  body: unknown
  json: boolean
}

async function readAnswer(response: Response): Promise<Answer> {
  const text = await response.text()
  if (!text.trim()) return { body: undefined, json: false }
  try {
    return { body: JSON.parse(text), json: true }
  } catch {
    return { body: text, json: false }
  }
}

function withTimeout(signal: AbortSignal | undefined, ms: number): AbortSignal {
  const timeout = AbortSignal.timeout(ms)
  return signal ? AbortSignal.any([signal, timeout]) : timeout
}

/** True when the failure happened before any byte reached the server (nothing can have been done). */
function neverConnected(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } })?.cause?.code
  return (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    code === 'ENETUNREACH' ||
    code === 'EHOSTUNREACH'
  )
}

/**
 * Wait before looking up (and, if it never arrived, sending again) a request whose answer was lost:
 * the connection layer's backoff for that many tries, with jitter.
 */
export function resendDelay(policy: Readonly<RetryPolicy>, tries: number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (tries - 1))
  return Math.round(step / 2 + Math.random() * (step / 2))
}
