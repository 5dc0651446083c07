import { describe, expect, it, vi } from 'vitest'
import { UserFacingError } from '../../../shared/errors'
import { ActivityEngine, SPEEDS } from '../../../electron/services/cc-simulator/activities'
import { createClock } from '../../../electron/services/cc-simulator/clock'
import { seedData } from '../../../electron/services/cc-simulator/seed'
import { readStateFile, writeStateFile } from '../../../electron/services/cc-simulator/state-file'
import { SimStore } from '../../../electron/services/cc-simulator/store'
import { AccountEndpoints } from '../../../electron/services/account/endpoints'
import {
  practiceSimulator,
  resetPracticeData,
  startPracticeSimulator,
  type PracticeServer,
} from '../../../electron/services/account/practice'
import { startPracticeThread } from '../../../electron/services/account/practice-thread'
import { closeAfterEach, memoryCredentials, tempDir } from './helpers'
import { SecretStore } from '../../../electron/services/account/secret-store'
import { createAccountService } from '../../../electron/services/account/index'
import {
  TEST_REQUESTS_PER_SECOND,
  TEST_SPEED,
  TEST_TOKEN_REQUESTS_PER_SECOND,
  testLimiter,
  testTokenGate,
} from '../../../electron/services/test-pace'
import { FAST_RETRY } from './helpers'

/**
 * The practice account's local Constant Contact runs on a thread of its own: opening, saving and
 * working through what the person practised with never holds up the thread that serves them, and
 * an account too big for its thread's memory ends that thread, not the app.
 */
const closeLater = closeAfterEach()

const serversHere = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap').length

/** A practice account's saved state after an import of `count` contacts, with one sign-in. */
function savedAccount(count: number): string {
  const clock = createClock()
  const store = new SimStore(seedData('practice', clock.now()))
  const engine = new ActivityEngine(store, clock, SPEEDS.instant)
  const items = Array.from({ length: count }, (_, i) => ({ email: `person${i}@example${i % 97}.com`, city: 'Paris' }))
  engine.create('json_import', items, [store.data.lists[0]!.list_id])
  while (engine.advance(10_000)) clock.advance(1_000)
  engine.advance()
  expect(store.data.contacts.length).toBeGreaterThanOrEqual(count)
  store.data.auth.refresh_tokens.push(SIGN_IN)
  const dataDir = tempDir('practice-thread')
  writeStateFile(dataDir, store.data, 1, (id) => store.contacts.placeOf(id))
  return dataDir
}

const SIGN_IN = {
  hash: 'a'.repeat(64),
  client_id: 'splitsend-practice-account',
  scopes: ['contact_data'],
  created_ms: 1,
  last_used_ms: 1,
  revoked: false,
}

describe('the practice account’s local Constant Contact', () => {
  it('runs on a thread of its own: this thread serves nothing, and it answers', async () => {
    const before = serversHere()
    const practice = await startPracticeSimulator({ dataDir: tempDir('practice-thread') })
    closeLater(() => practice.close())
    expect(serversHere()).toBe(before)
    const answer = await fetch(`${practice.apiBase}/account/summary`)
    expect(answer.status).toBe(401)
    await practice.reset()
    await practice.setSpeed('instant')
  })

  it('holding more than its thread may, stops that thread with a message that says what to do, not the process', async () => {
    const MEMORY_MB = 16
    const small = await startPracticeThread({ options: { dataDir: tempDir('practice-thread') } }, () => {}, MEMORY_MB)
    closeLater(() => small.close())
    const dataDir = savedAccount(100_000)
    const error = await startPracticeThread({ options: { dataDir } }, () => {}, MEMORY_MB).then(
      (thread) => (closeLater(() => thread.close()), undefined),
      (thrown: unknown) => thrown,
    )
    expect(error).toBeInstanceOf(UserFacingError)
    expect(error).toMatchObject({
      code: 'practice_out_of_memory',
      hint: expect.stringMatching(/Reset the practice account/),
    })
    // The same account opens with the thread's own memory limit.
    const opened = await startPracticeThread({ options: { dataDir } }, () => {})
    closeLater(() => opened.close())
    expect((await fetch(`${opened.apiBase}/account/summary`)).status).toBe(401)
  })
})

