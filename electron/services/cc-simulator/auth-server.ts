import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto'
import type { Clock } from './clock'
import type { SimStore } from './store'
import { escapeHtml, SimHttpError, type SimResponse } from './http-util'
import { clientCredentials, refusalBody, type ClientRefusal, type ClientRegistry } from './clients'
import { CC_LIMITS } from '../constant-contact/limits'

/**
 * The local Constant Contact's authorization server (Okta-style paths under /oauth2/default/v1):
 * Authorization Code with PKCE (S256 required), rotating refresh tokens, 24-hour access tokens and
 * the device flow, with a consent page a person can approve or an auto-approve switch for tests.
 * Registered applications (./clients.ts) are held to their portal settings the way Okta holds them:
 * an unregistered redirect URI is a page error with no redirect, a sign-in of the other flow is
 * `unauthorized_client`, a wrong or missing secret is `invalid_client`.
 */
export const AUTH_PATH = '/oauth2/default/v1'
const KNOWN_SCOPES = new Set([
  'contact_data',
  'campaign_data',
  'account_read',
  'account_update',
  'offline_access',
  'openid',
  'profile',
])
const REFRESH_IDLE_LIMIT_MS = 180 * 24 * 3600_000
const DEVICE_CODE_SECONDS = 600

export interface AuthOptions {
  autoApprove: boolean
  /** Seconds a device-flow client must wait between polls. */
  deviceIntervalSeconds: number
  /** Token requests one client may make per second (the real endpoint allows about one). */
  tokenRequestsPerSecond: number
}

export interface TokenRequestLogEntry {
  at: number
  grantType: string
  status: number
}

interface PendingAuthorization {
  clientId: string
  redirectUri: string
  state?: string
  codeChallenge: string
  scopes: string[]
  expiresMs: number
}

const hash = (secret: string): string => createHash('sha256').update(secret).digest('hex')
const secret = (bytes = 32): string => randomBytes(bytes).toString('base64url')

export class AuthServer {
  private readonly pending = new Map<string, PendingAuthorization>()
  private readonly signingKey = randomBytes(32)
  private readonly tokenTimes = new Map<string, number[]>()
  readonly tokenLog: TokenRequestLogEntry[] = []

  constructor(
    private readonly store: SimStore,
    private readonly clock: Clock,
    readonly options: AuthOptions,
    private readonly origin: () => string,
    readonly clients: ClientRegistry,
  ) {}

  /** `authorization`: the request's Authorization header (client authentication by HTTP Basic). */
  async handle(method: string, url: URL, body: URLSearchParams, authorization?: string): Promise<SimResponse> {
    const route = url.pathname.slice(AUTH_PATH.length)
    if (method === 'GET' && route === '/authorize') return this.authorize(url.searchParams)
    if (method === 'POST' && route === '/authorize/decision') return this.decide(body)
    if (method === 'POST' && route === '/token') return this.token(merge(url.searchParams, body), authorization)
    if (method === 'POST' && route === '/device/authorize')
      return this.deviceAuthorize(merge(url.searchParams, body), authorization)
    if (method === 'GET' && route === '/device') return this.devicePage(url.searchParams.get('user_code') ?? '')
    if (method === 'POST' && route === '/device') return this.deviceDecide(body)
    return { status: 404, body: { error: 'not_found', error_description: 'No such authorization endpoint.' } }
  }

