import { setTimeout as sleep } from 'node:timers/promises'
import { z } from 'zod'
import { createRateLimiter, type RateLimiter } from '../constant-contact/rate-limiter'
import { ConstantContactError, parseErrorBody, unreachableError } from '../constant-contact/errors'
import { retryAfterMs } from '../constant-contact/retry-after'
import type { AccessTokenResponse } from '../constant-contact/types'
import type { DeviceCodePrompt } from '../../../shared/channels/account'

/** Tokens as Splitsend keeps them in the keychain. `expires_at` is ms since the epoch. */
export const TokenRecordSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_at: z.number(),
  /** Older records may lack it: it only says what was granted. */
  scope: z.string().default(''),
})
export type TokenRecord = z.infer<typeof TokenRecordSchema>

/**
 * What the authorization server does with a sign-in address, seen without a browser: shows a page
 * (the sign-in page: fine), refuses with an error page of its own (an unregistered redirect URI, an
 * unknown client: no redirect, so Splitsend would never hear of it), or sends the browser straight
 * back with an error (e.g. `unauthorized_client`). `unknown`: it answered with a server error;
 * `unreachable`: no answer at all within the request time (no internet).
 */
export type SignInPageCheck =
  | { kind: 'page' }
  | { kind: 'refused'; status: number }
  | { kind: 'sent_back'; error: string; description?: string }
  | { kind: 'unknown' }
  | { kind: 'unreachable' }

/** A refusal from the authorization server, e.g. `invalid_grant`. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string | undefined,
    readonly status: number,
  ) {
    super(`${error}${description ? `: ${description}` : ''}`)
    this.name = 'OAuthError'
  }
}

export interface OAuthClientOptions {
  authBase: string
  clientId: string
  /** For a confidential client (the practice account): sent with HTTP Basic on token and device requests. */
  clientSecret?: string
  fetch?: typeof fetch
  /** Spacing for token requests (the endpoint allows about one a second); shared per process by default. */
  gate?: RateLimiter
  now?: () => number
  /**
   * The longest one request may take (default 20 s for a token request, 15 s for the look at the
   * sign-in page): a network that swallows requests ends in a message, not a wait.
   */
  requestTimeoutMs?: number
}

let sharedGate: RateLimiter | undefined
/** One token request a second for the whole process: the authorization server allows about that. */
function sharedTokenGate(): RateLimiter {
  sharedGate ??= createRateLimiter({ perWindow: 1, windowMs: 1000, marginMs: 50 })
  return sharedGate
}

export type OAuthClient = ReturnType<typeof createOAuthClient>

