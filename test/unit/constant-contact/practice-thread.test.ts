import { describe, expect, it } from 'vitest'
import { UserFacingError } from '../../../shared/errors'
import { ActivityEngine, SPEEDS } from '../../../electron/services/cc-simulator/activities'
import { createClock } from '../../../electron/services/cc-simulator/clock'
import { seedData } from '../../../electron/services/cc-simulator/seed'
import { readStateFile, writeStateFile } from '../../../electron/services/cc-simulator/state-file'
import { SimStore } from '../../../electron/services/cc-simulator/store'
import { AccountEndpoints } from '../../../electron/services/account/endpoints'
import {
  resetPracticeData,
  startPracticeSimulator,
  type PracticeServer,
} from '../../../electron/services/account/practice'
import { startPracticeThread } from '../../../electron/services/account/practice-thread'
import { closeAfterEach, memoryCredentials, tempDir } from './helpers'
import { SecretStore } from '../../../electron/services/account/secret-store'

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

describe('resetting it while it isn’t running', () => {
  it('is done in a thread of its own: the account as it started, its sign-ins kept', async () => {
    const dataDir = savedAccount(5_000)
    expect(await resetPracticeData(dataDir)).toBe(true)
    const reset = readStateFile(dataDir)!.data
    expect(reset.contacts).toHaveLength(seedData('practice', 0).contacts.length)
    expect(reset.auth.refresh_tokens).toEqual([SIGN_IN])
  })

  it('an account too big for that thread starts as new without being read, its sign-ins with it', async () => {
    const dataDir = savedAccount(100_000)
    expect(await resetPracticeData(dataDir, 16)).toBe(true)
    const reset = readStateFile(dataDir)!.data
    expect(reset.contacts).toHaveLength(seedData('practice', 0).contacts.length)
    expect(reset.auth.refresh_tokens).toEqual([])
  })
})

describe('when its thread stops by itself', () => {
  /** Practice servers whose stopping the test decides. */
  function stoppableServers() {
    const started: { server: PracticeServer; stop(why: Error): void }[] = []
    const start = async (): Promise<PracticeServer> => {
      let stop: (why: Error) => void = () => {}
      const server: PracticeServer = {
        apiBase: `http://127.0.0.1:${started.length + 1}/v3`,
        authBase: `http://127.0.0.1:${started.length + 1}/oauth2/default/v1`,
        notices: [],
        reset: async () => {},
        setSpeed: async () => {},
        close: async () => {},
        ended: new Promise((end) => (stop = end)),
      }
      started.push({ server, stop: (why) => stop(why) })
      return server
    }
    return { started, start }
  }

  it('the next use starts it again, the kept client is dropped, and the account says why until a reset', async () => {
    const { started, start } = stoppableServers()
    let forgotten = 0
    const endpoints = new AccountEndpoints({
      secrets: new SecretStore(memoryCredentials()),
      startPractice: start,
      resetStoredPractice: async () => {},
      onPracticeStopped: () => forgotten++,
    })
    expect((await endpoints.resolve({ kind: 'practice' })).apiBase).toBe('http://127.0.0.1:1/v3')
    expect(await endpoints.practiceNotice()).toEqual({})

    started[0]!.stop(new UserFacingError('practice_out_of_memory', 'It stopped.', 'Reset it.'))
    await new Promise((resolve) => setImmediate(resolve))
    expect(forgotten).toBe(1)
    expect(await endpoints.practiceNotice()).toEqual({ practiceNotice: 'It stopped. Reset it.' })
    expect((await endpoints.resolve({ kind: 'practice' })).apiBase).toBe('http://127.0.0.1:2/v3')
    expect(started).toHaveLength(2)
    expect(await endpoints.practiceNotice()).toEqual({ practiceNotice: 'It stopped. Reset it.' })

    await endpoints.resetPractice()
    expect(await endpoints.practiceNotice()).toEqual({})
    // An earlier server stopping again changes nothing now.
    started[0]!.stop(new Error('again'))
    await new Promise((resolve) => setImmediate(resolve))
    expect(forgotten).toBe(1)
  })
})