describe('its thread running out of memory while it works', () => {
  it('ends that thread, not the process: requests fail, the Connect step says why, and after a reset it answers again', async () => {
    const account = createAccountService({
      credentials: memoryCredentials(),
      openBrowser: () => {},
      practiceDataDir: tempDir('practice-thread'),
      limiter: testLimiter(),
      tokenGate: testTokenGate(),
      retry: FAST_RETRY,
      simulatorFactory: practiceSimulator({
        speed: TEST_SPEED,
        requestsPerSecond: TEST_REQUESTS_PER_SECOND,
        tokenRequestsPerSecond: TEST_TOKEN_REQUESTS_PER_SECOND,
        memoryMb: 48,
      }),
    })
    closeLater(() => account.close())
    await account.connect({ mode: 'browser', endpoint: 'practice' })
    const client = await account.client()
    const listId = (await client.createList({ name: 'Too many' })).list_id!
    // Imports of 40,000 contacts (the most one takes) until the practice account can't hold them.
    const failed = await (async () => {
      for (let start = 0; start < 2_000_000; start += 40_000) {
        const import_data = Array.from({ length: 40_000 }, (_, i) => ({
          email: `person${start + i}@example.com`,
          first_name: `First name of person ${start + i}`,
          last_name: `Last name of person ${start + i}`,
        }))
        try {
          await client.importContactsJson({ import_data, list_ids: [listId] })
        } catch (error) {
          return error
        }
      }
    })()
    expect(failed).toMatchObject({ code: 'cc_unreachable' })
    await expect
      .poll(async () => (await account.status()).practiceNotice)
      .toMatch(/holds more contacts than Splitsend can work with.*Reset the practice account/)
    // What the notice says to do: after a reset it answers again, the person still connected, the notice gone.
    await account.resetPractice()
    await expect((await account.client()).getAccountSummary()).resolves.toBeDefined()
    expect(await account.status()).toMatchObject({ connected: true, practice: true })
    expect((await account.status()).practiceNotice).toBeUndefined()
  }, 120_000)
})

describe('resetting it while it isn’t running', () => {
  it('is done in a thread of its own: the account as it started, its sign-ins kept', async () => {
    const dataDir = savedAccount(5_000)
    expect(await resetPracticeData(dataDir)).toEqual({ hadState: true, signInsKept: true })
    const reset = readStateFile(dataDir)!.data
    expect(reset.contacts).toHaveLength(seedData('practice', 0).contacts.length)
    expect(reset.auth.refresh_tokens).toEqual([SIGN_IN])
  })

  it('an account too big for that thread starts as new without being read, its sign-ins with it', async () => {
    const dataDir = savedAccount(100_000)
    expect(await resetPracticeData(dataDir, 16)).toEqual({ hadState: true, signInsKept: false })
    const reset = readStateFile(dataDir)!.data
    expect(reset.contacts).toHaveLength(seedData('practice', 0).contacts.length)
    expect(reset.auth.refresh_tokens).toEqual([])
  })
})

/** Practice servers whose stopping the test decides. */
function stoppableServers() {
  const started: { server: PracticeServer; stop(why: Error): void }[] = []
  /** What was reset: "server N" (a running one), or "kept account" (see resettableKeptAccount). */
  const resets: string[] = []
  const start = async (): Promise<PracticeServer> => {
    let stop: (why: Error) => void = () => {}
    const number = started.length + 1
    const server: PracticeServer = {
      apiBase: `http://127.0.0.1:${number}/v3`,
      authBase: `http://127.0.0.1:${number}/oauth2/default/v1`,
      notices: [],
      reset: async () => void resets.push(`server ${number}`),
      setSpeed: async () => {},
      close: async () => {},
      ended: new Promise((end) => (stop = end)),
    }
    started.push({ server, stop: (why) => stop(why) })
    return server
  }
  /** A reset of the kept account that lasts until the test ends it. */
  const ending: Array<() => void> = []
  const resetKeptAccount = () =>
    new Promise<{ signInsKept: boolean }>((done) =>
      ending.push(() => {
        resets.push('kept account')
        done({ signInsKept: true })
      }),
    )
  return { started, start, resets, resetKeptAccount, endReset: () => ending.shift()!() }
}

/** Accounts' endpoints over those servers; the kept account's reset done at once unless `options` say otherwise. */
function endpointsOver(
  start: () => Promise<PracticeServer>,
  options: Partial<ConstructorParameters<typeof AccountEndpoints>[0]> = {},
): AccountEndpoints {
  return new AccountEndpoints({
    secrets: new SecretStore(memoryCredentials()),
    startPractice: start,
    resetStoredPractice: async () => ({ signInsKept: true }),
    ...options,
  })
}

