/**
 * The local Constant Contact: a real HTTP server on 127.0.0.1 that behaves like Constant Contact's V3
 * API and authorization server for every operation Splitsend uses, as the official description and
 * constant-contact-v3.md document them. It backs the practice account and every test of the client.
 *
 *   const sim = await startSimulator({ seed: 'practice', autoApprove: true, speed: 'fast' })
 *   sim.apiBase   // http://127.0.0.1:PORT/v3
 *   sim.authBase  // http://127.0.0.1:PORT/oauth2/default/v1
 *   sim.control.inject({ kind: 'server_error', times: 3 })
 *   await sim.close()
 */
import { ActivityEngine, resolveSpeed, type PlannedFailure, type SpeedSetting } from './activities'
import { AuthServer, AUTH_PATH, type TokenRequestLogEntry } from './auth-server'
import { ClientRegistry, type ClientRegistration } from './clients'
import { createClock } from './clock'
import type { Fault } from './faults'
import { seedData, type SeedName } from './seed'
import { API_PATH, SimServer, type RequestLogEntry } from './server'
import type { CampaignActivityRecord, SimData, TestSendRecord } from './records'
import { resetStateFile, SimStore } from './store'
import { DEFAULT_QUIRKS, type SimQuirks, type SimSettings } from './api-context'
import { CC_LIMITS } from '../constant-contact/limits'

export { type SeedName } from './seed'
export { type SpeedSetting } from './activities'

export type { SimData } from './records'
export type { ClientRegistration } from './clients'
export type { SimQuirks } from './api-context'

export interface SimulatorOptions {
  /** 0 or absent: any free port. */
  port?: number
  /** Approve sign-ins (and device codes) without showing the consent page. */
  autoApprove?: boolean
  /** How fast bulk activities and sends run (default `realistic`). */
  speed?: SpeedSetting
  /** Keep the state in this folder (see state-file.ts) across restarts; absent: in memory only. */
  dataDir?: string
  /** What a new account starts with (default `practice`); ignored when `dataDir` already has state. */
  seed?: SeedName
  /** Seconds between device-flow polls (default 5, as Okta answers). */
  deviceIntervalSeconds?: number
  /** Token endpoint requests per second per client (default 1, "about one" per Constant Contact). */
  tokenRequestsPerSecond?: number
  /** Applications registered in the developer portal: their flow, redirect URIs and secret. */
  clients?: ClientRegistration[]
  /**
   * Refuse every client ID not in `clients`, as the real service does (the practice account).
   * Otherwise an unregistered client ID works like a PKCE and device application that may use any
   * loopback or https redirect address.
   */
  onlyRegisteredClients?: boolean
  /**
   * Strict where Constant Contact documents nothing: GET /activities lists in an order of no
   * meaning, and an import's items_total_count counts a header row (used by the reconciliation tests).
   */
  strict?: boolean
  /** Where Constant Contact's behaviour is undocumented, which way this one behaves (default: DEFAULT_QUIRKS). */
  quirks?: Partial<SimQuirks>
  /** Told when the kept state was changed by another program while this one ran, or couldn’t be read and was set aside (default: standard error). */
  onNotice?: (message: string) => void
}

export interface RunningSimulator {
  /** The V3 API root, e.g. http://127.0.0.1:PORT/v3. */
  apiBase: string
  /** The authorization server root, e.g. http://127.0.0.1:PORT/oauth2/default/v1. */
  authBase: string
  /** Stops the server and writes the state (if it has a data folder). */
  close(): Promise<void>
  control: SimulatorControl
}

