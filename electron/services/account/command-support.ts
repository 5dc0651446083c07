import { createCredentialStore } from '../credentials'
import { createAccountService, type AccountService } from './index'
import type { AccountStatus } from '../../../shared/channels/account'
import type { EndpointChoice } from './endpoint-ref'
import { UserFacingError } from '../../../shared/errors'

/** The endpoint options the `login` command (and later `upload`/`send`) accept. */
export interface EndpointFlags {
  practice?: boolean
  'api-base'?: string
  'auth-base'?: string
}

export const ENDPOINT_OPTIONS = {
  practice: { type: 'boolean' },
  'api-base': { type: 'string' },
  'auth-base': { type: 'string' },
} as const

export function endpointFromFlags(flags: EndpointFlags): EndpointChoice {
  const apiBase = flags['api-base']
  const authBase = flags['auth-base']
  if (flags.practice && (apiBase || authBase)) throw usage('Use either --practice or --api-base/--auth-base, not both.')
  if (flags.practice) return 'practice'
  if (apiBase || authBase) {
    if (!apiBase || !authBase) throw usage('--api-base and --auth-base go together: give both addresses.')
    return { apiBase, authBase }
  }
  return 'real'
}

/** The account service as the command uses it: the OS keychain, and addresses printed instead of opened. */
export function commandAccountService(print: (text: string) => void): AccountService {
  return createAccountService({
    credentials: createCredentialStore(),
    openBrowser: (url) =>
      print(
        `Open this address in your web browser and allow Splitsend to use your Constant Contact account:\n\n  ${url}\n\nWaiting for Constant Contact…\n`,
      ),
  })
}

export function describeStatus(status: AccountStatus): string {
  if (!status.connected) {
    return status.needsReconnect
      ? `The connection to ${status.accountName ? `“${status.accountName}”` : 'Constant Contact'} has ended. Run 'splitsend login' to connect again; unfinished work is kept.\n`
      : "Not connected to Constant Contact. Run 'splitsend login' (or 'splitsend login --practice' to try the practice account).\n"
  }
  const who = `${status.accountName ? `“${status.accountName}”` : 'a Constant Contact account'}${status.email ? ` (${status.email})` : ''}`
  if (status.practice)
    return `Connected to the practice account ${who}. It runs on this computer; nothing is really sent.\n`
  if (status.endpoint === 'custom') return `Connected to ${who} at ${status.apiBase}.\n`
  return `Connected to ${who}.\n`
}

/** A usage error (code `usage`): the command adds the pointer to its own --help. */
function usage(message: string): UserFacingError {
  return new UserFacingError('usage', message)
}
