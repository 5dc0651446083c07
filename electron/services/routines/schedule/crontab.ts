/**
 * Linux without a systemd user manager: a line in the person's crontab, between two marker
 * comments that name the task, installed with the system's own `crontab` command. Everything else
 * in the crontab is kept as it is; only the lines between Splitsend's markers are replaced or
 * removed.
 *
 * Quoting: cron hands the command to /bin/sh, so each argument is in single quotes (a quote inside
 * written '\''); and cron itself turns every % into a new line unless it is written \%, so a % is
 * put outside the quotes as \% (where the character before it is always the closing quote, never a
 * backslash that would change what \% means).
 *
 * A cron job gets almost no environment: the person's session bus is named explicitly, so the run
 * can reach the keychain while they are logged in. cron doesn't catch up on a run missed while the
 * computer was off.
 */
import {
  hourMinute,
  mustRun,
  mustSucceed,
  runArguments,
  scheduleWords,
  taskId,
  WEEKDAY_INDEX,
  type CommandRunner,
  type ScheduleTarget,
} from './task'
import type { Scheduler, SchedulerOptions } from './index'

const SYSTEM = 'cron'

function cronMarkers(routineName: string): { begin: string; end: string } {
  const id = `splitsend-${taskId(routineName)}`
  return {
    begin: `# BEGIN ${id} (managed by Splitsend: change it with “splitsend routine schedule”)`,
    end: `# END ${id}`,
  }
}

/** The crontab lines for the routine: the markers, its name as a comment, and the entry. */
export function crontabBlock(target: ScheduleTarget, options: Pick<SchedulerOptions, 'uid'>): string {
  const { hour, minute } = hourMinute(target.schedule.at)
  const day = target.schedule.every === 'month' ? String(target.schedule.day) : '*'
  const weekday = target.schedule.every === 'week' ? String(WEEKDAY_INDEX[target.schedule.weekday]) : '*'
  const environment = {
    XDG_RUNTIME_DIR: `/run/user/${options.uid}`,
    DBUS_SESSION_BUS_ADDRESS: `unix:path=/run/user/${options.uid}/bus`,
    ...target.environment,
  }
  const command = [
    ...Object.entries(environment).map(([key, value]) => `${key}=${cronShellQuote(value)}`),
    ...[target.program, ...runArguments(target)].map(cronShellQuote),
  ].join(' ')
  const { begin, end } = cronMarkers(target.routineName)
  return [
    begin,
    `# Splitsend routine “${target.routineName}”, ${scheduleWords(target.schedule)}`,
    `${minute} ${hour} ${day} * ${weekday} ${command}`,
    end,
  ].join('\n')
}

export function cronShellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`).replace(/%/g, `'\\%'`)}'`
}

/** The crontab text without the routine's block (and with it, when `block` is given). */
function replaceBlock(crontab: string, routineName: string, block?: string): string {
  const { begin, end } = cronMarkers(routineName)
  const lines = crontab.split('\n')
  const kept: string[] = []
  let inside = false
  for (const line of lines) {
    if (line === begin) inside = true
    else if (inside && line === end) inside = false
    else if (!inside) kept.push(line)
  }
  const rest = kept.join('\n').replace(/\n+$/, '')
  const parts = [rest, block].filter((part): part is string => Boolean(part))
  return parts.length ? `${parts.join('\n')}\n` : ''
}

export function crontabScheduler(options: SchedulerOptions): Scheduler {
  const { run } = options
  const crontab = options.crontab
  return {
    system: 'crontab',
    print: (target) =>
      `A line in your crontab (no systemd user session here), ${scheduleWords(target.schedule)}:\n\n${crontabBlock(target, options)}\n`,
    async register(target) {
      const current = await readCrontab(run, crontab)
      await mustRun(
        run,
        [...crontab, '-'],
        SYSTEM,
        replaceBlock(current, target.routineName, crontabBlock(target, options)),
      )
    },
    async unregister(routineName) {
      const current = await readCrontab(run, crontab)
      const without = replaceBlock(current, routineName)
      if (without !== current) await mustRun(run, [...crontab, '-'], SYSTEM, without)
    },
    async status(target) {
      const current = await readCrontab(run, crontab)
      const { begin } = cronMarkers(target.routineName)
      if (!current.split('\n').includes(begin)) return { registered: false, upToDate: false, detail: 'Not scheduled.' }
      const upToDate = current.includes(`${crontabBlock(target, options)}\n`)
      return {
        registered: true,
        upToDate,
        detail: upToDate
          ? `Scheduled ${scheduleWords(target.schedule)} (in your crontab).`
          : 'Scheduled in your crontab, but not as the routine says now: schedule it again.',
      }
    },
  }
}

/** The person's crontab; none yet is an empty one (crontab -l says so on stderr and exits 1). */
async function readCrontab(run: CommandRunner, crontab: readonly string[]): Promise<string> {
  const argv = [...crontab, '-l']
  const result = await run(argv)
  if (result.code === 1 && /no crontab/i.test(result.stderr)) return ''
  return mustSucceed(result, argv, SYSTEM).stdout
}