export function createOAuthClient(options: OAuthClientOptions) {
  const authBase = options.authBase.replace(/\/+$/, '')
  const doFetch = options.fetch ?? fetch
  const gate = options.gate ?? sharedTokenGate()
  const now = options.now ?? Date.now
  const clientAuthentication: Record<string, string> =
    options.clientSecret === undefined
      ? {}
      : {
          Authorization: `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64')}`,
        }

  async function post(
    path: string,
    params: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> {
    for (let attempt = 1; ; attempt++) {
      await gate.acquire(signal)
      let response: Response
      let body: unknown
      try {
        const timeout = AbortSignal.timeout(options.requestTimeoutMs ?? 20_000)
        response = await doFetch(`${authBase}${path}`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Accept: 'application/json',
            ...clientAuthentication,
          },
          body: new URLSearchParams(params).toString(),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          redirect: 'error',
        })
        const text = await response.text()
        body = text ? safeJson(text) : undefined
      } catch (error) {
        if (signal?.aborted) throw signal.reason
        if (attempt >= 3) throw unreachableError(error)
        await sleep(1000 * attempt, undefined, { signal })
        continue
      }
      if (response.ok && body && typeof body === 'object') return body as Record<string, unknown>
      if ((response.status === 429 || response.status >= 500) && attempt < 4) {
        // Okta may say how long to wait; believed up to half a minute (a sign-in is being waited on).
        const asked = Math.min(retryAfterMs(response.headers.get('retry-after')) ?? 0, 30_000)
        await sleep(Math.max(1100 * attempt, asked), undefined, { signal })
        continue
      }
      const detail = parseErrorBody(body)[0] ?? { key: (body as { errorCode?: string })?.errorCode }
      throw new OAuthError(
        detail.key ?? `http_${response.status}`,
        detail.message ?? (body as { errorSummary?: string })?.errorSummary,
        response.status,
      )
    }
  }

  const toRecord = (body: Record<string, unknown>, previousRefresh?: string): TokenRecord => {
    const token = body as AccessTokenResponse
    if (typeof token.access_token !== 'string' || !token.access_token)
      throw new OAuthError('invalid_response', 'No access token in the answer', 200)
    const record: TokenRecord = {
      access_token: token.access_token,
      expires_at: expiresAt(token.expires_in, now()),
      scope: token.scope ?? '',
    }
    const refresh = token.refresh_token ?? previousRefresh
    if (refresh) record.refresh_token = refresh
    return record
  }

  return {
    authorizeUrl(input: {
      redirectUri: string
      state: string
      codeChallenge: string
      scopes: readonly string[]
    }): string {
      const url = new URL(`${authBase}/authorize`)
      url.search = new URLSearchParams({
        client_id: options.clientId,
        redirect_uri: input.redirectUri,
        response_type: 'code',
        scope: input.scopes.join(' '),
        state: input.state,
        code_challenge: input.codeChallenge,
        code_challenge_method: 'S256',
      }).toString()
      return url.href
    },

    /**
     * Asks for the sign-in page the way the browser will, but with no cookies and without following
     * redirects, so nothing is signed in or approved: only what the server makes of the address.
     */
    async checkSignInPage(url: string, redirectUri: string, signal?: AbortSignal): Promise<SignInPageCheck> {
      let response: Response
      try {
        // Bounded: no answer at all in this time means no internet, and a page that can't load.
        const timeout = AbortSignal.timeout(options.requestTimeoutMs ?? 15_000)
        response = await doFetch(url, {
          redirect: 'manual',
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        })
        await response.arrayBuffer()
      } catch (error) {
        if (signal?.aborted) throw signal.reason
        return { kind: 'unreachable' }
      }
      if (response.status >= 400 && response.status < 500) return { kind: 'refused', status: response.status }
      if (response.status >= 500) return { kind: 'unknown' }
      const location = response.headers.get('location')
      const back = location ? new URL(location, url) : undefined
      const error = back && `${back.origin}${back.pathname}` === redirectUri ? back.searchParams.get('error') : null
      if (!error) return { kind: 'page' }
      const description = back!.searchParams.get('error_description')
      return { kind: 'sent_back', error, ...(description ? { description } : {}) }
    },

    async exchangeCode(
      input: { code: string; redirectUri: string; codeVerifier: string },
      signal?: AbortSignal,
    ): Promise<TokenRecord> {
      return toRecord(
        await post(
          '/token',
          {
            grant_type: 'authorization_code',
            client_id: options.clientId,
            code: input.code,
            redirect_uri: input.redirectUri,
            code_verifier: input.codeVerifier,
          },
          signal,
        ),
      )
    },

    /** Exchanges a refresh token; with rotating tokens the answer carries the only one that works from now on. */
    async refresh(refreshToken: string, signal?: AbortSignal): Promise<TokenRecord> {
      return toRecord(
        await post(
          '/token',
          { grant_type: 'refresh_token', client_id: options.clientId, refresh_token: refreshToken },
          signal,
        ),
        refreshToken,
      )
    },

    async startDeviceFlow(
      scopes: readonly string[],
      signal?: AbortSignal,
    ): Promise<{ deviceCode: string; intervalSeconds: number; prompt: DeviceCodePrompt }> {
      const body = await post('/device/authorize', { client_id: options.clientId, scope: scopes.join(' ') }, signal)
      const expiresIn = Number(body.expires_in ?? 600)
      return {
        deviceCode: String(body.device_code),
        intervalSeconds: Math.max(1, Number(body.interval ?? 5)),
        prompt: {
          userCode: String(body.user_code),
          verificationUri: String(body.verification_uri),
          ...(typeof body.verification_uri_complete === 'string'
            ? { verificationUriComplete: body.verification_uri_complete }
            : {}),
          expiresAt: new Date(now() + expiresIn * 1000).toISOString(),
        },
      }
    },

    /** Polls until the person approves (RFC 8628 §3.5): waits `interval`, slows down when told. */
    async pollDeviceFlow(
      input: { deviceCode: string; intervalSeconds: number; expiresAt: string },
      signal?: AbortSignal,
    ): Promise<TokenRecord> {
      let interval = input.intervalSeconds
      for (;;) {
        await sleep(interval * 1000, undefined, { signal })
        if (now() > Date.parse(input.expiresAt)) throw deviceExpired()
        try {
          return toRecord(
            await post(
              '/token',
              {
                grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
                client_id: options.clientId,
                device_code: input.deviceCode,
              },
              signal,
            ),
          )
        } catch (error) {
          if (!(error instanceof OAuthError)) throw error
          if (error.error === 'authorization_pending') continue
          if (error.error === 'slow_down') {
            interval += 5
            continue
          }
          if (error.error === 'expired_token') throw deviceExpired()
          if (error.error === 'access_denied')
            throw new ConstantContactError(
              'cc_sign_in_cancelled',
              'The code was declined in Constant Contact, so Splitsend is not connected.',
              'Press Connect again when you are ready.',
            )
          throw error
        }
      }
    },
  }
}

/**
 * `expires_in` is documented as "seconds after the UNIX epoch" but standard OAuth (and practice) sends
 * seconds from now; a value too large to be a lifetime is read as a timestamp.
 */
export function expiresAt(expiresIn: number | undefined, nowMs: number): number {
  const value = Number(expiresIn)
  if (!Number.isFinite(value) || value <= 0) return nowMs + 3600_000
  if (value > 1_000_000_000) return value * 1000
  return nowMs + value * 1000
}

function deviceExpired(): ConstantContactError {
  return new ConstantContactError(
    'cc_sign_in_failed',
    'The code expired before it was entered in Constant Contact.',
    'Press Connect again to get a new code.',
  )
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
