import { z } from 'zod'
import { RedirectAddressSchema } from '../../../shared/channels/account'
import type { CredentialStore } from '../credentials'
import { parseJsonAs } from '../files/json-text'
import { TokenRecordSchema, type TokenRecord } from './oauth'
import { endpointKey, EndpointRefSchema, type EndpointRef } from './endpoint-ref'
import type { RedirectAddress } from './redirect'

/**
 * Where the account service keeps things in the OS keychain (service "Splitsend"), shared by the
 * desktop app and the `splitsend` command:
 *
 *   constant-contact/<endpoint>/client-id   the app's API key for that endpoint
 *   constant-contact/<endpoint>/redirect    the redirect address chosen for it ({host, port}; no secret)
 *   constant-contact/<endpoint>/tokens      {access_token, refresh_token, expires_at, scope} (JSON)
 *   constant-contact/connection             which endpoint is in use + account name (no secret)
 *   constant-contact/endpoints              every endpoint key ever written, so Disconnect finds them all
 *
 * `<endpoint>` is `real`, `practice` or `custom <apiBase> <authBase>`, so a practice account and a
 * real one never overwrite each other.
 */
const ConnectionRecordSchema = z.object({
  endpoint: EndpointRefSchema,
  accountName: z.string().optional(),
  email: z.string().optional(),
  /** The refresh token stopped working: the person must connect again. */
  needsReconnect: z.boolean().optional(),
})
export type ConnectionRecord = z.infer<typeof ConnectionRecordSchema>

/** Every endpoint key ever written; an entry that isn't a key is skipped, the others still found. */
const KnownEndpointsSchema = z
  .array(z.unknown())
  .transform((keys) => keys.filter((key): key is string => typeof key === 'string'))

const PREFIX = 'constant-contact'
const CONNECTION = `${PREFIX}/connection`
const ENDPOINTS = `${PREFIX}/endpoints`

export class SecretStore {
  constructor(private readonly credentials: CredentialStore) {}

  async getClientId(ref: EndpointRef): Promise<string | null> {
    return this.credentials.get(`${PREFIX}/${endpointKey(ref)}/client-id`)
  }

  async setClientId(ref: EndpointRef, clientId: string): Promise<void> {
    await this.remember(ref)
    await this.credentials.set(`${PREFIX}/${endpointKey(ref)}/client-id`, clientId)
  }

  /**
   * The redirect address chosen for the application on this endpoint. It belongs with the API key
   * (both are what the developer portal registered), so the app and the command share it.
   */
  async getRedirect(ref: EndpointRef): Promise<RedirectAddress | null> {
    const raw = await this.credentials.get(`${PREFIX}/${endpointKey(ref)}/redirect`)
    // A damaged one is as if none was chosen: the default is shown, to be registered or chosen again.
    return (raw && parseJsonAs(RedirectAddressSchema, raw)) || null
  }

  async setRedirect(ref: EndpointRef, address: RedirectAddress): Promise<void> {
    await this.remember(ref)
    await this.credentials.set(`${PREFIX}/${endpointKey(ref)}/redirect`, JSON.stringify(address))
  }

  /**
   * The endpoint's tokens. A damaged record is never used (a wrong token could act on the wrong
   * account, a missing expiry would never renew): it is removed and the connection marked as
   * needing a new sign-in, so the person is asked to connect again, as when the sign-in expires.
   */
  async getTokens(ref: EndpointRef): Promise<TokenRecord | null> {
    const tokens = await this.readTokens(ref)
    if (tokens !== 'damaged') return tokens
    await this.endSignIn(ref)
    return null
  }

  /**
   * The connection and its endpoint's tokens, as they are once a damaged tokens record has ended
   * the sign-in (see getTokens); null when nothing is connected.
   */
  async currentSignIn(): Promise<{ connection: ConnectionRecord; tokens: TokenRecord | null } | null> {
    const connection = await this.getConnection()
    if (!connection) return null
    const tokens = await this.readTokens(connection.endpoint)
    if (tokens !== 'damaged') return { connection, tokens }
    return { connection: (await this.endSignIn(connection.endpoint, connection)) ?? connection, tokens: null }
  }

  private async readTokens(ref: EndpointRef): Promise<TokenRecord | 'damaged' | null> {
    const raw = await this.credentials.get(`${PREFIX}/${endpointKey(ref)}/tokens`)
    return raw ? (parseJsonAs(TokenRecordSchema, raw) ?? 'damaged') : null
  }

  async setTokens(ref: EndpointRef, tokens: TokenRecord): Promise<void> {
    await this.remember(ref)
    await this.credentials.set(`${PREFIX}/${endpointKey(ref)}/tokens`, JSON.stringify(tokens))
  }

  /**
   * The sign-in on this endpoint no longer works: its tokens go, and the connection says to connect
   * again. `connection`: the record as the caller just read it. Returns the record as it is now.
   */
  async endSignIn(ref: EndpointRef, connection?: ConnectionRecord | null): Promise<ConnectionRecord | null> {
    await this.credentials.delete(`${PREFIX}/${endpointKey(ref)}/tokens`)
    const current = connection === undefined ? await this.getConnection() : connection
    if (!current || endpointKey(current.endpoint) !== endpointKey(ref)) return current
    const ended = { ...current, needsReconnect: true }
    await this.setConnection(ended)
    return ended
  }

  async getConnection(): Promise<ConnectionRecord | null> {
    const raw = await this.credentials.get(CONNECTION)
    // A damaged record is as if none: the person is asked to connect, which writes it again.
    return (raw && parseJsonAs(ConnectionRecordSchema, raw)) || null
  }

  async setConnection(record: ConnectionRecord): Promise<void> {
    await this.credentials.set(CONNECTION, JSON.stringify(record))
  }

  /** Removes every entry Splitsend wrote for Constant Contact, on every endpoint. */
  async deleteEverything(): Promise<void> {
    const keys = new Set([...(await this.knownEndpoints()), 'real', 'practice'])
    for (const key of keys) {
      await this.credentials.delete(`${PREFIX}/${key}/tokens`)
      await this.credentials.delete(`${PREFIX}/${key}/client-id`)
      await this.credentials.delete(`${PREFIX}/${key}/redirect`)
    }
    await this.credentials.delete(CONNECTION)
    await this.credentials.delete(ENDPOINTS)
  }

  private async knownEndpoints(): Promise<string[]> {
    const raw = await this.credentials.get(ENDPOINTS)
    return (raw && parseJsonAs(KnownEndpointsSchema, raw)) || []
  }

  private async remember(ref: EndpointRef): Promise<void> {
    const known = await this.knownEndpoints()
    const key = endpointKey(ref)
    if (!known.includes(key)) await this.credentials.set(ENDPOINTS, JSON.stringify([...known, key]))
  }
}
