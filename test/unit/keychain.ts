import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll } from 'vitest'
import { tempDir } from './temp'

/**
 * Gives this test file an OS keychain of its own: a private D-Bus session with a fresh, unlocked
 * gnome-keyring, as test/with-keychain.sh makes for the whole run. Files that sign in to a local
 * Constant Contact (the keychain remembers one connection) or sign out (which removes every secret)
 * can then run at the same time as each other. Child processes inherit it through the environment.
 *
 * Call it at the top of the file, before anything touches the keychain: the keychain library keeps
 * the first connection a process makes. Outside a keychain session (no gnome-keyring) it does nothing.
 */
const START_KEYRING = fileURLToPath(new URL('../start-keyring.sh', import.meta.url))

export function privateKeychain(): void {
  if (process.env.SPLITSEND_IN_KEYCHAIN_SESSION !== '1') return
  let session: ReturnType<typeof spawn> | undefined
  beforeAll(async () => {
    const dataHome = tempDir('keyring')
    // `cat` holds the session open until its input closes: when this file ends, or its process dies.
    session = spawn(
      'dbus-run-session',
      ['--', 'bash', '-c', 'bash "$0" && echo "$DBUS_SESSION_BUS_ADDRESS" && exec cat', START_KEYRING],
      { env: { ...process.env, XDG_DATA_HOME: dataHome }, stdio: ['pipe', 'pipe', 'ignore'] },
    )
    const address = await new Promise<string>((resolve, reject) => {
      let text = ''
      session!.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString()
        if (text.includes('\n')) resolve(text.trim())
      })
      session!.once('exit', (code) => reject(new Error(`The private keychain session ended (${code}).`)))
    })
    process.env.DBUS_SESSION_BUS_ADDRESS = address
    process.env.XDG_DATA_HOME = dataHome
  })
  afterAll(() => {
    session?.stdin?.end()
  })
}
