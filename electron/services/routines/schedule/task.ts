/**
 * What every operating system's scheduler is given: the command a scheduled run executes, the
 * name it is registered under, and the shared pieces of each system's definition.
 */
import { createHash } from 'node:crypto'
import { spawn } from 'node:child_process'
import { UserFacingError } from '../../../../shared/errors'
import { routineNameKey, type Schedule } from '../../../../shared/routines/schema'

/**
 * The program a scheduled run executes and its arguments before the routine's name (see
 * command.ts): `<node> <bin/splitsend.js> routine run`, or the desktop app's own executable with
 * `--run-routine`.
 */
export interface ScheduleCommand {
  /** The executable (an absolute path). */
  program: string
  /** Its arguments before the routine's name. */
  arguments: string[]
  /**
   * Settings the run needs that a scheduled process wouldn't otherwise have (SPLITSEND_DATA_DIR when
   * the data folder is not the default one). Windows' Task Scheduler can't set any: see windows.ts.
   */
  environment?: Record<string, string>
}

/** A routine's run to register: the command with the routine's name on `schedule`. */
export interface ScheduleTarget extends ScheduleCommand {
  routineName: string
  schedule: Schedule
}

/** The arguments after the program. */
export function runArguments(target: ScheduleTarget): string[] {
  return [...target.arguments, target.routineName]
}

/**
 * The name a routine is registered under in every scheduler: ASCII letters and digits from its
 * name (unit names, launchd labels and task names all accept those) and a short hash of the whole
 * name, so names in any script, or names that differ only in punctuation, get distinct tasks.
 * It follows the name: renaming a routine means unregistering the old task and registering anew.
 */
export function taskId(routineName: string): string {
  const key = routineNameKey(routineName)
  const ascii = key
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 8)
  return `routine-${ascii ? `${ascii}-` : ''}${hash}`
}

export const WEEKDAY_INDEX = {
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
  sunday: 0,
} as const

export function hourMinute(at: string): { hour: number; minute: number } {
  const [hour, minute] = at.split(':').map(Number)
  return { hour: hour!, minute: minute! }
}

/** The schedule in words, for the print-out and the app. */
export function scheduleWords(schedule: Schedule): string {
  const weekday = schedule.every === 'week' ? schedule.weekday[0]!.toUpperCase() + schedule.weekday.slice(1) : ''
  if (schedule.every === 'month') return `every month on day ${schedule.day} at ${schedule.at}`
  if (schedule.every === 'week') return `every ${weekday} at ${schedule.at}`
  return `every day at ${schedule.at}`
}

/** A command line as a person reads it: each argument with a space or a quote in double quotes. */
export function commandLineWords(argv: readonly string[]): string {
  return argv.map((arg) => (arg === '' || /[\s"']/.test(arg) ? `"${arg.replace(/"/g, '\\"')}"` : arg)).join(' ')
}

/** Text as XML character data (and attribute values). */
export function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

// ---- running the schedulers' own commands --------------------------------------------------------

export interface CommandResult {
  /** null when the program could not be started (`missing` when it doesn't exist). */
  code: number | null
  stdout: string
  stderr: string
  missing?: boolean
}

/** Runs a program with arguments (never through a shell), optionally feeding `input` to it. */
export type CommandRunner = (argv: readonly string[], options?: { input?: string }) => Promise<CommandResult>

export const runCommand: CommandRunner = (argv, options = {}) =>
  new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ code: null, stdout: '', stderr: error.message, missing: error.code === 'ENOENT' }),
    )
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    )
    child.stdin.on('error', () => {}) // a program that exits without reading its input
    child.stdin.end(options.input ?? '')
  })

/** Runs a scheduler command that must succeed (see {@link mustSucceed}). */
export async function mustRun(
  run: CommandRunner,
  argv: readonly string[],
  system: string,
  input?: string,
): Promise<CommandResult> {
  return mustSucceed(await run(argv, { input }), argv, system)
}

/** The result of a scheduler command, or an error carrying the scheduler's own message. */
export function mustSucceed(result: CommandResult, argv: readonly string[], system: string): CommandResult {
  if (result.code === 0) return result
  const said = ((result.stderr || result.stdout).trim().split('\n')[0] ?? '').trim().replace(/\.$/, '')
  throw new UserFacingError(
    'schedule_failed',
    result.missing
      ? `Splitsend could not find “${argv[0]}” to change the routine's schedule with ${system}.`
      : `${system} refused to change the routine's schedule${said ? `: ${said}` : ''}.`,
    'Check the message above; you can always run the routine by hand with “splitsend routine run”.',
  )
}
