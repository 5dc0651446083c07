/**
 * Linux with a systemd user manager: a service that runs the routine once and a timer that starts
 * it, in ~/.config/systemd/user/ (or $XDG_CONFIG_HOME/systemd/user/), enabled with
 * `systemctl --user enable --now`.
 *
 * The timer is Persistent, so a run missed while the computer was off starts when it is next on.
 * A user manager runs while the person is logged in (or always, with `loginctl enable-linger`).
 *
 * Quoting: ExecStart is split by systemd's own rules — each argument in double quotes with \\ and
 * \" escaped, and the two characters systemd would replace, % (specifiers) and $ (variables),
 * doubled.
 */
import { existsSync } from 'node:fs'
import { mkdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomicallyAsync } from '../../files/atomic-file'
import {
  hourMinute,
  mustRun,
  runArguments,
  scheduleWords,
  taskId,
  type CommandRunner,
  type ScheduleTarget,
} from './task'
import type { Scheduler, SchedulerOptions } from './index'

const SYSTEM = 'systemd'
const WEEKDAY_ABBREVIATIONS = {
  monday: 'Mon',
  tuesday: 'Tue',
  wednesday: 'Wed',
  thursday: 'Thu',
  friday: 'Fri',
  saturday: 'Sat',
  sunday: 'Sun',
}

function systemdUnitName(routineName: string): string {
  return `splitsend-${taskId(routineName)}`
}

function systemdUnitFolder(options: Pick<SchedulerOptions, 'home' | 'env'>): string {
  return join(options.env.XDG_CONFIG_HOME || join(options.home, '.config'), 'systemd', 'user')
}

/** The timer's OnCalendar expression: local time, as systemd-analyze calendar reads it. */
export function onCalendar(schedule: ScheduleTarget['schedule']): string {
  const { hour, minute } = hourMinute(schedule.at)
  const time = `${pad(hour)}:${pad(minute)}:00`
  if (schedule.every === 'month') return `*-*-${pad(schedule.day)} ${time}`
  if (schedule.every === 'week') return `${WEEKDAY_ABBREVIATIONS[schedule.weekday]} *-*-* ${time}`
  return `*-*-* ${time}`
}

export function systemdUnits(target: ScheduleTarget): { service: string; timer: string } {
  const description = escapeSpecifiers(`Splitsend routine “${target.routineName}”`)
  const environment = Object.entries(target.environment ?? {}).map(
    ([key, value]) => `Environment=${quote(escapeSpecifiers(`${key}=${value}`))}`,
  )
  const service = [
    '[Unit]',
    `Description=${description}`,
    '',
    '[Service]',
    'Type=oneshot',
    ...environment,
    `ExecStart=${[target.program, ...runArguments(target)].map(execArgument).join(' ')}`,
    '',
  ].join('\n')
  const timer = [
    '[Unit]',
    `Description=${description}, ${scheduleWords(target.schedule)}`,
    '',
    '[Timer]',
    `OnCalendar=${onCalendar(target.schedule)}`,
    'Persistent=true',
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n')
  return { service, timer }
}

function execArgument(arg: string): string {
  return quote(escapeSpecifiers(arg).replace(/\$/g, '$$$$'))
}

function escapeSpecifiers(text: string): string {
  return text.replace(/%/g, '%%')
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/**
 * Whether a systemd user manager is running for this person: `systemctl --user` reaches it and it
 * says it is up ("degraded" — some unit failed — is up too). Without systemd as the init system, in
 * a container, or over a plain ssh session without a user manager, it answers "offline" or can't
 * connect, and crontab is used instead.
 */
export async function systemdUserManagerRunning(run: CommandRunner): Promise<boolean> {
  const result = await run(['systemctl', '--user', 'is-system-running'])
  const state = result.stdout.trim()
  return ['running', 'degraded', 'starting', 'initializing'].includes(state)
}

export function systemdScheduler(options: SchedulerOptions): Scheduler {
  const { run } = options
  const folder = systemdUnitFolder(options)
  const paths = (routineName: string) => {
    const unit = systemdUnitName(routineName)
    return { unit, service: join(folder, `${unit}.service`), timer: join(folder, `${unit}.timer`) }
  }
  return {
    system: 'systemd',
    print(target) {
      const { service, timer } = paths(target.routineName)
      const units = systemdUnits(target)
      return `A systemd user timer, ${scheduleWords(target.schedule)} while you are logged in:\n\n# ${service}\n${units.service}\n# ${timer}\n${units.timer}`
    },
    async register(target) {
      const { unit, service, timer } = paths(target.routineName)
      const units = systemdUnits(target)
      await mkdir(folder, { recursive: true })
      await writeFileAtomicallyAsync(service, units.service, { mode: 0o644, syncFolder: true })
      await writeFileAtomicallyAsync(timer, units.timer, { mode: 0o644, syncFolder: true })
      await mustRun(run, ['systemctl', '--user', 'daemon-reload'], SYSTEM)
      await mustRun(run, ['systemctl', '--user', 'enable', '--now', `${unit}.timer`], SYSTEM)
    },
    async unregister(routineName) {
      const { unit, service, timer } = paths(routineName)
      if (!existsSync(timer) && !existsSync(service)) return
      await run(['systemctl', '--user', 'disable', '--now', `${unit}.timer`])
      await rm(timer, { force: true })
      await rm(service, { force: true })
      await mustRun(run, ['systemctl', '--user', 'daemon-reload'], SYSTEM)
    },
    async status(target) {
      const { unit, service, timer } = paths(target.routineName)
      const enabled = (await run(['systemctl', '--user', 'is-enabled', `${unit}.timer`])).stdout.trim() === 'enabled'
      if (!enabled) return { registered: false, upToDate: false, detail: 'Not scheduled.' }
      const units = systemdUnits(target)
      const read = async (path: string) => (existsSync(path) ? readFile(path, 'utf8') : undefined)
      const upToDate = (await read(service)) === units.service && (await read(timer)) === units.timer
      return {
        registered: true,
        upToDate,
        detail: upToDate
          ? `Scheduled ${scheduleWords(target.schedule)} (systemd timer ${unit}.timer).`
          : `Scheduled by the systemd timer ${unit}.timer, but not as the routine says now: schedule it again.`,
      }
    },
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0')
}
