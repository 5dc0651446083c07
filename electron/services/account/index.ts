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
 *   account.setRedirect(address | uri, endpoint = 'real') → Promise<void>  the redirect address registered for the app
 *   account.apiKeyStatus(endpoint = 'real')              → Promise<{ saved, ending }>
 *   account.connect({ mode: 'browser' | 'device', endpoint: 'real' | 'practice' | {apiBase, authBase}, signal? },
 *                   onDeviceCode?)                       → Promise<AccountStatus>
 *   account.disconnect()                                 → Promise<void>   removes every Constant Contact secret
 *   account.onSignInEnded(listener)                      → () => void      told when Constant Contact ends the sign-in
 *   account.client()                                     → Promise<CcClient> the typed client of the connected account
 *   account.resetPractice()                              → Promise<void>   the practice account as it started
 *   account.close()                                      → Promise<void>   stops the practice server if it runs
 *
 * Errors are `UserFacingError`s (`ConstantContactError`) with plain-language `message` and `hint`;
 * codes the UI may act on: `cc_api_key_missing` (ask for the API key), `cc_not_connected` and
 * `cc_reconnect_needed` (show Connect; unfinished work is kept), `cc_sign_in_cancelled`,
 * `cc_sign_in_failed`, `cc_app_set_up_for_device` / `cc_app_set_up_for_browser` (offer the other
 * way to sign in), `cc_redirect_not_registered`, `cc_daily_limit` (with `resumeAt`),
 * `keychain_unavailable`.
 *
 * ## How it works
 * - Browser: Authorization Code + PKCE (S256) with an RFC 8252 loopback redirect (one callback,
 *   `state` checked, listener closed), scopes `contact_data campaign_data account_read
 *   offline_access`. The redirect address is `http://localhost:47611/callback` unless the person
 *   chose another (./redirect.ts). Before the browser opens, the sign-in address is tried without a
 *   browser: an authorization server that would only show an error page (an unregistered redirect
 *   URI, an application set up for the device flow) is explained at once instead of leaving Splitsend
 *   waiting for a callback that never comes (./sign-in.ts). Device: "enter this code at …" through
 *   `onDeviceCode`, then polling.
 * - Tokens live only in the keychain (see ./secret-store.ts for the layout), per endpoint. They never
 *   appear in a return value, a file or a log.
 * - `client()` shares the process-wide rate limiter; tokens are renewed inside it (./token-manager.ts).
 * - Practice: `endpoint: 'practice'` starts the local Constant Contact in this process on demand (a
 *   random loopback port, data in `practiceDataDir`), approves the sign-in without opening a browser,
 *   and then goes through the same client, limiter and keychain as a real account.
 *
 * The parts: ./endpoints.ts (where each endpoint is, the practice server, the OAuth client with the
 * app's API key), ./sign-in.ts (browser and device sign-in), ./clients.ts (the client kept for the
 * connection), ./status.ts (what the UI may know), ./secret-store.ts (the keychain).
 */
import type { AccountStatus } from '../../../shared/channels/account'
import type { CredentialStore } from '../credentials'
import type { CcClient } from '../constant-contact/client'
import { ConstantContactError } from '../constant-contact/errors'
import type { RateLimiter } from '../constant-contact/rate-limiter'
import type { CcEvent, RetryPolicy } from '../constant-contact/transport'
import { AccountClients } from './clients'
import { toEndpointRef, type EndpointChoice, type EndpointRef } from './endpoint-ref'
import { AccountEndpoints } from './endpoints'
import type { DeviceCodePrompt } from '../../../shared/channels/account'
import { defaultPracticeDataDir, resetPracticeData, startPracticeSimulator, type SimulatorFactory } from './practice'
import { SecretStore } from './secret-store'
import { parseRedirectUri, redirectUriOf, type RedirectAddress } from './redirect'
import { redirectFor, registrableRedirect, signIn } from './sign-in'
import { accountStatus, refreshAccountDetails } from './status'

