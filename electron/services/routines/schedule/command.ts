/**
 * Which command line a routine's schedule registers, and what the desktop app does when a
 * scheduler starts it to run one: plain functions, so the Electron shell only calls them.
 *
 * The packaged desktop app can't run as Node: its runAsNode fuse is off on purpose
 * (build/electron-builder.yml), so the signed app never runs a script someone hands it. It
 * registers its own executable with `--run-routine <name>` instead; the shell hands that to the
 * `splitsend` command's `routine run <name>` (the same engine, headless, no window) and exits with
 * the run's exit code. From source (`npm start`), through the web bridge and from the command, the
 * registered command is `<node> <repo>/bin/splitsend.js routine run <name>`.
 *
 *   scheduleCommandFor(host)   → the command (the routine's name is added last), or why there is none
 *   scheduledRunOf(argv)       → the `splitsend` arguments to run for `--run-routine <name>`, or null
 */
import { existsSync } from 'node:fs'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ScheduleCommand } from './task'

/** The desktop app's argument for a scheduled run: `--run-routine <name>` (or `--run-routine=<name>`). */
export const RUN_ROUTINE_SWITCH = '--run-routine'

/** What registers the schedule: the desktop shell (Electron) or a Node process (web bridge, command). */
export interface ScheduleHost {
  /** The Electron shell: its executable (process.execPath) and whether it is the installed app. */
  electron?: { executable: string; packaged: boolean }
  /** A Node.js executable, when this process is one (the web bridge, the command). */
  node?: string
  /** bin/splitsend.js (found by {@link findCli} when not given). */
  cli?: string
  platform: NodeJS.Platform
  env: NodeJS.ProcessEnv
}

export function scheduleCommandFor(host: ScheduleHost): ScheduleCommand | { unavailable: string } {
  const dataDir = host.env.SPLITSEND_DATA_DIR
  const environment = dataDir ? { environment: { SPLITSEND_DATA_DIR: resolve(dataDir) } } : {}
  if (host.electron?.packaged) {
    // An AppImage runs from a folder mounted for this run only; the image itself is what stays.
    const appImage = host.platform === 'linux' ? host.env.APPIMAGE : undefined
    return { program: appImage || host.electron.executable, arguments: [RUN_ROUTINE_SWITCH], ...environment }
  }
  const node = host.node ?? (host.electron ? nodeFor(host.env, host.platform) : undefined)
  const cli = host.cli ?? findCli()
  if (!node || !cli)
    return {
      unavailable: `Splitsend can’t find ${node ? 'its bin/splitsend.js' : 'Node.js'} to run the routine on a schedule. Set the schedule with the command instead: npx splitsend routine schedule <name> --monthly <day> --at <HH:MM>.`,
    }
  return { program: node, arguments: [cli, 'routine', 'run'], ...environment }
}

/**
 * The `splitsend` arguments for a scheduled start of the desktop app (`routine run <name>`), or null
 * when the app was started to open its window. A switch without a name gives `routine run`, which
 * the command answers with its usage error (exit 2).
 */
export function scheduledRunOf(argv: readonly string[]): string[] | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === RUN_ROUTINE_SWITCH) {
      const name = argv[i + 1]
      return name === undefined || name.startsWith('--') ? ['routine', 'run'] : ['routine', 'run', name]
    }
    if (arg.startsWith(`${RUN_ROUTINE_SWITCH}=`)) {
      const name = arg.slice(RUN_ROUTINE_SWITCH.length + 1)
      return name ? ['routine', 'run', name] : ['routine', 'run']
    }
  }
  return null
}

/**
 * The Node.js that started the desktop app from source (`npm start` says which), else the first
 * `node` on the PATH.
 */
function nodeFor(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  if (env.npm_node_execpath && existsSync(env.npm_node_execpath)) return env.npm_node_execpath
  const names = platform === 'win32' ? ['node.exe'] : ['node']
  for (const dir of (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : delimiter)) {
    for (const name of names) {
      const candidate = dir && join(dir, name)
      if (candidate && existsSync(candidate)) return candidate
    }
  }
  return undefined
}

/**
 * bin/splitsend.js, which a scheduled run executes: found above this module, whether it runs built
 * (out/main/*.js) or from its source (tests).
 */
export function findCli(from: string = fileURLToPath(import.meta.url)): string | undefined {
  let dir = dirname(from)
  for (let up = 0; up < 6; up++) {
    const candidate = join(dir, 'bin', 'splitsend.js')
    if (existsSync(candidate)) return candidate
    dir = dirname(dir)
  }
  return undefined
}