  /** Checks `Authorization: Bearer …` for an API call; throws the 401/403 Constant Contact sends. */
  checkBearer(header: string | undefined, scope: string): { clientId: string; scopes: string[] } {
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1]
    const record = token ? this.store.data.auth.access_tokens.find((t) => t.hash === hash(token)) : undefined
    if (!record || record.expires_ms <= this.clock.now())
      throw new SimHttpError(401, 'unauthorized', 'Unauthorized', true)
    // Which body Constant Contact sends for a missing scope is not documented: this one names no
    // scope, so the client must tell it apart from a missing privilege by the scopes it was granted.
    if (!record.scopes.includes(scope)) throw new SimHttpError(403, 'unauthorized', 'Unauthorized', true)
    return { clientId: record.client_id, scopes: record.scopes }
  }

  expireAccessTokens(): void {
    for (const t of this.store.data.auth.access_tokens) t.expires_ms = Math.min(t.expires_ms, this.clock.now())
    this.store.changed()
  }

  revokeRefreshTokens(): void {
    for (const t of this.store.data.auth.refresh_tokens) t.revoked = true
    this.store.changed()
  }

  /**
   * The account takes the application's access away: every token stops working at once (the API
   * answers 401), and refreshing fails — `invalid_grant`, or `invalid_client` (401) when the
   * application itself was removed (`deactivated`).
   */
  revokeApplication(deactivate?: string): void {
    this.expireAccessTokens()
    this.revokeRefreshTokens()
    if (deactivate !== undefined) this.clients.deactivate(deactivate)
  }

  // --- Authorization Code + PKCE -------------------------------------------------------------

  private authorize(q: URLSearchParams): SimResponse {
    const clientId = q.get('client_id') ?? ''
    const redirectUri = q.get('redirect_uri') ?? ''
    if (!clientId) return errorPage(400, 'The request has no client_id (the app’s API key).')
    // Okta checks the client and the redirect URI before anything else, and shows a page rather
    // than sending the browser to an address it can't trust.
    const refusal = this.clients.refusal(clientId, 'pkce')
    if (refusal?.kind === 'unknown_client' || refusal?.kind === 'deactivated')
      return errorPage(400, "invalid_client: Invalid value for 'client_id' parameter.")
    const registered = this.clients.redirectUrisOf(clientId)
    if (registered ? !registered.includes(redirectUri) : !isAllowedRedirect(redirectUri))
      return errorPage(
        400,
        registered
          ? "The 'redirect_uri' parameter must be a Login redirect URI in the client app settings."
          : 'The redirect_uri must be an https address or a loopback address such as http://127.0.0.1:PORT/.',
      )
    const state = q.get('state') ?? undefined
    const back = (params: Record<string, string>): SimResponse =>
      redirect(redirectUri, { ...params, ...(state !== undefined ? { state } : {}) })
    if (refusal) return back(oauthErrorParams(refusal))
    if (q.get('response_type') !== 'code')
      return back({ error: 'unsupported_response_type', error_description: 'response_type must be code' })
    const challenge = q.get('code_challenge') ?? ''
    if (!challenge || q.get('code_challenge_method') !== 'S256')
      return back({ error: 'invalid_request', error_description: 'PKCE with code_challenge_method=S256 is required' })
    const scopes = (q.get('scope') ?? '').split(/[\s+]+/).filter(Boolean)
    if (!scopes.length || scopes.some((s) => !KNOWN_SCOPES.has(s)))
      return back({ error: 'invalid_scope', error_description: 'One or more scopes are not valid' })
    const request: PendingAuthorization = {
      clientId,
      redirectUri,
      codeChallenge: challenge,
      scopes,
      expiresMs: this.clock.now() + 15 * 60_000,
      ...(state !== undefined ? { state } : {}),
    }
    if (this.options.autoApprove) return this.approve(request)
    const requestId = secret(16)
    this.pending.set(requestId, request)
    return { status: 200, html: consentPage(requestId, scopes, `${AUTH_PATH}/authorize/decision`) }
  }

  private decide(form: URLSearchParams): SimResponse {
    const requestId = form.get('request_id') ?? ''
    const request = this.pending.get(requestId)
    this.pending.delete(requestId)
    if (!request || request.expiresMs < this.clock.now())
      return errorPage(400, 'This sign-in request has expired. Go back to Splitsend and start again.')
    if (form.get('decision') !== 'allow') {
      return redirect(request.redirectUri, {
        error: 'access_denied',
        error_description: 'The user denied the request',
        ...(request.state !== undefined ? { state: request.state } : {}),
      })
    }
    return this.approve(request)
  }

  private approve(request: PendingAuthorization): SimResponse {
    const code = secret(24)
    this.store.data.auth.codes.push({
      hash: hash(code),
      client_id: request.clientId,
      redirect_uri: request.redirectUri,
      code_challenge: request.codeChallenge,
      scopes: request.scopes,
      expires_ms: this.clock.now() + CC_LIMITS.authorizationCodeSeconds * 1000,
      used: false,
    })
    this.store.changed()
    return redirect(request.redirectUri, { code, ...(request.state !== undefined ? { state: request.state } : {}) })
  }

  // --- Token endpoint -------------------------------------------------------------------------

  private token(p: URLSearchParams, authorization: string | undefined): SimResponse {
    const grantType = p.get('grant_type') ?? ''
    const { clientId, secret: presentedSecret } = clientCredentials(authorization, p)
    const respond = (response: SimResponse): SimResponse => {
      this.tokenLog.push({ at: this.clock.now(), grantType, status: response.status })
      return response
    }
    if (this.tooFast(clientId)) {
      return respond({
        status: 429,
        body: { errorCode: 'E0000047', errorSummary: 'API call exceeded rate limit due to too many requests.' },
      })
    }
    const fail = (error: string, description: string, status = 400): SimResponse =>
      respond({ status, body: { error, error_description: description } })
    if (!clientId) return fail('invalid_client', 'client_id is required', 401)
    const refused = this.clients.authenticate(clientId, presentedSecret)
    if (refused) return respond(refusalResponse(refused))
    const flow = grantType === 'authorization_code' ? 'pkce' : grantType.endsWith(':device_code') ? 'device' : undefined
    const wrongFlow = flow && this.clients.refusal(clientId, flow)
    if (wrongFlow) return respond(refusalResponse(wrongFlow))
    const now = this.clock.now()
    const auth = this.store.data.auth

    if (grantType === 'authorization_code') {
      const code = auth.codes.find((c) => c.hash === hash(p.get('code') ?? ''))
      if (!code || code.used || code.expires_ms <= now || code.client_id !== clientId)
        return fail('invalid_grant', 'The authorization code is invalid or has expired.')
      code.used = true // single use, even when the rest of the request is wrong
      this.store.changed()
      if (p.get('redirect_uri') !== code.redirect_uri)
        return fail('invalid_grant', "The redirect URI doesn't match the one used in the authorization request.")
      const verifier = p.get('code_verifier') ?? ''
      if (
        !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) ||
        createHash('sha256').update(verifier).digest('base64url') !== code.code_challenge
      ) {
        return fail('invalid_grant', 'PKCE verification failed.')
      }
      return respond(this.issueTokens(clientId, code.scopes))
    }

    if (grantType === 'refresh_token') {
      const presented = auth.refresh_tokens.find((t) => t.hash === hash(p.get('refresh_token') ?? ''))
      if (
        !presented ||
        presented.revoked ||
        presented.client_id !== clientId ||
        now - presented.last_used_ms > REFRESH_IDLE_LIMIT_MS
      ) {
        return fail('invalid_grant', 'unknown, invalid, or expired refresh token')
      }
      presented.revoked = true // rotating: each refresh token works once
      return respond(this.issueTokens(clientId, presented.scopes))
    }

    if (grantType === 'urn:ietf:params:oauth:grant-type:device_code') {
      const device = auth.device_codes.find((d) => d.hash === hash(p.get('device_code') ?? ''))
      if (!device || device.client_id !== clientId || device.redeemed)
        return fail('invalid_grant', 'The device code is invalid.')
      if (device.expires_ms <= now) return fail('expired_token', 'The device code has expired.')
      const tooSoon = now - device.last_poll_ms < device.interval_s * 1000 - 50
      device.last_poll_ms = now
      if (device.decision === 'denied') return fail('access_denied', 'The user denied the request.')
      if (device.decision === 'pending')
        return tooSoon
          ? fail('slow_down', 'Polling too often.')
          : fail('authorization_pending', 'The user has not yet approved the request.')
      device.redeemed = true
      this.store.changed()
      return respond(this.issueTokens(clientId, device.scopes))
    }
    return fail('unsupported_grant_type', 'The grant type is not supported.')
  }

  private tooFast(clientId: string): boolean {
    const now = this.clock.now()
    const times = (this.tokenTimes.get(clientId) ?? []).filter((t) => now - t < 1000)
    if (times.length >= this.options.tokenRequestsPerSecond) {
      this.tokenTimes.set(clientId, times)
      return true
    }
    times.push(now)
    this.tokenTimes.set(clientId, times)
    return false
  }

  private issueTokens(clientId: string, scopes: string[]): SimResponse {
    const now = this.clock.now()
    const auth = this.store.data.auth
    auth.access_tokens = auth.access_tokens.filter((t) => t.expires_ms > now - 3600_000)
    auth.refresh_tokens = auth.refresh_tokens.filter((t) => !t.revoked || now - t.last_used_ms < 24 * 3600_000)
    auth.codes = auth.codes.filter((c) => c.expires_ms > now - 3600_000)
    const expiresIn = CC_LIMITS.accessTokenSeconds
    const accessToken = this.jwt({
      ver: 1,
      jti: `AT.${randomUUID()}`,
      iss: `${this.origin()}${AUTH_PATH.replace(/\/v1$/, '')}`,
      aud: `${this.origin()}/v3`,
      iat: Math.floor(now / 1000),
      exp: Math.floor(now / 1000) + expiresIn,
      cid: clientId,
      uid: 'practice-user',
      scp: scopes,
      sub: this.store.data.account.summary.contact_email,
      platform_user_id: this.store.data.account.summary.encoded_account_id,
    })
    auth.access_tokens.push({
      hash: hash(accessToken),
      client_id: clientId,
      scopes,
      expires_ms: now + expiresIn * 1000,
    })
    const body: Record<string, unknown> = {
      token_type: 'Bearer',
      expires_in: expiresIn,
      access_token: accessToken,
      scope: scopes.join(' '),
    }
    if (scopes.includes('offline_access')) {
      const refreshToken = secret(32)
      auth.refresh_tokens.push({
        hash: hash(refreshToken),
        client_id: clientId,
        scopes,
        created_ms: now,
        last_used_ms: now,
        revoked: false,
      })
      body.refresh_token = refreshToken
    }
    if (scopes.includes('openid'))
      body.id_token = this.jwt({
        sub: this.store.data.account.summary.contact_email,
        aud: clientId,
        iat: Math.floor(now / 1000),
        exp: Math.floor(now / 1000) + 3600,
      })
    this.store.changed()
    return { status: 200, body }
  }

  private jwt(payload: Record<string, unknown>): string {
    const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url')
    const unsigned = `${part({ kid: 'local-cc', alg: 'HS256' })}.${part(payload)}`
    return `${unsigned}.${createHmac('sha256', this.signingKey).update(unsigned).digest('base64url')}`
  }

  // --- Device flow ----------------------------------------------------------------------------

  private deviceAuthorize(p: URLSearchParams, authorization: string | undefined): SimResponse {
    const { clientId, secret: presentedSecret } = clientCredentials(authorization, p)
    if (!clientId) return { status: 401, body: { error: 'invalid_client', error_description: 'client_id is required' } }
    const refused = this.clients.authenticate(clientId, presentedSecret) ?? this.clients.refusal(clientId, 'device')
    if (refused) return refusalResponse(refused)
    const scopes = (p.get('scope') ?? '').split(/[\s+]+/).filter(Boolean)
    if (!scopes.length || scopes.some((s) => !KNOWN_SCOPES.has(s)))
      return { status: 400, body: { error: 'invalid_scope', error_description: 'One or more scopes are not valid' } }
    const deviceCode = secret(32)
    const letters = 'BCDFGHJKLMNPQRSTVWXZ'
    const pick = (): string => Array.from(randomBytes(4), (b) => letters[b % letters.length]).join('')
    const userCode = `${pick()}-${pick()}`
    const now = this.clock.now()
    this.store.data.auth.device_codes = this.store.data.auth.device_codes.filter((d) => d.expires_ms > now)
    this.store.data.auth.device_codes.push({
      hash: hash(deviceCode),
      user_code: userCode,
      client_id: clientId,
      scopes,
      expires_ms: now + DEVICE_CODE_SECONDS * 1000,
      interval_s: this.options.deviceIntervalSeconds,
      last_poll_ms: 0,
      decision: this.options.autoApprove ? 'approved' : 'pending',
      redeemed: false,
    })
    this.store.changed()
    const verificationUri = `${this.origin()}${AUTH_PATH}/device`
    return {
      status: 200,
      body: {
        device_code: deviceCode,
        user_code: userCode,
        verification_uri: verificationUri,
        verification_uri_complete: `${verificationUri}?user_code=${encodeURIComponent(userCode)}`,
        expires_in: DEVICE_CODE_SECONDS,
        interval: this.options.deviceIntervalSeconds,
      },
    }
  }

  private devicePage(userCode: string): SimResponse {
    return { status: 200, html: devicePage(userCode, `${AUTH_PATH}/device`) }
  }

  private deviceDecide(form: URLSearchParams): SimResponse {
    const userCode = (form.get('user_code') ?? '').trim().toUpperCase()
    const device = this.store.data.auth.device_codes.find(
      (d) => d.user_code === userCode && d.expires_ms > this.clock.now() && d.decision === 'pending',
    )
    if (!device) return errorPage(400, 'That code is not valid or has expired. Check the code shown in Splitsend.')
    device.decision = form.get('decision') === 'allow' ? 'approved' : 'denied'
    this.store.changed()
    return {
      status: 200,
      html: page(
        'Done',
        device.decision === 'approved'
          ? '<p>Splitsend is connected. You can close this page and go back to Splitsend.</p>'
          : '<p>You said no. Splitsend was not connected.</p>',
      ),
    }
  }
}

