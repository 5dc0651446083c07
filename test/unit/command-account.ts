import { createAccountService, type AccountService } from '../../electron/services/account/index'
import { startSimulator, type RunningSimulator, type SeedName } from '../../electron/services/cc-simulator/index'
import type { SpeedSetting } from '../../electron/services/cc-simulator/activities'
import { createCredentialStore } from '../../electron/services/credentials'
import { replaceSharedRateLimiter } from '../../electron/services/constant-contact/rate-limiter'
import { playBrowser } from './constant-contact/helpers'
import { TEST_REQUESTS_PER_SECOND, TEST_SPEED, testLimiter } from './pace'

/**
 * For tests of the `splitsend` commands: a local Constant Contact, and the keychain signed in to it
 * with `apiKey` (as 'splitsend login --api-base … --auth-base …' leaves it), at the tests' pace.
 * The commands run in the test's process, so its shared rate limiter is replaced; `close` puts it
 * back. Call in beforeAll, in a file that has its own keychain (privateKeychain()).
 */
export async function signedInCommandAccount(
  apiKey: string,
  options: { speed?: SpeedSetting; seed?: SeedName } = {},
): Promise<{
  sim: RunningSimulator
  account: AccountService
  /** The options that name this Constant Contact on a command line. */
  endpointArgs: string[]
  close(): Promise<void>
}> {
  const sim = await startSimulator({
    autoApprove: true,
    speed: options.speed ?? TEST_SPEED,
    ...(options.seed ? { seed: options.seed } : {}),
  })
  replaceSharedRateLimiter(testLimiter())
  sim.control.setLimits({ requestsPerSecond: TEST_REQUESTS_PER_SECOND })
  const endpoint = { apiBase: sim.apiBase, authBase: sim.authBase }
  const account = createAccountService({
    credentials: createCredentialStore(),
    openBrowser: (url) => void playBrowser(url),
  })
  await account.saveApiKey(apiKey, endpoint)
  await account.connect({ mode: 'browser', endpoint })
  return {
    sim,
    account,
    endpointArgs: ['--api-base', sim.apiBase, '--auth-base', sim.authBase],
    async close() {
      await account.close()
      await sim.close()
      replaceSharedRateLimiter(undefined)
    },
  }
}