export type { EndpointChoice, EndpointRef } from './endpoint-ref'
export type { DeviceCodePrompt } from '../../../shared/channels/account'
export type { RedirectAddress } from './redirect'

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
   * How long Constant Contact's sign-in server may take to answer (default 15 seconds): with no
   * answer the computer is taken to be offline, and the sign-in ends with a message instead of
   * opening a page that can't load (browser) or waiting for an answer that never comes (device code).
   */
  reachabilityTimeoutMs?: number
  /** The loopback port Constant Contact sends the browser back to, over the person's setting (tests; see redirectFor in ./sign-in.ts). */
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
  const practiceDataDir = options.practiceDataDir ?? defaultPracticeDataDir()
  const signInEnded = new Set<() => void>()
  const tellSignInEnded = (): void => {
    for (const listener of signInEnded) listener()
  }
  const endpoints = new AccountEndpoints({
    secrets,
    startPractice: () => simulatorFactory({ dataDir: practiceDataDir }),
    resetStoredPractice: () => resetPracticeData(practiceDataDir),
    onPracticeStopped: () => clients.forget({ kind: 'practice' }),
    onPracticeSignInsGone: () => {
      clients.forget({ kind: 'practice' })
      tellSignInEnded()
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.tokenGate ? { tokenGate: options.tokenGate } : {}),
    ...(options.reachabilityTimeoutMs ? { requestTimeoutMs: options.reachabilityTimeoutMs } : {}),
  })
  const clients = new AccountClients({
    secrets,
    endpoints,
    limiter: options.limiter,
    retry: options.retry,
    fetch: options.fetch,
    onEvent: options.onEvent,
    onSignInEnded: tellSignInEnded,
  })
  const redirectUri = (ref: EndpointRef) => registrableRedirect(secrets, ref, options.redirectPort)
  /** What the status says of the endpoint beside the connection: its redirect address, the practice account's notice. */
  const endpointDetails = async (ref: EndpointRef) => ({
    ...(await redirectUri(ref)),
    ...(ref.kind === 'practice' ? endpoints.practiceNotice() : {}),
  })
  let connecting = false

  const service = {
    async status(check: { refresh?: boolean } = {}): Promise<AccountStatus> {
      const signIn = check.refresh ? await secrets.currentSignIn() : null
      if (signIn?.tokens) {
        const ref = signIn.connection.endpoint
        await refreshAccountDetails(secrets, ref, await clients.of(ref))
      }
      return accountStatus(secrets, endpointDetails)
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
      clients.forget(ref)
    },

    /**
     * The redirect address registered for the application in Constant Contact's developer portal:
     * `http://localhost:PORT/callback` or `http://127.0.0.1:PORT/callback`, as an address or as text.
     */
    async setRedirect(address: RedirectAddress | string, endpoint: EndpointChoice = 'real'): Promise<void> {
      const ref = toEndpointRef(endpoint)
      const chosen = parseRedirectUri(typeof address === 'string' ? address : redirectUriOf(address))
      if (ref.kind === 'practice') return // the practice account never opens a browser
      await secrets.setRedirect(ref, chosen)
    },

    async hasApiKey(endpoint: EndpointChoice = 'real'): Promise<boolean> {
      return (await service.apiKeyStatus(endpoint)).saved
    },

    /**
     * Whether the API key is saved, and its last characters so the person can tell which one it is
     * (the key itself never leaves the keychain; a short key shows none of itself).
     */
    async apiKeyStatus(endpoint: EndpointChoice = 'real'): Promise<{ saved: boolean; ending: string | null }> {
      const ref = toEndpointRef(endpoint)
      if (ref.kind === 'practice') return { saved: true, ending: null }
      const key = await secrets.getClientId(ref)
      return { saved: !!key, ending: key && key.length >= 12 ? key.slice(-4) : null }
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
        const settings = {
          openBrowser: options.openBrowser,
          ...(options.signInTimeoutMs !== undefined ? { timeoutMs: options.signInTimeoutMs } : {}),
          redirect: await redirectFor(secrets, ref, options.redirectPort),
        }
        const tokens = await signIn(
          connect.mode,
          ref,
          await endpoints.oauth(ref),
          settings,
          onDeviceCode,
          connect.signal,
        )
        await secrets.setTokens(ref, tokens)
        await secrets.setConnection({ endpoint: ref })
        clients.forget()
        await refreshAccountDetails(secrets, ref, await clients.of(ref))
        return accountStatus(secrets, endpointDetails)
      } finally {
        connecting = false
      }
    },

    async disconnect(): Promise<void> {
      clients.forget()
      await secrets.deleteEverything()
    },

    /**
     * Calls `listener` when Constant Contact stops accepting the sign-in (the refresh token was
     * refused: the account removed Splitsend's access, or the application is gone). By then the
     * connection is marked for reconnecting, so `status()` says so. Returns the unsubscribe.
     */
    onSignInEnded(listener: () => void): () => void {
      signInEnded.add(listener)
      return () => signInEnded.delete(listener)
    },

    async client(): Promise<CcClient> {
      const signIn = await secrets.currentSignIn()
      if (!signIn?.tokens) throw notConnected(!!signIn?.connection.needsReconnect)
      return clients.of(signIn.connection.endpoint)
    },

    /**
     * The practice account back to how it started: its lists, contacts and imports gone, its
     * campaigns in draft again. Whoever is connected to it stays connected (unless the account was
     * too big to read: then the sign-in ends, and the app is told as when Constant Contact ends one).
     */
    resetPractice: () => endpoints.resetPractice(),

    async close(): Promise<void> {
      clients.forget()
      await endpoints.close()
    },
  }
  return service
}

function notConnected(needsReconnect: boolean): ConstantContactError {
  return needsReconnect
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