/** What tests (and the `simulator` command) can do to a running local Constant Contact. */
interface SimulatorControl {
  inject(fault: Fault): void
  clearFaults(): void
  /** Every access token issued so far stops working now (a token that expires mid-run). */
  expireAccessTokens(): void
  /** Every refresh token stops working (the next refresh fails with invalid_grant). */
  revokeRefreshTokens(): void
  /**
   * The account takes the application's access away: every access token is refused from now on
   * (401) and refreshing fails with `invalid_grant`, or — with `deactivate` — the application with
   * that client ID is removed, so the token endpoint answers 401 `invalid_client`.
   */
  revokeApplication(options?: { deactivate?: string }): void
  /** Registers (or changes) an application, as in the developer portal. */
  registerClient(client: ClientRegistration): void
  /** The next `count` bulk activities end `failed` or `timed_out` part-way. */
  failNextActivities(failure?: Partial<PlannedFailure>, count?: number): void
  setLimits(limits: Partial<Pick<SimSettings, 'requestsPerSecond' | 'requestsPerDay' | 'queuedActivities'>>): void
  /** Sets today's request count (e.g. to 10,000 to see the daily-limit answer). */
  setDailyUsage(count: number): void
  setSpeed(speed: SpeedSetting): void
  setAutoApprove(on: boolean): void
  setUserRole(role: SimSettings['userRole']): void
  /** Turns strict mode (see SimulatorOptions.strict) on or off. */
  setStrict(on: boolean): void
  /** How it behaves where Constant Contact's documentation is silent (see SimQuirks). */
  setQuirks(quirks: Partial<SimQuirks>): void
  /** Moves the simulator's clock forward (code expiry, 24-hour tokens, 10-day retention, schedules). */
  advanceTime(ms: number): void
  /**
   * Resolves once the import work due by now is done, as it goes on between requests: for tests,
   * instead of waiting a guessed time.
   */
  caughtUp(): Promise<void>
  /** API requests as they arrived, oldest first. */
  requests(): RequestLogEntry[]
  tokenRequests(): TokenRequestLogEntry[]
  /** A deep copy of the whole state, brought up to the current time. */
  snapshot(): SimData
  /** Email addresses on a list. */
  listMembers(listId: string): string[]
  /** A contact clicks "unsubscribe" in an email: they stay on their lists but get no more emails. */
  unsubscribe(address: string): void
  campaignActivity(campaignActivityId: string): CampaignActivityRecord | undefined
  /** What a person does to an email in Constant Contact's own screens (change its lists, delete it…). */
  editInConstantContact(
    campaignActivityId: string,
    change: Partial<Pick<CampaignActivityRecord, 'contact_list_ids' | 'segment_ids' | 'current_status'>>,
  ): void
  testSends(): TestSendRecord[]
  /** Writes the state to the data folder now. */
  flush(): void
  /**
   * The account back to how it started (the seed): its lists, contacts and imports gone, its
   * campaigns back in draft; the sign-ins stay valid.
   */
  reset(): void
}

