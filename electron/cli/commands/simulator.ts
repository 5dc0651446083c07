import { EXIT, type CliCommand, type CliIO } from '../command'
import { noPositionals, parseCommandLine, usageError } from '../command-line'
import { startSimulator, type SpeedSetting } from '../../services/cc-simulator/index'

const SPEED_NAMES = ['instant', 'fast', 'realistic', 'slow']

export const simulatorCommand: CliCommand = {
  name: 'simulator',
  summary: 'Run a local Constant Contact (practice account) until Ctrl-C',
  usage: `Usage: splitsend simulator [--port N] [--auto-approve] [--speed S] [--data-dir DIR] [--empty]

Runs Splitsend's local Constant Contact on this computer (127.0.0.1 only) and prints its addresses.
It starts with the practice account's lists, contacts and two draft campaigns.

  --port N          Listen on port N (default: any free port).
  --auto-approve    Approve sign-ins without showing the consent page.
  --speed S         How fast imports run: instant, fast, realistic (default), slow,
                    or a number of contacts per second.
  --data-dir DIR    Keep its data in DIR across restarts (default: in memory only).
  --empty           Start with an empty account instead of the practice data.
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
  })
  noPositionals(positionals)
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usageError(`--port must be a port number, not "${values.port}".`)
  const sim = await startSimulator({
    port,
    autoApprove: values['auto-approve'] ?? false,
    speed: parseSpeed(values.speed),
    seed: values.empty ? 'empty' : 'practice',
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  })
  io.stdout(
    `Local Constant Contact is running (${values.empty ? 'empty account' : 'practice account'}).\n` +
      `  API:                   ${sim.apiBase}\n` +
      `  Authorization server:  ${sim.authBase}\n` +
      `${values['auto-approve'] ? 'Sign-ins are approved automatically.' : 'Sign-ins show a consent page in the browser.'}` +
      `${values['data-dir'] ? ` Data is kept in ${values['data-dir']}.` : ' Data is kept in memory only.'}\n` +
      `Connect to it with:\n  splitsend login --api-base ${sim.apiBase} --auth-base ${sim.authBase} --client-id local-test\n` +
      'Press Ctrl-C to stop.\n',
  )
  await stop
  await sim.close()
  io.stdout('Local Constant Contact stopped.\n')
  return EXIT.ok
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
