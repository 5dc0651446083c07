// `npm run web`: the same main-side services as the desktop app, served to an ordinary browser.
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { EventSink } from '../../shared/contract'
import { createAppServices, notAvailableHere } from '../services/app-services'
import type { Handlers } from '../services/contract-dispatch'
import { startWebBridge, type WebBridge } from './bridge-server'

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
  const services = createAppServices({ host: 'web', version, emit })
  // The browser side serves host requests itself (a file input, a new tab); these answer only a stray call.
  const handlers: Handlers = {
    ...services.handlers,
    'files.pick': () => {
      throw notAvailableHere('A file dialog')
    },
    'dialog.chooseFolder': () => ({ folder: null, cancelled: false }),
    'links.openExternal': () => false,
    'report.open': () => false,
    'report.save': () => ({ saved: false, path: null }),
    'report.savePdf': () => {
      throw notAvailableHere('Saving as PDF')
    },
  }
  bridge = await startWebBridge({
    rendererDir: join(here, '..', 'renderer'),
    handlers,
    files: services.files,
    token,
    port,
  })
  process.stdout.write(
    `Splitsend is running for this computer only.\nOpen this address in your browser:\n\n  ${bridge.url}\n\nPress Ctrl+C to stop.\n`,
  )

  const stop = async () => {
    await bridge?.close()
    await services.dispose()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
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