function refusalResponse(refusal: ClientRefusal): SimResponse {
  const { status, error, description } = refusalBody(refusal)
  return { status, body: { error, error_description: description } }
}

function oauthErrorParams(refusal: ClientRefusal): Record<string, string> {
  const { error, description } = refusalBody(refusal)
  return { error, error_description: description }
}

function merge(a: URLSearchParams, b: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(a)
  for (const [k, v] of b) out.set(k, v)
  return out
}

function isAllowedRedirect(uri: string): boolean {
  try {
    const url = new URL(uri)
    if (url.hash) return false
    if (url.protocol === 'https:') return true
    return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname)
  } catch {
    return false
  }
}

function redirect(target: string, params: Record<string, string>): SimResponse {
  const url = new URL(target)
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
  return { status: 302, headers: { Location: url.href }, html: '' }
}

const SCOPE_WORDS: Record<string, string> = {
  contact_data: 'See and change your contacts, lists and imports',
  campaign_data: 'See, change and send your email campaigns',
  account_read: 'See your account details',
  account_update: 'Change your account details',
  offline_access: 'Stay connected until you disconnect',
  openid: 'Know who you are',
  profile: 'See your name',
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Local Constant Contact</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1.25rem;margin-right:.5rem}.note{background:#fff4ce;padding:.5rem .75rem;border-radius:4px}</style></head>
<body><p class="note">This is Splitsend’s local practice Constant Contact, not the real service.</p><h1>${escapeHtml(title)}</h1>${body}</body></html>`
}

function errorPage(status: number, message: string): SimResponse {
  return { status, html: page('Something is wrong with this request', `<p>${escapeHtml(message)}</p>`) }
}

function consentPage(requestId: string, scopes: string[], action: string): string {
  const items = scopes.map((s) => `<li>${escapeHtml(SCOPE_WORDS[s] ?? s)}</li>`).join('')
  return page(
    'Allow Splitsend to use your account?',
    `<p>Splitsend is asking to:</p><ul>${items}</ul>
<form method="post" action="${action}"><input type="hidden" name="request_id" value="${escapeHtml(requestId)}">
<button type="submit" name="decision" value="allow">Allow</button><button type="submit" name="decision" value="deny">Don’t allow</button></form>`,
  )
}

function devicePage(userCode: string, action: string): string {
  return page(
    'Connect a device',
    `<form method="post" action="${action}"><label>Code shown in Splitsend <input name="user_code" value="${escapeHtml(userCode)}" autocomplete="off"></label>
<p><button type="submit" name="decision" value="allow">Allow</button><button type="submit" name="decision" value="deny">Don’t allow</button></p></form>`,
  )
}
