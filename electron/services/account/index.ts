/**
 * Connecting Splitsend to a Constant Contact account.
 *
 * ## The service API (for the IPC contract and the command)
 *
 *   const account = createAccountService({
 *     credentials: createCredentialStore(),          // the OS keychain (../credentials)
 *     openBrowser: (url) => shell.openExternal(url),  // or the command printing the address
 *     practiceDataDir: join(app.getPath('userData'), 'practice-account'),
 *   })
 *
 *   account.status(options?)   → Promise<AccountStatus>   who is connected; never a secret
 *   account.saveApiKey(clientId, endpoint = 'real')      → Promise<void>   the API key (client ID), in the keychain
 *   account.hasApiKey(endpoint = 'real')                 → Promise<boolean>
 *   account.connect({ mode: 'browser' | 'device', endpoint: 'real' | 'practice' | {apiBase, authBase}, signal? },
 *                   onDeviceCode?)                       → Promise<AccountStatus>
 *   account.disconnect()                                 → Promise<void>   removes every Constant Contact secret
 *   account.client()                                     → Promise<CcClient> the typed client of the connected account
 *   account.close()                                      → Promise<void>   stops the practice server if it runs
 *
 * Errors are `UserFacingError`s (`ConstantContactError`) with plain-language `message` and `hint`;
 * codes the UI may act on: `cc_api_key_missing` (ask for the API key), `cc_not_connected` and
 * `cc_reconnect_needed` (show Connect; unfinished work is kept), `cc_sign_in_cancelled`,
 * `cc_sign_in_failed`, `cc_daily_limit` (with `resumeAt`), `keychain_unavailable`.
 *
 * ## How it works
 * - Browser: Authorization Code + PKCE (S256) with an RFC 8252 loopback redirect on 127.0.0.1 (one
 *   callback, `state` checked, listener closed), scopes `contact_data campaign_data account_read
 *   offline_access`. Device: "enter this code at …" through `onDeviceCode`, then polling.
 * - Tokens live only in the keychain (see ./secret-store.ts for the layout), per endpoint. They never
 *   appear in a return value, a file or a log.
 * - `client()` shares the process-wide rate limiter; tokens are renewed inside it (./token-manager.ts).
 * - Practice: `endpoint: 'practice'` starts the local Constant Contact in this process on demand (a
 *   random loopback port, data in `practiceDataDir`), approves the sign-in without opening a browser,
 *   and then goes through the same client, limiter and keychain as a real account.
 */
import type { AccountStatus } from '../../../shared/channels/account'
import type { CredentialStore } from '../credentials'
import { createCcClient, type CcClient } from '../constant-contact/client'
import { REAL_ENDPOINTS, SPLITSEND_SCOPES, type CcEndpoints } from '../constant-contact/endpoints'
import { ConstantContactError } from '../constant-contact/errors'
import type { RateLimiter } from '../constant-contact/rate-limiter'
import type { CcEvent, RetryPolicy } from '../constant-contact/transport'
import { createOAuthClient, type DeviceCodePrompt, type OAuthClient, OAuthError, type TokenRecord } from './oauth'
import { createPkce, randomState } from './pkce'
import {
  DEFAULT_REDIRECT_PORT,
  loopbackRedirectUri,
  redirectPortFromEnvironment,
  startLoopbackReceiver,
} from './loopback'
import { endpointKey, toEndpointRef, type EndpointChoice, type EndpointRef } from './endpoint-ref'
import { SecretStore } from './secret-store'
import { TokenManager } from './token-manager'
import {
  defaultPracticeDataDir,
  followPracticeConsent,
  PRACTICE_CLIENT_ID,
  startPracticeSimulator,
  type PracticeServer,
  type SimulatorFactory,
} from './practice'

export { defaultPracticeDataDir, startPracticeSimulator, type PracticeServer, type SimulatorFactory } from './practice'
export type { EndpointChoice, EndpointRef } from './endpoint-ref'
export type { DeviceCodePrompt } from './oauth'

export interface AccountServiceOptions {
  credentials: CredentialStore
  /** Opens the consent page in the person's browser (Electron: shell.openExternal; command: print it). */
  openBrowser: (url: string) => void | Promise<void>
  /** Starts the local Constant Contact for the practice account (default: in this process). */
  simulatorFactory?: SimulatorFactory
  /** Where the practice account's data is kept (default: beside Electron's userData folder). */
  practiceDataDir?: string
  /** Defaults to the process-wide limiter. */
  limiter?: RateLimiter
  retry?: Partial<RetryPolicy>
  fetch?: typeof fetch
  /** Spacing of token requests (default: the process-wide token gate). */
  tokenGate?: RateLimiter
  /** How long to wait for the browser to come back (default 10 minutes). */
  signInTimeoutMs?: number
  /**
   * The loopback port Constant Contact sends the browser back to (default: SPLITSEND_REDIRECT_PORT,
   * else {@link DEFAULT_REDIRECT_PORT}, for the real Constant Contact — its redirect address must be
   * registered exactly — and any free port for the practice account and other addresses).
   */
  redirectPort?: number
  onEvent?: (event: CcEvent) => void
}

