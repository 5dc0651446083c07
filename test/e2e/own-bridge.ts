/**
 * A web bridge of a test's own, on its own data folder, for a test that must stop the bridge or start
 * it on data it prepared (the workers' bridges are shared by the tests of their worker).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'
import { E2E_TOKEN } from '../../playwright.config'

/** A port nobody listens on now (a bridge started again comes back on the same one, as `npm run web` does). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/**
 * Starts `npm run web`'s bridge on `dataDir` and `port`. It shares this worker's keychain, unless
 * `ownKeychain`: then it runs in a keychain session of its own (test/with-keychain.sh), so it starts
 * with no account connected whatever this worker's earlier tests did.
 */
export function startBridge(
  dataDir: string,
  port: number,
  options: { ownKeychain?: boolean } = {},
): Promise<ChildProcess> {
  const bridge = [process.execPath, 'out/main/web.js', '--port', String(port)]
  const [command, ...args] = options.ownKeychain ? ['bash', 'test/with-keychain.sh', ...bridge] : bridge
  const child = spawn(command!, args, {
    env: {
      ...process.env,
      SPLITSEND_DATA_DIR: dataDir,
      SPLITSEND_WEB_TOKEN: E2E_TOKEN,
      ...(options.ownKeychain ? { SPLITSEND_IN_KEYCHAIN_SESSION: '' } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
    // Its own process group: stop() ends the keychain session's processes with it.
    detached: true,
  })
  return new Promise((resolve, reject) => {
    // One that never says it is ready is stopped, with its keychain session, rather than left running.
    const gaveUp = setTimeout(() => {
      void stop(child)
      reject(new Error('the bridge did not start within 30 s'))
    }, 30_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      if (!String(chunk).includes('Open this address')) return
      clearTimeout(gaveUp)
      resolve(child)
    })
    child.once('exit', (code) => {
      clearTimeout(gaveUp)
      reject(new Error(`the bridge ended at once (${code})`))
    })
  })
}

/** Stops a bridge started by {@link startBridge} (and its keychain session, if it has one). */
export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    process.kill(-child.pid!, 'SIGTERM')
  })
}
