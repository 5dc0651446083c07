/**
 * How the app's hosts (the desktop shell, the web bridge) register a routine's schedule: the
 * command line for this host (schedule/command.ts) and this computer's scheduler.
 *
 * SPLITSEND_CRONTAB names a program to use as `crontab`, and the crontab is then used whatever else
 * this computer has: for computers where the systemd user timer isn't wanted, and for the browser
 * tests, which register with a recording stand-in and never with this computer's scheduler.
 */
import type { RoutineScheduling } from './handlers'
import { scheduleCommandFor, type ScheduleHost } from './schedule/command'
import { crontabScheduler } from './schedule/crontab'
import { schedulerOptions } from './schedule/index'

export function routineScheduling(host: ScheduleHost): RoutineScheduling {
  const command = scheduleCommandFor(host)
  if ('unavailable' in command) return command
  const crontab = host.env.SPLITSEND_CRONTAB
  if (!crontab) return { command }
  return { command, scheduler: async () => crontabScheduler(schedulerOptions({ crontab: [crontab] })) }
}

/** The scheduling of a Node process serving the app (the web bridge): `<node> bin/splitsend.js routine run`. */
export function nodeScheduling(): RoutineScheduling {
  return routineScheduling({ node: process.execPath, platform: process.platform, env: process.env })
}
