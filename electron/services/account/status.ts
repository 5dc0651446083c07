import type { AccountStatus } from '../../../shared/channels/account'
import type { CcClient } from '../constant-contact/client'
import type { EndpointRef } from './endpoint-ref'
import type { SecretStore } from './secret-store'

/** What the UI may show about the connection, from the keychain's records: never a secret. */
export async function accountStatus(
  secrets: SecretStore,
  /** What the status says of an endpoint beside the connection (its redirect address, the practice account's notice). */
  detailsOf: (ref: EndpointRef) => Promise<Pick<AccountStatus, 'redirectUri' | 'practiceNotice'>>,
): Promise<AccountStatus> {
  const signIn = await secrets.currentSignIn()
  if (!signIn)
    return {
      connected: false,
      practice: false,
      endpoint: 'real',
      needsReconnect: false,
      ...(await detailsOf({ kind: 'real' })),
    }
  const { connection, tokens } = signIn
  const ref = connection.endpoint
  const stillConnected = tokens !== null
  return {
    connected: stillConnected,
    practice: ref.kind === 'practice',
    endpoint: ref.kind,
    ...(ref.kind === 'custom' ? { apiBase: ref.apiBase } : {}),
    ...(connection.accountName ? { accountName: connection.accountName } : {}),
    ...(connection.email ? { email: connection.email } : {}),
    needsReconnect: !stillConnected && !!connection.needsReconnect,
    ...(await detailsOf(ref)),
  }
}

/** Reads the account's name and contact email from Constant Contact into the connection record. */
export async function refreshAccountDetails(secrets: SecretStore, ref: EndpointRef, client: CcClient): Promise<void> {
  const summary = await client.getAccountSummary()
  const accountName =
    summary.organization_name || [summary.first_name, summary.last_name].filter(Boolean).join(' ') || undefined
  await secrets.setConnection({
    endpoint: ref,
    ...(accountName ? { accountName } : {}),
    ...(summary.contact_email ? { email: summary.contact_email } : {}),
  })
}
