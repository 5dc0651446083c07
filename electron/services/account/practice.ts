import { join } from 'node:path'
import { defaultDataDir } from '../jobs/locations'
import { startSimulator } from '../cc-simulator/index'

/** The practice account's API key: the local Constant Contact accepts any, so it is not a secret. */
export const PRACTICE_CLIENT_ID = 'splitsend-practice-account'

/** A running local Constant Contact as the account service needs it. */
export interface PracticeServer {
  apiBase: string
  authBase: string
  close(): Promise<void>
}

export type SimulatorFactory = (options: { dataDir?: string }) => Promise<PracticeServer>

/** Starts the local Constant Contact with the practice account's data, approving sign-ins itself. */
export const startPracticeSimulator: SimulatorFactory = ({ dataDir }) =>
  startSimulator({
    seed: 'practice',
    autoApprove: true,
    speed: 'realistic',
    deviceIntervalSeconds: 1,
    ...(dataDir ? { dataDir } : {}),
  })

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
