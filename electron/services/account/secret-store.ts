import type { CredentialStore } from '../credentials'
import type { TokenRecord } from './oauth'
import { endpointKey, type EndpointRef } from './endpoint-ref'
import { validRedirectPort, type RedirectAddress } from './redirect'

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
export interface ConnectionRecord {
  endpoint: EndpointRef
  accountName?: string
  email?: string
  /** The refresh token stopped working: the person must connect again. */
  needsReconnect?: boolean
}

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
    try {
      const parsed = raw ? (JSON.parse(raw) as Partial<RedirectAddress>) : null
      return parsed &&
        (parsed.host === 'localhost' || parsed.host === '127.0.0.1') &&
        validRedirectPort(Number(parsed.port))
        ? { host: parsed.host, port: Number(parsed.port) }
        : null
    } catch {
      return null
    }
  }

  async setRedirect(ref: EndpointRef, address: RedirectAddress): Promise<void> {
    await this.remember(ref)
    await this.credentials.set(`${PREFIX}/${endpointKey(ref)}/redirect`, JSON.stringify(address))
  }

  async getTokens(ref: EndpointRef): Promise<TokenRecord | null> {
    const raw = await this.credentials.get(`${PREFIX}/${endpointKey(ref)}/tokens`)
    if (!raw) return null
    try {
      const parsed = JSON.parse(raw) as TokenRecord
      return typeof parsed.access_token === 'string' ? parsed : null
    } catch {
      return null
    }
  }

  async setTokens(ref: EndpointRef, tokens: TokenRecord): Promise<void> {
    await this.remember(ref)
    await this.credentials.set(`${PREFIX}/${endpointKey(ref)}/tokens`, JSON.stringify(tokens))
  }

  async deleteTokens(ref: EndpointRef): Promise<void> {
    await this.credentials.delete(`${PREFIX}/${endpointKey(ref)}/tokens`)
  }

  async getConnection(): Promise<ConnectionRecord | null> {
    const raw = await this.credentials.get(CONNECTION)
    if (!raw) return null
    try {
      return JSON.parse(raw) as ConnectionRecord
    } catch {
      return null
    }
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
    try {
      const parsed = raw ? (JSON.parse(raw) as unknown) : []
      return Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : []
    } catch {
      return []
    }
  }

  private async remember(ref: EndpointRef): Promise<void> {
    const known = await this.knownEndpoints()
    const key = endpointKey(ref)
    if (!known.includes(key)) await this.credentials.set(ENDPOINTS, JSON.stringify([...known, key]))
  }
}
