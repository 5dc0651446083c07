import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { defaultDataDir } from '../jobs/locations'
import type { SpeedSetting } from '../cc-simulator/activities'
import { resetSimulatorData } from '../cc-simulator/index'
import { UserFacingError } from '../../../shared/errors'
import { resetPracticeInThread, startPracticeThread } from './practice-thread'

/** The practice account's API key. Not a secret: the per-run client secret is what keeps others out. */
export const PRACTICE_CLIENT_ID = 'splitsend-practice-account'

/** A running local Constant Contact as the account service needs it. */
export interface PracticeServer {
  apiBase: string
  authBase: string
  /** The secret the practice application must show at the token endpoint, made anew for each run. */
  clientSecret?: string
  /** The practice account back to how it started (see {@link resetPracticeData}). */
  reset(): Promise<void>
  /** How fast it works through imports, exports and sends from now on (the browser tests' pace). */
  setSpeed(speed: SpeedSetting): Promise<void>
  /**
   * What its local Constant Contact had to tell the person since it started: its saved data couldn't
   * be read and was set aside (the account started again as new), or another program changed it.
   */
  readonly notices: readonly string[]
  close(): Promise<void>
  /** Settles when it stopped by itself (out of memory, a failure), with why; never after `close`. */
  ended: Promise<Error>
}

export type SimulatorFactory = (options: { dataDir?: string }) => Promise<PracticeServer>

/** How fast the practice account works and how often it may be asked: Constant Contact's own pace unless tests say otherwise. */
export interface PracticePace {
  speed: SpeedSetting
  /** Its thread's memory limit (default: practice-thread.ts's). */
  memoryMb?: number
  requestsPerSecond?: number
  tokenRequestsPerSecond?: number
}

const PERSON_PACE: PracticePace = { speed: 'realistic' }

/**
 * Starts the local Constant Contact with the practice account's data, approving sign-ins itself.
 * It approves without asking anyone, so it serves only Splitsend: the one client ID, with a secret
 * that exists only in this process for this run — another program on the computer can start a
 * sign-in but never turn it into a token, and so never read the practice contacts.
 */
export function practiceSimulator(pace: PracticePace = PERSON_PACE): SimulatorFactory {
  return async ({ dataDir }) => {
    const clientSecret = randomBytes(32).toString('base64url')
    const notices: string[] = []
    const thread = await startPracticeThread(
      {
        options: {
          seed: 'practice',
          autoApprove: true,
          speed: pace.speed,
          deviceIntervalSeconds: 1,
          clients: [{ clientId: PRACTICE_CLIENT_ID, secret: clientSecret }],
          onlyRegisteredClients: true,
          ...(pace.tokenRequestsPerSecond ? { tokenRequestsPerSecond: pace.tokenRequestsPerSecond } : {}),
          ...(dataDir ? { dataDir } : {}),
        },
        ...(pace.requestsPerSecond ? { requestsPerSecond: pace.requestsPerSecond } : {}),
      },
      (message) => {
        notices.push(message)
        process.stderr.write(`${message}\n`)
      },
      pace.memoryMb,
    )
    return { ...thread, clientSecret, notices }
  }
}

/** The practice account at a person's pace: a few seconds an import, 4 requests a second. */
export const startPracticeSimulator: SimulatorFactory = practiceSimulator()

/**
 * The practice account kept in `dataDir` back to how it started, while its local Constant Contact
 * isn't running: its lists, contacts and imports gone, its campaigns in draft again. Whoever is
 * connected stays connected, unless the account is too big for its thread to open: then it starts
 * as new without being read, its sign-ins with it. Resolves whether there was anything kept to reset.
 */
export async function resetPracticeData(
  dataDir: string = defaultPracticeDataDir(),
  memoryMb?: number,
): Promise<{ hadState: boolean; signInsKept: boolean }> {
  try {
    return { hadState: await resetPracticeInThread(dataDir, memoryMb), signInsKept: true }
  } catch (error) {
    if (!(error instanceof UserFacingError && error.code === 'practice_out_of_memory')) throw error
    return { hadState: resetSimulatorData(dataDir, 'practice', { unread: true }), signInsKept: false }
  }
}

/**
 * Where the practice account's data lives when the caller doesn't say: beside Electron's default
 * userData folder for "Splitsend", so the desktop app and the command share one practice account.
 * `SPLITSEND_DATA_DIR` overrides it (tests).
 */
export function defaultPracticeDataDir(): string {
  // Inside Splitsend's one data folder, so the app and the command share the practice account.
  return join(defaultDataDir(), 'practice-account')
}

/**
 * Plays the browser for the practice account: the local Constant Contact approves at once, so
 * following its redirect to the loopback listener is all a person would have seen. No window opens.
 */
export async function followPracticeConsent(url: string): Promise<void> {
  let next = url
  for (let hop = 0; hop < 5; hop++) {
    const response = await fetch(next, { redirect: 'manual' })
    await response.arrayBuffer()
    const location = response.headers.get('location')
    if (response.status < 300 || response.status >= 400 || !location) return
    next = new URL(location, next).href
  }
}
