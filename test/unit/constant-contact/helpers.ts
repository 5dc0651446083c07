import { once } from 'node:events'
import { afterEach } from 'vitest'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CredentialStore } from '../../../electron/services/credentials'
import {
  startSimulator,
  type RunningSimulator,
  type SimulatorOptions,
} from '../../../electron/services/cc-simulator/index'
import { createAccountService, type AccountServiceOptions } from '../../../electron/services/account/index'
import type { RetryPolicy } from '../../../electron/services/constant-contact/transport'
import { TEST_REQUESTS_PER_SECOND, TEST_TOKEN_REQUESTS_PER_SECOND, testLimiter, testTokenGate } from '../pace'

/** A keychain stand-in for tests that are not about the keychain itself. */
export function memoryCredentials(): CredentialStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>()
  return {
    entries,
    get: async (account) => entries.get(account) ?? null,
    set: async (account, secret) => {
      entries.set(account, secret)
    },
    delete: async (account) => entries.delete(account),
  }
}

export const FAST_RETRY: Partial<RetryPolicy> = {
  baseDelayMs: 10,
  maxDelayMs: 40,
  queueWaitsMs: [300],
  maxQueueWaitMs: 5_000,
  requestTimeoutMs: 5_000,
}

import { tempDir } from '../temp'

export { tempDir } from '../temp'

/**
 * Splitsend connected to the practice account the way the app does it, its data in `dataDir`.
 * `onClose` gets what stops its local Constant Contact (the caller's cleanup list), before connecting.
 */
export async function connectedPractice(onClose: (close: () => Promise<void>) => void, dataDir = tempDir('practice')) {
  const credentials = memoryCredentials()
  const account = createAccountService({
    credentials,
    openBrowser: () => {},
    practiceDataDir: dataDir,
    limiter: testLimiter(),
    tokenGate: testTokenGate(),
    retry: FAST_RETRY,
  })
  onClose(() => account.close())
  const status = await account.connect({ mode: 'browser', endpoint: 'practice' })
  return { account, status, client: await account.client(), credentials, dataDir }
}

/**
 * A test file's clean-up list (call once, at the file's top level): what a test registers — a local
 * Constant Contact, an account, a child process — is closed after that test, the last made first.
 */
export function closeAfterEach(): (close: () => void | Promise<void>) => void {
  const cleanups: Array<() => void | Promise<void>> = []
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!()
  })
  return (close) => void cleanups.push(close)
}

/** {@link connectedAccount} for a test file: each one made is closed after the test that made it. */
export function connectedAccountPerTest(): typeof connectedAccount {
  const closeLater = closeAfterEach()
  return async (...args) => {
    const ctx = await connectedAccount(...args)
    closeLater(ctx.close)
    return ctx
  }
}

/**
 * A local Constant Contact plus an account service connected to it through the real PKCE flow, both
 * at the tests' pace ({@link TEST_REQUESTS_PER_SECOND}) unless `serviceOptions.limiter` says otherwise.
 */
export async function connectedAccount(
  simOptions: SimulatorOptions = {},
  serviceOptions: Partial<AccountServiceOptions> = {},
): Promise<{
  sim: RunningSimulator
  account: ReturnType<typeof createAccountService>
  credentials: ReturnType<typeof memoryCredentials>
  close: () => Promise<void>
}> {
  const sim = await startSimulator({
    autoApprove: true,
    speed: 'fast',
    tokenRequestsPerSecond: TEST_TOKEN_REQUESTS_PER_SECOND,
    ...simOptions,
  })
  if (!serviceOptions.limiter) sim.control.setLimits({ requestsPerSecond: TEST_REQUESTS_PER_SECOND })
  const credentials = memoryCredentials()
  const account = createAccountService({
    credentials,
    openBrowser: async (url) => void (await playBrowser(url)),
    limiter: testLimiter(),
    tokenGate: testTokenGate(),
    retry: FAST_RETRY,
    ...serviceOptions,
  })
  const endpoint = { apiBase: sim.apiBase, authBase: sim.authBase }
  await account.saveApiKey('test-client-id', endpoint)
  await account.connect({ mode: 'browser', endpoint })
  let closed = false
  return {
    sim,
    account,
    credentials,
    // Once, however often it is called (a test may close it itself before its clean-up does).
    close: async () => {
      if (closed) return
      closed = true
      await account.close()
      await sim.close()
    },
  }
}

/**
 * Plays the person's browser: opens the authorize address, presses Allow on the consent page if
 * there is one, and follows redirects until the loopback listener answers.
 */
export async function playBrowser(url: string, decision: 'allow' | 'deny' = 'allow'): Promise<Response> {
  let response = await fetch(url, { redirect: 'manual' })
  const html = await response.clone().text()
  const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1]
  if (response.status === 200 && requestId) {
    const action = new URL(/action="([^"]+)"/.exec(html)![1]!, url)
    response = await fetch(action, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ request_id: requestId, decision }),
    })
  }
  while (response.status >= 300 && response.status < 400) {
    const location = response.headers.get('location')!
    response = await fetch(location, { redirect: 'manual' })
  }
  return response
}

/** The most requests that arrived within any `windowMs` span. */
export function maxInAnyWindow(times: number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b)
  let best = 0
  let start = 0
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++
    best = Math.max(best, end - start + 1)
  }
  return best
}

export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  everyMs = 100,
): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > until) throw new Error('waitFor timed out')
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

/** A port nothing listens on right now (on either loopback address). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}
