/**
 * The account a routine runs with (issue 12: "a run uses that account and refuses, with the
 * reason, when it isn't connected").
 *
 *   routineAccountClient(account, ref)   → { client, info }   the practice account is started when needed;
 *                                                              a real or custom one must be the connected one
 *   accountRefOf(status, endpoints?)     → Routine['account'] the connected account, as a routine records it
 */
import { UserFacingError } from '../../../shared/errors'
import type { AccountStatus } from '../../../shared/channels/account'
import type { Routine } from '../../../shared/routines/schema'
import type { AccountInfo } from '../../../shared/upload/schemas'
import type { CcClient } from '../constant-contact/client'
import { normalizeEndpoints } from '../constant-contact/endpoints'
import type { AccountService } from '../account/index'

type AccountRef = Routine['account']

export async function routineAccountClient(
  account: AccountService,
  ref: AccountRef,
): Promise<{ client: CcClient; info: AccountInfo }> {
  let status = await account.status()
  if (ref.endpoint === 'practice') {
    if (!(status.connected && status.practice))
      status = await account.connect({ mode: 'browser', endpoint: 'practice' })
  } else {
    const problem = mismatch(status, ref)
    if (problem) throw problem
  }
  const client = await account.client()
  return {
    client,
    info: {
      ...(status.accountName ? { name: status.accountName } : {}),
      ...(status.email ? { email: status.email } : {}),
      practice: status.practice,
    },
  }
}

/** Why the connected account is not the routine's (undefined: it is). */
function mismatch(
  status: AccountStatus,
  ref: Exclude<AccountRef, { endpoint: 'practice' }>,
): UserFacingError | undefined {
  const login =
    ref.endpoint === 'real'
      ? 'splitsend login'
      : `splitsend login --api-base ${ref.apiBase} --auth-base ${ref.authBase}`
  if (!status.connected)
    return new UserFacingError(
      status.needsReconnect ? 'cc_reconnect_needed' : 'cc_not_connected',
      'Splitsend isn’t connected to the Constant Contact account this routine uses.',
      `Run '${login}' first. Nothing was uploaded or sent.`,
    )
  const sameEndpoint =
    ref.endpoint === 'real'
      ? status.endpoint === 'real'
      : status.endpoint === 'custom' && status.apiBase === normalizeEndpoints(ref).apiBase
  const sameAccount =
    ref.endpoint !== 'real' ||
    ((!ref.email || !status.email || ref.email.toLowerCase() === status.email.toLowerCase()) &&
      (!ref.accountName || !status.accountName || ref.accountName === status.accountName))
  if (sameEndpoint && sameAccount) return undefined
  const routineAccount = ref.endpoint === 'real' ? `“${ref.accountName ?? ref.email ?? 'a real account'}”` : ref.apiBase
  return new UserFacingError(
    'cc_other_account',
    `Splitsend is connected to ${status.practice ? 'the practice account' : `“${status.accountName ?? status.email ?? status.apiBase ?? 'another account'}”`}, but this routine uses ${routineAccount}.`,
    `Run '${login}' to connect the routine's account first. Nothing was uploaded or sent.`,
  )
}

/** The connected account as a routine records it; a custom endpoint needs its addresses (the status holds only the API's). */
export function accountRefOf(status: AccountStatus, endpoints?: { apiBase: string; authBase: string }): AccountRef {
  if (endpoints) {
    const { apiBase, authBase } = normalizeEndpoints(endpoints)
    return { endpoint: 'custom', apiBase, authBase }
  }
  if (status.practice) return { endpoint: 'practice' }
  if (status.endpoint === 'custom' || !status.connected)
    throw new UserFacingError(
      'cc_not_connected',
      status.connected
        ? 'Say which Constant Contact the routine uses: Splitsend is connected to one at another address.'
        : 'Splitsend isn’t connected to Constant Contact, so it can’t tell which account the routine uses.',
      status.connected
        ? 'Add --api-base and --auth-base with its addresses.'
        : "Run 'splitsend login' (or add --practice for the practice account) first.",
    )
  return {
    endpoint: 'real',
    ...(status.accountName ? { accountName: status.accountName } : {}),
    ...(status.email ? { email: status.email } : {}),
  }
}
