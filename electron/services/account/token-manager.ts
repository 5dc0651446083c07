import { ConstantContactError, reconnectNeeded } from '../constant-contact/errors'
import type { TokenSource } from '../constant-contact/transport'
import { OAuthError, type OAuthClient, type TokenRecord } from './oauth'
import type { EndpointRef } from './endpoint-ref'
import type { SecretStore } from './secret-store'

export interface TokenManagerOptions {
  endpoint: EndpointRef
  secrets: SecretStore
  oauth: OAuthClient
  /** Renew this long before the access token expires (default 5 minutes). */
  renewBeforeMs?: number
  now?: () => number
  /** Called when the refresh token no longer works, after the connection is marked for reconnecting. */
  onReconnectNeeded?: () => void
}

/**
 * Hands out access tokens for one endpoint and renews them: shortly before they expire and after a
 * 401, one renewal at a time. With rotating refresh tokens the new pair is written to the keychain
 * before it is used, and the keychain is read again first, so the desktop app and the command never
 * spend the same refresh token twice.
 */
export class TokenManager implements TokenSource {
  private current: TokenRecord | undefined
  private renewal: Promise<TokenRecord> | undefined
  private readonly renewBeforeMs: number
  private readonly now: () => number

  constructor(private readonly options: TokenManagerOptions) {
    this.renewBeforeMs = options.renewBeforeMs ?? 5 * 60_000
    this.now = options.now ?? Date.now
  }

  grantedScopes(): readonly string[] | undefined {
    const scopes = this.current?.scope.split(/\s+/).filter(Boolean)
    return scopes?.length ? scopes : undefined
  }

  async accessToken(signal?: AbortSignal): Promise<string> {
    const tokens = this.current ?? (await this.load())
    if (tokens.expires_at - this.now() > this.renewBeforeMs) return tokens.access_token
    return (await this.renew(tokens, signal)).access_token
  }

  async renewAfterRejection(rejected: string, signal?: AbortSignal): Promise<string> {
    // Another request (or the other Splitsend process) may have renewed already.
    const latest = (await this.options.secrets.getTokens(this.options.endpoint)) ?? this.current
    if (latest && latest.access_token !== rejected && latest.expires_at > this.now()) {
      this.current = latest
      return latest.access_token
    }
    return (await this.renew(latest ?? (await this.load()), signal)).access_token
  }

  private async load(): Promise<TokenRecord> {
    const stored = await this.options.secrets.getTokens(this.options.endpoint)
    if (!stored) return this.giveUp()
    this.current = stored
    return stored
  }

  private renew(basis: TokenRecord, signal?: AbortSignal): Promise<TokenRecord> {
    this.renewal ??= this.renewOnce(basis, signal).finally(() => {
      this.renewal = undefined
    })
    return this.renewal
  }

  private async renewOnce(basis: TokenRecord, signal?: AbortSignal): Promise<TokenRecord> {
    const { secrets, endpoint, oauth } = this.options
    const stored = await secrets.getTokens(endpoint)
    if (stored && stored.access_token !== basis.access_token && stored.expires_at - this.now() > this.renewBeforeMs) {
      this.current = stored
      return stored
    }
    // No tokens in the keychain any more (signed out or ended in another process, or the entry was
    // damaged), or none to renew with: the ones kept here must not bring that sign-in back.
    if (!stored?.refresh_token) return this.giveUp()
    let renewed: TokenRecord
    try {
      renewed = await oauth.refresh(stored.refresh_token, signal)
    } catch (error) {
      if (error instanceof OAuthError && signInRefused(error)) {
        const after = await secrets.getTokens(endpoint)
        if (after && after.refresh_token !== stored.refresh_token) {
          this.current = after // the other process rotated it first
          return after
        }
        return this.giveUp(error)
      }
      if (error instanceof ConstantContactError) throw error
      throw new ConstantContactError(
        'cc_unavailable',
        'Constant Contact’s sign-in service didn’t answer properly.',
        'Try again in a few minutes. Everything done so far is kept.',
        { cause: error },
      )
    }
    // Keychain first: if Splitsend stops right now, the one working refresh token is not lost.
    await secrets.setTokens(endpoint, renewed)
    this.current = renewed
    return renewed
  }

  /** A fresh token was refused too: the sign-in no longer works (see TokenSource.endSignIn). */
  async endSignIn(cause?: unknown): Promise<never> {
    return this.giveUp(cause)
  }

  private async giveUp(cause?: unknown): Promise<never> {
    await this.options.secrets.endSignIn(this.options.endpoint)
    this.current = undefined
    this.options.onReconnectNeeded?.()
    throw reconnectNeeded(cause === undefined ? {} : { cause })
  }
}

/**
 * The refresh was refused for good: `invalid_grant` (the grant was revoked or the token expired),
 * `invalid_client` (the application is gone), or any 401 whatever its body (a gateway's page or
 * nothing): the token endpoint only answers 401 to a client it won't serve.
 */
function signInRefused(error: OAuthError): boolean {
  return error.error === 'invalid_grant' || error.error === 'invalid_client' || error.status === 401
}