export interface ConnectOptions {
  mode: 'browser' | 'device'
  endpoint: EndpointChoice
  signal?: AbortSignal
}

export type AccountService = ReturnType<typeof createAccountService>

export function createAccountService(options: AccountServiceOptions) {
  const secrets = new SecretStore(options.credentials)
  const simulatorFactory = options.simulatorFactory ?? startPracticeSimulator
  let practice: Promise<PracticeServer> | undefined
  let cached: { key: string; client: CcClient } | undefined
  let connecting = false

  const ensurePractice = (): Promise<PracticeServer> => {
    practice ??= simulatorFactory({ dataDir: options.practiceDataDir ?? defaultPracticeDataDir() }).catch((error) => {
      practice = undefined
      throw error
    })
    return practice
  }

  const resolveEndpoints = async (ref: EndpointRef): Promise<CcEndpoints> => {
    if (ref.kind === 'real') return REAL_ENDPOINTS
    if (ref.kind === 'custom') return { apiBase: ref.apiBase, authBase: ref.authBase }
    const server = await ensurePractice()
    return { apiBase: server.apiBase, authBase: server.authBase }
  }

  const clientIdFor = async (ref: EndpointRef): Promise<string> => {
    if (ref.kind === 'practice') return PRACTICE_CLIENT_ID
    const stored = await secrets.getClientId(ref)
    if (stored) return stored
    throw new ConstantContactError(
      'cc_api_key_missing',
      'Splitsend needs its Constant Contact API key before it can connect.',
      'Enter the API key from the Constant Contact developer portal (it is also called the client ID), then press Connect.',
    )
  }

  const oauthFor = async (ref: EndpointRef): Promise<OAuthClient> => {
    const endpoints = await resolveEndpoints(ref)
    return createOAuthClient({
      authBase: endpoints.authBase,
      clientId: await clientIdFor(ref),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.tokenGate ? { gate: options.tokenGate } : {}),
    })
  }

  const buildClient = async (ref: EndpointRef): Promise<CcClient> => {
    const key = endpointKey(ref)
    if (cached?.key === key) return cached.client
    const endpoints = await resolveEndpoints(ref)
    const tokens = new TokenManager({
      endpoint: ref,
      secrets,
      oauth: await oauthFor(ref),
      onReconnectNeeded: () => (cached = undefined),
    })
    const client = createCcClient({
      apiBase: endpoints.apiBase,
      tokens,
      ...(options.limiter ? { limiter: options.limiter } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    })
    cached = { key, client }
    return client
  }

  const signInWithBrowser = async (
    ref: EndpointRef,
    oauth: OAuthClient,
    signal?: AbortSignal,
  ): Promise<TokenRecord> => {
    const pkce = createPkce()
    const state = randomState()
    const receiver = await startLoopbackReceiver({
      state,
      port: redirectPortFor(ref),
      timeoutMs: options.signInTimeoutMs ?? 10 * 60_000,
      ...(signal ? { signal } : {}),
    })
    try {
      const url = oauth.authorizeUrl({
        redirectUri: receiver.redirectUri,
        state,
        codeChallenge: pkce.challenge,
        scopes: SPLITSEND_SCOPES,
      })
      // The practice account approves by itself, so there is nothing for a person to see.
      await (ref.kind === 'practice' ? followPracticeConsent(url) : options.openBrowser(url))
      const code = await receiver.code
      return await oauth.exchangeCode({ code, redirectUri: receiver.redirectUri, codeVerifier: pkce.verifier }, signal)
    } finally {
      receiver.close()
    }
  }

  const signInWithDevice = async (
    oauth: OAuthClient,
    onDeviceCode: ((prompt: DeviceCodePrompt) => void) | undefined,
    signal?: AbortSignal,
  ): Promise<TokenRecord> => {
    const device = await oauth.startDeviceFlow(SPLITSEND_SCOPES, signal)
    onDeviceCode?.(device.prompt)
    return oauth.pollDeviceFlow(
      { deviceCode: device.deviceCode, intervalSeconds: device.intervalSeconds, expiresAt: device.prompt.expiresAt },
      signal,
    )
  }

  /** Reads the account's name and contact email; fills the cached connection record. */
  const refreshAccountDetails = async (ref: EndpointRef): Promise<void> => {
    const client = await buildClient(ref)
    const summary = await client.getAccountSummary()
    const accountName =
      summary.organization_name || [summary.first_name, summary.last_name].filter(Boolean).join(' ') || undefined
    await secrets.setConnection({
      endpoint: ref,
      ...(accountName ? { accountName } : {}),
      ...(summary.contact_email ? { email: summary.contact_email } : {}),
    })
  }

  const redirectPortFor = (ref: EndpointRef): number =>
    ref.kind === 'real'
      ? (options.redirectPort ?? redirectPortFromEnvironment() ?? DEFAULT_REDIRECT_PORT)
      : (options.redirectPort ?? 0)
  const redirectUriOf = (ref: EndpointRef): { redirectUri?: string } =>
    ref.kind === 'real' ? { redirectUri: loopbackRedirectUri(redirectPortFor(ref)) } : {}

  const service = {
    async status(check: { refresh?: boolean } = {}): Promise<AccountStatus> {
      let connection = await secrets.getConnection()
      if (!connection)
        return {
          connected: false,
          practice: false,
          endpoint: 'real',
          needsReconnect: false,
          ...redirectUriOf({ kind: 'real' }),
        }
      const tokens = await secrets.getTokens(connection.endpoint)
      if (tokens && check.refresh) {
        await refreshAccountDetails(connection.endpoint)
        connection = (await secrets.getConnection()) ?? connection
      }
      const ref = connection.endpoint
      const stillConnected = !!(await secrets.getTokens(ref))
      return {
        connected: stillConnected,
        practice: ref.kind === 'practice',
        endpoint: ref.kind,
        ...(ref.kind === 'custom' ? { apiBase: ref.apiBase } : {}),
        ...(connection.accountName ? { accountName: connection.accountName } : {}),
        ...(connection.email ? { email: connection.email } : {}),
        needsReconnect: !stillConnected && !!connection.needsReconnect,
        ...redirectUriOf(ref),
      }
    },

    async saveApiKey(clientId: string, endpoint: EndpointChoice = 'real'): Promise<void> {
      const value = clientId.trim()
      if (!value || /\s/.test(value) || value.length > 200) {
        throw new ConstantContactError(
          'cc_api_key_missing',
          'That doesn’t look like a Constant Contact API key.',
          'Copy the API key from the Constant Contact developer portal and paste it here; it has no spaces.',
        )
      }
      const ref = toEndpointRef(endpoint)
      if (ref.kind === 'practice') return // the practice account needs no key
      await secrets.setClientId(ref, value)
      if (cached?.key === endpointKey(ref)) cached = undefined
    },

    async hasApiKey(endpoint: EndpointChoice = 'real'): Promise<boolean> {
      const ref = toEndpointRef(endpoint)
      return ref.kind === 'practice' || !!(await secrets.getClientId(ref))
    },

    async connect(connect: ConnectOptions, onDeviceCode?: (prompt: DeviceCodePrompt) => void): Promise<AccountStatus> {
      if (connecting)
        throw new ConstantContactError(
          'cc_sign_in_failed',
          'Splitsend is already connecting to Constant Contact.',
          'Finish or cancel that first.',
        )
      connecting = true
      try {
        const ref = toEndpointRef(connect.endpoint)
        const oauth = await oauthFor(ref)
        let tokens: TokenRecord
        try {
          tokens =
            connect.mode === 'device'
              ? await signInWithDevice(oauth, onDeviceCode, connect.signal)
              : await signInWithBrowser(ref, oauth, connect.signal)
        } catch (error) {
          if (error instanceof OAuthError) {
            throw new ConstantContactError(
              'cc_sign_in_failed',
              'Constant Contact did not let Splitsend connect.',
              `Press Connect again. If it keeps happening, check the API key. (${error.error})`,
              { cause: error },
            )
          }
          throw error
        }
        await secrets.setTokens(ref, tokens)
        await secrets.setConnection({ endpoint: ref })
        cached = undefined
        await refreshAccountDetails(ref)
        return service.status()
      } finally {
        connecting = false
      }
    },

    async disconnect(): Promise<void> {
      cached = undefined
      await secrets.deleteEverything()
    },

    async client(): Promise<CcClient> {
      const connection = await secrets.getConnection()
      if (!connection || !(await secrets.getTokens(connection.endpoint))) {
        throw connection?.needsReconnect
          ? new ConstantContactError(
              'cc_reconnect_needed',
              'Splitsend is no longer connected to your Constant Contact account.',
              'Connect again. Nothing you prepared is lost, and unfinished work continues where it stopped.',
            )
          : new ConstantContactError(
              'cc_not_connected',
              'Splitsend isn’t connected to a Constant Contact account yet.',
              'Connect your account, or try the practice account first.',
            )
      }
      return buildClient(connection.endpoint)
    },

    async close(): Promise<void> {
      const running = practice
      practice = undefined
      cached = undefined
      if (running) await (await running.catch(() => undefined))?.close()
    },
  }
  return service
}
