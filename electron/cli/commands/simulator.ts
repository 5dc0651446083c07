import { EXIT, type CliCommand, type CliIO } from '../command'
import { noPositionals, parseCommandLine, usageError } from '../command-line'
import { defaultPracticeDataDir } from '../../services/account/practice'
import {
  resetSimulatorData,
  startSimulator,
  type ClientRegistration,
  type SpeedSetting,
} from '../../services/cc-simulator/index'

const SPEED_NAMES = ['instant', 'fast', 'realistic', 'slow']

export const simulatorCommand: CliCommand = {
  name: 'simulator',
  summary: 'Run a local Constant Contact (practice account) until Ctrl-C',
  usage: `Usage: splitsend simulator [--port N] [--auto-approve] [--speed S] [--data-dir DIR] [--empty]
                          [--client-id ID] [--register-redirect URI]... [--device-flow]
       splitsend simulator --reset [--data-dir DIR]

Runs Splitsend's local Constant Contact on this computer (127.0.0.1 only) and prints its addresses.
It starts with the practice account's lists, contacts and two draft campaigns.

  --port N                  Listen on port N (default: any free port).
  --auto-approve            Approve sign-ins without showing the consent page.
  --speed S                 How fast imports run: instant, fast, realistic (default), slow,
                            or a number of contacts per second.
  --data-dir DIR            Keep its data in DIR across restarts (default: in memory only).
  --empty                   Start with an empty account instead of the practice data.
  --client-id ID            The application's API key (default: local-test).
  --register-redirect URI   Register URI as a redirect address of that application, as in
                            Constant Contact's developer portal; repeat for several. A sign-in
                            that asks for any other address gets an error page, as on the real
                            service. Without it, any loopback address is accepted.
  --device-flow             Set that application up for the device flow (sign-in with a code)
                            instead of the browser sign-in.
  --reset                   Put the account kept in DIR (default: the practice account of
                            Splitsend and 'splitsend login --practice') back to how it started:
                            its lists, contacts and imports go, its campaigns are as they
                            started (the practice messages drafts again);
                            sign-ins stay valid. Close Splitsend first (or use "Reset the
                            practice account" on its Connect step). Runs nothing.
`,
  run: (args, io) => runSimulatorCommand(args, io, stopOnSignal()),
}

/** The command itself; `stop` resolves when it should shut down (Ctrl-C, or a test). */
export async function runSimulatorCommand(args: string[], io: CliIO, stop: Promise<void>): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    port: { type: 'string' },
    'auto-approve': { type: 'boolean' },
    speed: { type: 'string' },
    'data-dir': { type: 'string' },
    empty: { type: 'boolean' },
    'client-id': { type: 'string' },
    'register-redirect': { type: 'string', multiple: true },
    'device-flow': { type: 'boolean' },
    reset: { type: 'boolean' },
  })
  noPositionals(positionals)
  if (values.reset) return resetCommand(values, io)
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usageError(`--port must be a port number, not "${values.port}".`)
  const client = clientFrom(values)
  const sim = await startSimulator({
    port,
    autoApprove: values['auto-approve'] ?? false,
    speed: parseSpeed(values.speed),
    seed: values.empty ? 'empty' : 'practice',
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    ...(client.registration ? { clients: [client.registration] } : {}),
  })
  io.stdout(
    `Local Constant Contact is running (${values.empty ? 'empty account' : 'practice account'}).\n` +
      `  API:                   ${sim.apiBase}\n` +
      `  Authorization server:  ${sim.authBase}\n` +
      `${values['auto-approve'] ? 'Sign-ins are approved automatically.' : 'Sign-ins show a consent page in the browser.'}` +
      `${values['data-dir'] ? ` Data is kept in ${values['data-dir']}.` : ' Data is kept in memory only.'}\n` +
      `${client.describe}\n` +
      `Connect to it with:\n  splitsend login --api-base ${sim.apiBase} --auth-base ${sim.authBase} --client-id ${client.clientId}${client.loginFlags}\n` +
      'Press Ctrl-C to stop.\n',
  )
  await stop
  await sim.close()
  io.stdout('Local Constant Contact stopped.\n')
  return EXIT.ok
}

/** `--reset`: the kept account back to its start, without running anything. */
function resetCommand(values: Record<string, unknown>, io: CliIO): number {
  const others = Object.keys(values).filter((name) => name !== 'reset' && name !== 'data-dir')
  if (others.length) throw usageError(`--reset takes only --data-dir, not --${others[0]}.`)
  const dataDir = (values['data-dir'] as string | undefined) ?? defaultPracticeDataDir()
  if (!resetSimulatorData(dataDir, 'practice')) {
    io.stdout(`Nothing to reset: no account is kept in ${dataDir} yet.\n`)
    return EXIT.ok
  }
  io.stdout(
    `The account kept in ${dataDir} is back to how it started: its lists, contacts and imports are gone and its campaigns are as they started (the two practice messages drafts again). Sign-ins stay valid.\n`,
  )
  return EXIT.ok
}

/** The application `--client-id`, `--register-redirect` and `--device-flow` describe, if any. */
function clientFrom(values: { 'client-id'?: string; 'register-redirect'?: string[]; 'device-flow'?: boolean }): {
  clientId: string
  registration?: ClientRegistration
  describe: string
  loginFlags: string
} {
  const clientId = values['client-id'] ?? 'local-test'
  const redirects = (values['register-redirect'] ?? []).map((uri) => readingRedirect(uri))
  if (values['device-flow'] && redirects.length)
    throw usageError('An application set up for the device flow has no redirect addresses: use one of the two.')
  if (values['device-flow'])
    return {
      clientId,
      registration: { clientId, flow: 'device' },
      describe: `Application ${clientId} is set up for the device flow (sign-in with a code).`,
      loginFlags: ' --device',
    }
  if (redirects.length)
    return {
      clientId,
      registration: { clientId, flow: 'pkce', redirectUris: redirects },
      describe: `Application ${clientId} may send people back only to: ${redirects.join(', ')}`,
      loginFlags: ` --redirect-uri ${redirects[0]}`,
    }
  return { clientId, describe: 'Any application ID and loopback redirect address is accepted.', loginFlags: '' }
}

/** A redirect URI as the portal takes one: an absolute http(s) address without a fragment, kept as written. */
function readingRedirect(uri: string): string {
  let url: URL | undefined
  try {
    url = new URL(uri)
  } catch {
    url = undefined
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.hash)
    throw usageError(`--register-redirect needs a web address such as http://localhost:47611/callback, not "${uri}".`)
  return uri
}

function parseSpeed(value: string | undefined): SpeedSetting {
  if (value === undefined) return 'realistic'
  if (SPEED_NAMES.includes(value)) return value as SpeedSetting
  const perSecond = Number(value)
  if (!Number.isFinite(perSecond) || perSecond <= 0) {
    throw usageError(`--speed must be ${SPEED_NAMES.join(', ')} or a number of contacts per second, not "${value}".`)
  }
  return { startDelayMs: 1_000, itemsPerSecond: perSecond, minDurationMs: 1_000, sendDurationMs: 2_000 }
}

function stopOnSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}