/** Resets the state kept in `dataDir` while no local Constant Contact runs on it (see {@link SimulatorControl.reset}). */
export function resetSimulatorData(
  dataDir: string,
  seed: SeedName = 'practice',
  options?: { unread?: boolean },
): boolean {
  return resetStateFile(dataDir, seedData(seed, Date.now()), options)
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const clock = createClock()
  const store = SimStore.load(
    options.dataDir,
    () => seedData(options.seed ?? 'practice', clock.now()),
    options.onNotice,
  )
  if (store.data.clock_offset_ms) clock.advance(store.data.clock_offset_ms)
  const settings: SimSettings = {
    requestsPerSecond: CC_LIMITS.requestsPerSecond,
    requestsPerDay: CC_LIMITS.requestsPerDay,
    queuedActivities: CC_LIMITS.queuedActivities,
    userRole: 'owner',
    strictActivities: options.strict ?? false,
    quirks: { ...DEFAULT_QUIRKS, ...options.quirks },
  }
  const engine = new ActivityEngine(store, clock, resolveSpeed(options.speed))
  const clients = new ClientRegistry(options.clients ?? [], options.onlyRegisteredClients ?? false)
  engine.countsHeaderRow = settings.strictActivities
  let sim: SimServer | undefined
  const auth = new AuthServer(
    store,
    clock,
    {
      autoApprove: options.autoApprove ?? false,
      deviceIntervalSeconds: options.deviceIntervalSeconds ?? 5,
      tokenRequestsPerSecond: options.tokenRequestsPerSecond ?? 1,
    },
    () => sim?.origin ?? '',
    clients,
  )
  sim = new SimServer(store, clock, auth, engine, settings)
  await sim.listen(options.port ?? 0)
  const server = sim

  const control: SimulatorControl = {
    inject: (fault) => server.faults.add(fault),
    clearFaults: () => server.faults.clear(),
    expireAccessTokens: () => auth.expireAccessTokens(),
    revokeRefreshTokens: () => auth.revokeRefreshTokens(),
    revokeApplication: (revocation = {}) => auth.revokeApplication(revocation.deactivate),
    registerClient: (client) => clients.register(client),
    failNextActivities(failure = {}, count = 1) {
      const state = failure.state ?? 'failed'
      engine.planFailures(
        {
          state,
          atPercent: failure.atPercent ?? 50,
          errors: failure.errors ?? [
            state === 'timed_out'
              ? 'The activity timed out before it finished.'
              : 'The activity failed because of an internal error.',
          ],
        },
        count,
      )
    },
    setLimits: (limits) => Object.assign(settings, limits),
    setDailyUsage(count) {
      store.data.usage = { day: new Date(clock.now()).toISOString().slice(0, 10), count }
      store.changed()
    },
    setSpeed(speed) {
      engine.speed = resolveSpeed(speed)
    },
    setAutoApprove(on) {
      auth.options.autoApprove = on
    },
    setUserRole(role) {
      settings.userRole = role
    },
    setStrict(on) {
      settings.strictActivities = on
      engine.countsHeaderRow = on
    },
    setQuirks(quirks) {
      Object.assign(settings.quirks, quirks)
    },
    advanceTime(ms) {
      clock.advance(ms)
      store.data.clock_offset_ms = clock.offsetMs
      store.changed()
    },
    caughtUp: () => server.caughtUp(),
    requests: () => server.requestLog.map((r) => ({ ...r })),
    tokenRequests: () => auth.tokenLog.map((r) => ({ ...r })),
    snapshot() {
      server.advance()
      return structuredClone(store.data)
    },
    listMembers(listId) {
      server.advance()
      return store.data.contacts.filter((c) => c.lists.includes(listId)).map((c) => c.address)
    },
    unsubscribe(address) {
      server.advance()
      const contact = store.contactsByEmail.get(address.toLowerCase())
      if (!contact) throw new Error(`No contact ${address}`)
      contact.permission_to_send = 'unsubscribed'
      contact.opt_out_source = 'Contact'
      contact.opt_out_date = new Date(clock.now()).toISOString()
      store.contactChanged(contact)
    },
    campaignActivity(id) {
      server.advance()
      const found = store.campaignActivities.get(id)
      return found ? structuredClone(found) : undefined
    },
    editInConstantContact(id, change) {
      server.advance()
      const found = store.campaignActivities.get(id)
      if (!found) throw new Error(`No campaign activity ${id}`)
      Object.assign(found, structuredClone(change))
      const campaign = store.campaigns.get(found.campaign_id)
      if (campaign) campaign.updated_at = new Date(clock.now()).toISOString()
      store.changed()
    },
    testSends: () => structuredClone(store.data.test_sends),
    flush: () => store.flush(),
    reset() {
      store.resetTo(seedData(options.seed ?? 'practice', clock.now()))
    },
  }

  return {
    apiBase: `${server.origin}${API_PATH}`,
    authBase: `${server.origin}${AUTH_PATH}`,
    async close() {
      await server.close()
      store.close()
    },
    control,
  }
}
