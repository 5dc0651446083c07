import { afterEach, describe, expect, it } from 'vitest'
import { createAccountService } from '../../../electron/services/account/index'
import { SecretStore } from '../../../electron/services/account/secret-store'
import { memoryCredentials } from './helpers'

const TOKENS = 'constant-contact/real/tokens'
const CONNECTION = 'constant-contact/connection'
const good = { access_token: 'a.b.c', refresh_token: 'r1', expires_at: Date.now() + 3_600_000, scope: 'contact_data' }

const services: Array<ReturnType<typeof createAccountService>> = []
afterEach(async () => {
  for (const service of services.splice(0)) await service.close()
})

/** A keychain where Splitsend was connected to the real Constant Contact, then the tokens entry was changed. */
function connectedWith(tokens: string) {
  const credentials = memoryCredentials()
  credentials.entries.set(CONNECTION, JSON.stringify({ endpoint: { kind: 'real' }, accountName: 'Acme' }))
  credentials.entries.set(TOKENS, tokens)
  const account = createAccountService({ credentials, openBrowser: () => {} })
  services.push(account)
  return { credentials, account }
}

describe('keychain records that were damaged', () => {
  it('reads the records as Splitsend writes them, older ones without a scope too', async () => {
    const { account, credentials } = connectedWith(JSON.stringify(good))
    expect(await account.status()).toMatchObject({ connected: true, accountName: 'Acme', needsReconnect: false })
    const { scope: _, ...older } = good
    credentials.entries.set(TOKENS, JSON.stringify(older))
    expect(await new SecretStore(credentials).getTokens({ kind: 'real' })).toEqual({ ...older, scope: '' })
  })

  it.each([
    ['not JSON', '{"access_token": "a.b'],
    ['no expiry', JSON.stringify({ ...good, expires_at: undefined })],
    ['an access token that is not text', JSON.stringify({ ...good, access_token: 12345 })],
    ['an empty access token', JSON.stringify({ ...good, access_token: '' })],
    ['a refresh token that is not text', JSON.stringify({ ...good, refresh_token: { token: 'r1' } })],
  ])('asks to connect again when the tokens entry has %s, and never uses it', async (_, damaged) => {
    const { account, credentials } = connectedWith(damaged)
    await expect(account.client()).rejects.toMatchObject({
      code: 'cc_reconnect_needed',
      hint: expect.stringContaining('Connect again'),
    })
    expect(await account.status()).toMatchObject({ connected: false, needsReconnect: true, accountName: 'Acme' })
    // Asked first, the status says so too.
    const other = connectedWith(damaged).account
    expect(await other.status()).toMatchObject({ connected: false, needsReconnect: true })
    // The damaged entry is gone; connecting again writes a good one.
    expect(credentials.entries.has(TOKENS)).toBe(false)
  })

  it('treats a damaged connection record as not connected, so the person connects again', async () => {
    for (const damaged of ['{"endpoint": ', JSON.stringify({ endpoint: { kind: 'elsewhere' } }), '"real"']) {
      const { account, credentials } = connectedWith(JSON.stringify(good))
      credentials.entries.set(CONNECTION, damaged)
      expect(await account.status()).toMatchObject({ connected: false, needsReconnect: false })
      await expect(account.client()).rejects.toMatchObject({ code: 'cc_not_connected' })
    }
  })

  it('falls back to the default redirect address, and still finds every endpoint to sign out of', async () => {
    const credentials = memoryCredentials()
    const secrets = new SecretStore(credentials)
    for (const damaged of ['{"host": "localhost"', JSON.stringify({ host: 'example.com', port: 47611 })]) {
      credentials.entries.set('constant-contact/real/redirect', damaged)
      expect(await secrets.getRedirect({ kind: 'real' })).toBeNull()
    }
    credentials.entries.set('constant-contact/real/redirect', JSON.stringify({ host: '127.0.0.1', port: 50000 }))
    expect(await secrets.getRedirect({ kind: 'real' })).toEqual({ host: '127.0.0.1', port: 50000 })

    const custom = 'custom https://api.example https://auth.example'
    credentials.entries.set('constant-contact/endpoints', JSON.stringify([custom, 7, null]))
    credentials.entries.set(`constant-contact/${custom}/tokens`, JSON.stringify(good))
    await secrets.deleteEverything()
    expect([...credentials.entries.keys()]).toEqual([])
  })
})