const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('when its thread stops by itself', () => {
  it('the next use starts it again and the kept client is dropped; running out of memory is said until a reset', async () => {
    const { started, start } = stoppableServers()
    let forgotten = 0
    const endpoints = endpointsOver(start, { onPracticeStopped: () => forgotten++ })
    expect((await endpoints.resolve({ kind: 'practice' })).apiBase).toBe('http://127.0.0.1:1/v3')
    expect(await endpoints.practiceNotice()).toEqual({})

    started[0]!.stop(new UserFacingError('practice_out_of_memory', 'It stopped.', 'Reset it.'))
    await settled()
    expect(forgotten).toBe(1)
    expect(await endpoints.practiceNotice()).toEqual({ practiceNotice: 'It stopped. Reset it.' })
    expect((await endpoints.resolve({ kind: 'practice' })).apiBase).toBe('http://127.0.0.1:2/v3')
    expect(started).toHaveLength(2)
    expect(await endpoints.practiceNotice()).toEqual({ practiceNotice: 'It stopped. Reset it.' })

    await endpoints.resetPractice()
    expect(await endpoints.practiceNotice()).toEqual({})
    // A server that is no longer the one in use stopping changes nothing.
    await endpoints.close()
    started[1]!.stop(new UserFacingError('practice_stopped', 'Stopped.'))
    await settled()
    expect(forgotten).toBe(1)
    expect(await endpoints.practiceNotice()).toEqual({})
  })

  it('any other stop is said until it runs again', async () => {
    const { started, start } = stoppableServers()
    const endpoints = endpointsOver(start)
    await endpoints.resolve({ kind: 'practice' })
    started[0]!.stop(new UserFacingError('practice_stopped', 'It stopped unexpectedly.', 'It starts again.'))
    await settled()
    expect(await endpoints.practiceNotice()).toEqual({ practiceNotice: 'It stopped unexpectedly. It starts again.' })
    await endpoints.resolve({ kind: 'practice' })
    expect(await endpoints.practiceNotice()).toEqual({})
  })
})

describe('closing it', () => {
  it('when its last save fails, says so on standard error and doesn’t stop the closing', async () => {
    const { started, start } = stoppableServers()
    const endpoints = endpointsOver(start)
    await endpoints.resolve({ kind: 'practice' })
    started[0]!.server.close = () => Promise.reject(new Error('No space left on device'))
    const written: string[] = []
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((text) => (written.push(String(text)), true))
    try {
      await expect(endpoints.close()).resolves.toBeUndefined()
    } finally {
      stderr.mockRestore()
    }
    expect(written.join('')).toMatch(/practice account could not be saved as it closed: No space left on device/)
  })
})

describe('a reset while it isn’t running', () => {
  it('and a start asked at once, then another reset: each in its turn, none waiting for itself', async () => {
    const { started, start, resets, resetKeptAccount, endReset } = stoppableServers()
    const endpoints = endpointsOver(start, { resetStoredPractice: resetKeptAccount })
    const first = endpoints.resetPractice()
    const resolving = endpoints.resolve({ kind: 'practice' })
    const second = endpoints.resetPractice()
    await settled()
    expect(started).toHaveLength(0)
    endReset()
    // The start asked second runs after the first reset; the second reset resets what it started.
    expect((await resolving).apiBase).toBe('http://127.0.0.1:1/v3')
    await Promise.all([first, second])
    expect(resets).toEqual(['kept account', 'server 1'])
  })

  it('asked twice, with a start asked while the first runs: the second reset resets the kept account before the start', async () => {
    const { started, start, resets, resetKeptAccount, endReset } = stoppableServers()
    const endpoints = endpointsOver(start, { resetStoredPractice: resetKeptAccount })
    const first = endpoints.resetPractice()
    const second = endpoints.resetPractice()
    await settled()
    const resolving = endpoints.resolve({ kind: 'practice' })
    endReset()
    await first
    await settled()
    expect(started).toHaveLength(0)
    endReset()
    await second
    expect((await resolving).apiBase).toBe('http://127.0.0.1:1/v3')
    expect(resets).toEqual(['kept account', 'kept account'])
  })

  it('holds back its start until the kept account is reset', async () => {
    const { started, start, resetKeptAccount, endReset } = stoppableServers()
    const endpoints = endpointsOver(start, { resetStoredPractice: resetKeptAccount })
    const reset = endpoints.resetPractice()
    await settled()
    const resolving = endpoints.resolve({ kind: 'practice' })
    await settled()
    expect(started).toHaveLength(0)
    endReset()
    await reset
    expect((await resolving).apiBase).toBe('http://127.0.0.1:1/v3')
  })

  it('that couldn’t keep the sign-ins ends the practice sign-in, and says so', async () => {
    const credentials = memoryCredentials()
    const secrets = new SecretStore(credentials)
    await secrets.setTokens(
      { kind: 'practice' },
      { access_token: 'a', refresh_token: 'r', expires_at: Date.now() + 60_000, scope: 'contact_data' },
    )
    await secrets.setConnection({ endpoint: { kind: 'practice' } })
    let told = 0
    const endpoints = new AccountEndpoints({
      secrets,
      startPractice: stoppableServers().start,
      resetStoredPractice: async () => ({ signInsKept: false }),
      onPracticeSignInsGone: () => told++,
    })
    await endpoints.resetPractice()
    expect(told).toBe(1)
    expect(await secrets.getTokens({ kind: 'practice' })).toBeNull()
    expect(await secrets.getConnection()).toMatchObject({ needsReconnect: true })
  })
})
