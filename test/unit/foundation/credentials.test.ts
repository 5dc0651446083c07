import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createCredentialStore, KEYCHAIN_SERVICE } from '../../../electron/services/credentials'

// These tests use the real Secret Service started by test/with-keychain.sh (gnome-keyring in a
// private D-Bus session with a fresh XDG_DATA_HOME), never a stand-in.
const inKeychainSession = process.env.SPLITSEND_IN_KEYCHAIN_SESSION === '1'

describe.runIf(inKeychainSession)('the credentials service (real OS keychain)', () => {
  const store = createCredentialStore()
  const account = `test-${randomBytes(4).toString('hex')}`

  it('stores, reads and deletes a secret under the service name Splitsend', async () => {
    const secret = `s3cret-${randomBytes(8).toString('hex')}`
    await store.set(account, secret)
    expect(await store.get(account)).toBe(secret)
    // Ask the Secret Service directly, through libsecret's own tool, that the item is really there.
    const lookedUp = execFileSync('secret-tool', ['lookup', 'service', KEYCHAIN_SERVICE, 'username', account], {
      encoding: 'utf8',
    })
    expect(lookedUp).toBe(secret)
    expect(await store.delete(account)).toBe(true)
    expect(await store.get(account)).toBeNull()
    expect(await store.delete(account)).toBe(false)
  })

  it('keeps secrets in the keychain’s encrypted store, never as plain text in a file', async () => {
    const secret = `plain-${randomBytes(12).toString('hex')}`
    await store.set(account, secret)
    const dataHome = process.env.XDG_DATA_HOME!
    for (const file of filesUnder(dataHome)) expect(readFileSync(file).includes(Buffer.from(secret))).toBe(false)
    await store.delete(account)
  })

  it('overwrites a secret rather than keeping two', async () => {
    await store.set(account, 'first')
    await store.set(account, 'second')
    expect(await store.get(account)).toBe('second')
    await store.delete(account)
  })
})

describe('the credentials service without a keychain', () => {
  it('fails with a message that says what to install, and writes no file', () => {
    const script = `
      import { createCredentialStore } from './electron/services/credentials.ts'
      try { await createCredentialStore().set('probe', 'x'); console.log(JSON.stringify({ stored: true })) }
      catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message, hint: e.hint })) }`
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: {
        ...process.env,
        DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/splitsend-no-bus',
        SPLITSEND_IN_KEYCHAIN_SESSION: '',
      },
    })
    const outcome = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}')
    expect(outcome.code).toBe('keychain_unavailable')
    expect(outcome.message).toMatch(/password store \(keychain\)/)
    expect(outcome.hint).toMatch(/gnome-keyring/)
  })
})

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}
