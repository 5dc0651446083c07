import { createCcClient, type CcClient } from '../constant-contact/client'
import type { RateLimiter } from '../constant-contact/rate-limiter'
import type { CcEvent, RetryPolicy } from '../constant-contact/transport'
import { endpointKey, type EndpointRef } from './endpoint-ref'
import type { AccountEndpoints } from './endpoints'
import type { SecretStore } from './secret-store'
import { TokenManager } from './token-manager'

export interface AccountClientsOptions {
  secrets: SecretStore
  endpoints: AccountEndpoints
  /** Defaults to the process-wide limiter. */
  limiter?: RateLimiter
  retry?: Partial<RetryPolicy>
  fetch?: typeof fetch
  onEvent?: (event: CcEvent) => void
  /** Called when Constant Contact stops accepting the sign-in (after it is marked for reconnecting). */
  onSignInEnded?: () => void
}

/**
 * The typed client of the connected endpoint, made once (with its token manager) and kept until the
 * connection changes or its sign-in ends.
 */
export class AccountClients {
  private cached: { key: string; client: CcClient } | undefined

  constructor(private readonly options: AccountClientsOptions) {}

  async of(ref: EndpointRef): Promise<CcClient> {
    const key = endpointKey(ref)
    if (this.cached?.key === key) return this.cached.client
    const { secrets, endpoints, limiter, retry, fetch, onEvent } = this.options
    const tokens = new TokenManager({
      endpoint: ref,
      secrets,
      oauth: await endpoints.oauth(ref),
      onReconnectNeeded: () => {
        this.cached = undefined
        this.options.onSignInEnded?.()
      },
    })
    const client = createCcClient({
      apiBase: (await endpoints.resolve(ref)).apiBase,
      tokens,
      ...(limiter ? { limiter } : {}),
      ...(retry ? { retry } : {}),
      ...(fetch ? { fetch } : {}),
      ...(onEvent ? { onEvent } : {}),
    })
    this.cached = { key, client }
    return client
  }

  /** Forgets the kept client (of `ref` only, when given): the next call makes a new one. */
  forget(ref?: EndpointRef): void {
    if (!ref || this.cached?.key === endpointKey(ref)) this.cached = undefined
  }
}
