import { REAL_ENDPOINTS, type CcEndpoints } from '../constant-contact/endpoints'
import { UserFacingError } from '../../../shared/errors'
import { ConstantContactError } from '../constant-contact/errors'
import type { RateLimiter } from '../constant-contact/rate-limiter'
import type { EndpointRef } from './endpoint-ref'
import { createOAuthClient, type OAuthClient } from './oauth'
import { PRACTICE_CLIENT_ID, type PracticeServer } from './practice'
import type { SecretStore } from './secret-store'

export interface AccountEndpointsOptions {
  secrets: SecretStore
  /** Starts the local Constant Contact of the practice account. */
  startPractice: () => Promise<PracticeServer>
  /**
   * Resets the practice account's kept data while its local Constant Contact isn't running; says
   * whether its sign-ins were kept (not when the account was too big to read).
   */
  resetStoredPractice: () => Promise<{ signInsKept: boolean }>
  /** Told when the practice account's local Constant Contact stopped by itself (its clients are stale). */
  onPracticeStopped?: () => void
  /** Told when a reset took the practice account's sign-ins with it (the keychain's are ended by then). */
  onPracticeSignInsGone?: () => void
  fetch?: typeof fetch
  /** Spacing of token requests (default: the process-wide token gate). */
  tokenGate?: RateLimiter
  /** The longest one token request may take (see createOAuthClient). */
  requestTimeoutMs?: number
}

/**
 * How to reach each Constant Contact an account can live on, and sign in to it: the real one, a
 * custom address, or the practice account's local one, started on first use and kept running
 * (on a new port each time; its account stays the same).
 */
export class AccountEndpoints {
  /** The practice account's local Constant Contact, running or on its way. */
  private practice: Promise<PracticeServer> | undefined
  /** The same once it has started (until it stops or is closed). */
  private running: PracticeServer | undefined
  /** Why the practice account's local Constant Contact last stopped by itself (see practiceEnded). */
  private practiceStopped: { notice: string; untilReset: boolean } | undefined
  /**
   * Its starts and resets, one after another in the order asked: a reset of the kept account never
   * runs beside a start, which would go on from the state the reset replaces (the lock in its folder
   * tells only other processes apart, not this process's threads).
   */
  private turns: Promise<unknown> = Promise.resolve()

  constructor(private readonly options: AccountEndpointsOptions) {}

  async resolve(ref: EndpointRef): Promise<CcEndpoints> {
    if (ref.kind === 'real') return REAL_ENDPOINTS
    if (ref.kind === 'custom') return { apiBase: ref.apiBase, authBase: ref.authBase }
    const server = await this.practiceServer()
    return { apiBase: server.apiBase, authBase: server.authBase }
  }

  /** The OAuth client of an endpoint, with the app's API key for it. */
  async oauth(ref: EndpointRef): Promise<OAuthClient> {
    const endpoints = await this.resolve(ref)
    // The practice account's local Constant Contact serves only Splitsend: its secret of this run.
    const clientSecret = ref.kind === 'practice' ? (await this.practiceServer()).clientSecret : undefined
    return createOAuthClient({
      authBase: endpoints.authBase,
      clientId: await this.clientId(ref),
      ...(clientSecret !== undefined ? { clientSecret } : {}),
      ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      ...(this.options.tokenGate ? { gate: this.options.tokenGate } : {}),
      ...(this.options.requestTimeoutMs ? { requestTimeoutMs: this.options.requestTimeoutMs } : {}),
    })
  }

  /**
   * The practice account back to how it started: reset by its local Constant Contact when that
   * runs (it keeps the state in memory and would write its own back), else in its folder.
   */
  async resetPractice(): Promise<void> {
    const reset = this.turns.then(() => this.resetNow())
    this.turns = reset.catch(() => undefined)
    await reset
  }

  /** Its turn: a start asked before it has ended; one asked after it waits for it. */
  private async resetNow(): Promise<void> {
    const running = this.running
    if (running) await running.reset()
    else if (!(await this.options.resetStoredPractice()).signInsKept) {
      await this.options.secrets.endSignIn({ kind: 'practice' })
      this.options.onPracticeSignInsGone?.()
    }
    this.practiceStopped = undefined
  }

  /** What the practice account's local Constant Contact told the person since it started, if it runs. */
  practiceNotice(): { practiceNotice?: string } {
    const notices = [...(this.running?.notices ?? []), ...(this.practiceStopped ? [this.practiceStopped.notice] : [])]
    return notices.length ? { practiceNotice: notices.join(' ') } : {}
  }

  /**
   * Stops the practice account's local Constant Contact if it runs. A last save that fails is
   * written to standard error (the log), not thrown: closing the app or a command goes on.
   */
  async close(): Promise<void> {
    const practice = this.practice
    this.practice = undefined
    this.running = undefined
    const server = practice && (await practice.catch(() => undefined))
    await server?.close().catch((error: unknown) => {
      process.stderr.write(
        `The practice account could not be saved as it closed: ${String((error as Error)?.message ?? error)}\n`,
      )
    })
  }

  private practiceServer(): Promise<PracticeServer> {
    if (this.practice) return this.practice
    const starting = this.turns.then(this.options.startPractice).then(
      (server) => {
        if (this.practice === starting) this.running = server
        void server.ended.then((why) => this.practiceEnded(starting, why))
        // It runs again: a stop that a reset alone mends is still worth saying, another one isn't.
        if (!this.practiceStopped?.untilReset) this.practiceStopped = undefined
        return server
      },
      (error: unknown) => {
        if (this.practice === starting) this.practice = undefined
        throw error
      },
    )
    this.practice = starting
    this.turns = starting.catch(() => undefined)
    return starting
  }

  /**
   * Its local Constant Contact stopped by itself: the next use starts it again, and the person is
   * told why — until it runs again, or, when it ran out of memory (it would again), until a reset.
   */
  private practiceEnded(server: Promise<PracticeServer>, why: Error): void {
    if (this.practice !== server) return
    this.practice = undefined
    this.running = undefined
    this.practiceStopped = {
      notice: why instanceof UserFacingError && why.hint ? `${why.message} ${why.hint}` : why.message,
      untilReset: why instanceof UserFacingError && why.code === 'practice_out_of_memory',
    }
    this.options.onPracticeStopped?.()
  }

  private async clientId(ref: EndpointRef): Promise<string> {
    if (ref.kind === 'practice') return PRACTICE_CLIENT_ID
    const stored = await this.options.secrets.getClientId(ref)
    if (stored) return stored
    throw new ConstantContactError(
      'cc_api_key_missing',
      'Splitsend needs its Constant Contact API key before it can connect.',
      'Enter the API key from the Constant Contact developer portal (it is also called the client ID), then press Connect.',
    )
  }
}
