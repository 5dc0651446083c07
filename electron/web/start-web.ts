// `npm run web`: the same main-side services as the desktop app, served to an ordinary browser.
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { EventSink } from '../../shared/contract'
import { createAppServices } from '../services/app-services'
import { nodeScheduling } from '../services/routines/scheduling'
import { removeStaleUploadFolders } from '../services/files/file-registry'
import { startWebBridge, type WebBridge } from './bridge-server'
import { testPaceFromEnvironment } from './test-pace'
import { BridgeDownloads } from './downloads'
import { createWebHandlers } from './web-handlers'

const DEFAULT_PORT = 5417

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' } } })
  const port = Number(values.port ?? process.env.SPLITSEND_WEB_PORT ?? DEFAULT_PORT)
  // A fixed token may be given by automated tests; a person always gets a fresh random one.
  const token = process.env.SPLITSEND_WEB_TOKEN || randomBytes(24).toString('base64url')
  const here = dirname(fileURLToPath(import.meta.url))
  const version = process.env.npm_package_version ?? '0.0.0'

  let bridge: WebBridge | undefined
  const emit: EventSink = (event, payload) => bridge?.broadcast(event, payload)
  const testPace = testPaceFromEnvironment()
  const services = createAppServices({
    host: 'web',
    version,
    emit,
    scheduling: nodeScheduling(),
    ...(testPace ? { pace: testPace.services } : {}),
  })
  // Whatever ends this process, the private folder of uploaded files goes with it.
  process.once('exit', () => services.files.disposeNow())
  removeStaleUploadFolders()
  const downloads = new BridgeDownloads()
  const handlers = createWebHandlers(services, downloads)
  bridge = await startWebBridge({
    rendererDir: join(here, '..', 'renderer'),
    handlers,
    files: services.files,
    downloads,
    token,
    port,
    ...(testPace ? { setPracticeSpeed: testPace.setPracticeSpeed } : {}),
  })
  if (testPace)
    process.stdout.write(
      'At the tests’ pace (SPLITSEND_TEST_PACE): the practice account is faster than Constant Contact.\n',
    )
  process.stdout.write(
    `Splitsend is running for this computer only.\nOpen this address in your browser:\n\n  ${bridge.url}\n\nPress Ctrl+C to stop.\n`,
  )

  const stop = async () => {
    try {
      await bridge?.close()
      await services.dispose()
    } finally {
      process.exit(0)
    }
  }
  // Ctrl+C, a stop request, and the terminal window closed (SIGHUP): without a handler these end
  // the process without its 'exit' event.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => void stop())
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException)?.code
  process.stderr.write(
    code === 'EADDRINUSE'
      ? 'Splitsend could not start: its port is already in use (is Splitsend already running?). Stop the other copy, or choose another port with --port.\n'
      : `Splitsend could not start: ${(error as Error)?.message ?? String(error)}\n`,
  )
  process.exit(1)
})
