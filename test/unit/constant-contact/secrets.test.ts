import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../../electron/cli/splitsend'
import { createCredentialStore } from '../../../electron/services/credentials'
import { createAccountService } from '../../../electron/services/account/index'
import { privateKeychain } from '../keychain'
import { tempDir } from './helpers'

/**
 * Uses the real OS keychain: run under `bash test/with-keychain.sh npx vitest run test/unit/constant-contact`,
 * which gives the tests a private, unlocked keyring of their own.
 */
const inKeychainSession = process.env.SPLITSEND_IN_KEYCHAIN_SESSION === '1'
// Its own keychain: signing out removes every Splitsend secret, which other files running now hold.
privateKeychain()

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

describe.skipIf(!inKeychainSession)('secrets stay in the keychain', () => {
  const dataDir = tempDir('secrets')
  const previous = process.env.SPLITSEND_DATA_DIR
  process.env.SPLITSEND_DATA_DIR = dataDir
  afterAll(() => {
    if (previous === undefined) delete process.env.SPLITSEND_DATA_DIR
    else process.env.SPLITSEND_DATA_DIR = previous
  })

  let output = ''
  const io = { stdout: (t: string) => void (output += t), stderr: (t: string) => void (output += t) }

  it('login --practice stores tokens only in the keychain; whoami names the practice account; logout removes every secret', async () => {
    expect(await main(['login', '--practice'], io)).toBe(0)
    expect(output).toContain('Connected to the practice account “Practice account')

    const keychain = createCredentialStore()
    const stored = await keychain.get('constant-contact/practice/tokens')
    expect(stored).toBeTruthy()
    const tokens = JSON.parse(stored!) as { access_token: string; refresh_token: string }
    expect(tokens.access_token.split('.')).toHaveLength(3) // a JWT, as Constant Contact issues
    expect(tokens.refresh_token.length).toBeGreaterThan(20)

    expect(await main(['whoami'], io)).toBe(0)
    expect(output).toMatch(/practice account .*owner@practice\.example/)

    // What the UI would receive.
    const account = createAccountService({ credentials: keychain, openBrowser: () => {} })
    const status = JSON.stringify(await account.status({ refresh: true }))
    await account.close()
    expect(status).toContain('Practice account')

    // Nowhere else: not in the practice account's files, the command's output, or the status.
    const files = filesUnder(dataDir)
    expect(files.length).toBeGreaterThan(0)
    for (const secret of [tokens.access_token, tokens.refresh_token, tokens.access_token.split('.')[2]!]) {
      for (const file of files) expect(readFileSync(file, 'utf8'), file).not.toContain(secret)
      expect(output).not.toContain(secret)
      expect(status).not.toContain(secret)
    }

    expect(await main(['logout'], io)).toBe(0)
    for (const entry of [
      'constant-contact/practice/tokens',
      'constant-contact/practice/client-id',
      'constant-contact/real/tokens',
      'constant-contact/connection',
      'constant-contact/endpoints',
    ]) {
      expect(await keychain.get(entry), entry).toBeNull()
    }
    expect(await main(['whoami'], io)).toBe(1)
    expect(output).toContain('Not connected to Constant Contact')
  })

  it('keeps a real account’s API key apart from the practice account', async () => {
    const keychain = createCredentialStore()
    const account = createAccountService({ credentials: keychain, openBrowser: () => {} })
    await account.saveApiKey('real-app-key')
    await account.saveApiKey('local-key', {
      apiBase: 'http://127.0.0.1:9/v3',
      authBase: 'http://127.0.0.1:9/oauth2/default/v1',
    })
    expect(await keychain.get('constant-contact/real/client-id')).toBe('real-app-key')
    expect(
      await keychain.get(
        'constant-contact/custom http://127.0.0.1:9/v3 http://127.0.0.1:9/oauth2/default/v1/client-id',
      ),
    ).toBe('local-key')
    await account.disconnect()
    expect(await keychain.get('constant-contact/real/client-id')).toBeNull()
    expect(
      await keychain.get(
        'constant-contact/custom http://127.0.0.1:9/v3 http://127.0.0.1:9/oauth2/default/v1/client-id',
      ),
    ).toBeNull()
  })
})
