import { createAccountService, type AccountServiceOptions } from '../../electron/services/account/index'
import { memoryCredentials, playBrowser } from '../unit/constant-contact/helpers'

/** The benches' account service: credentials in memory, the browser sign-in played by the tests' browser. */
export function benchAccount(options: Pick<AccountServiceOptions, 'onEvent'> = {}) {
  return createAccountService({
    credentials: memoryCredentials(),
    openBrowser: (url) => void playBrowser(url),
    ...options,
  })
}

/** Signs the account in to the local Constant Contact at these addresses (API key, then the browser flow). */
export async function signInToSimulator(
  account: ReturnType<typeof benchAccount>,
  sim: { apiBase: string; authBase: string },
): Promise<void> {
  const endpoint = { apiBase: sim.apiBase, authBase: sim.authBase }
  await account.saveApiKey('bench', endpoint)
  await account.connect({ mode: 'browser', endpoint })
}
