/**
 * Registering a routine's run with the operating system's own scheduler (issue 12, "On a schedule").
 *
 *   const scheduler = await schedulerFor()            this computer's: Windows Task Scheduler, launchd,
 *                                                     a systemd user timer, or crontab where no systemd user manager runs
 *   scheduler.print(target)        → string           what would be registered, and where (nothing changes)
 *   scheduler.register(target)     → void             replaces an earlier registration of the same routine
 *   scheduler.unregister(name)     → void             nothing to remove is not an error
 *   scheduler.status(target)       → ScheduleStatus   registered? exactly as `target` says?
 *
 * Each system's definition is made by a pure function that works on any computer (windowsTaskXml,
 * launchdPlist, systemdUnits, crontabBlock), so all of them are checked wherever the tests run.
 *
 * `target` (task.ts): the routine's name and schedule, the Node executable and bin/splitsend.js;
 * the registered command is `<node> <cli> routine run <name>`, quoted for each system (see each
 * module). The registration is named from the routine's name (task.ts taskId), so renaming a
 * routine means `unregister(oldName)` and `register` with the new one; deleting one, `unregister`.
 * The routine's own `schedule` field (shared/routines/schema.ts) is what the person chose; the
 * operating system holds the registration, and `status` compares the two.
 */
import { tmpdir, homedir, userInfo } from 'node:os'
import { crontabScheduler } from './crontab'
import { launchdScheduler } from './launchd'
import { systemdScheduler, systemdUserManagerRunning } from './systemd'
import { runCommand, type CommandRunner, type ScheduleTarget } from './task'
import { windowsScheduler } from './windows'

export type { ScheduleTarget, CommandRunner, CommandResult } from './task'

interface ScheduleStatus {
  registered: boolean
  /** Registered exactly as `target` would be now (same time, same command). */
  upToDate: boolean
  /** In plain words, for the app and the command. */
  detail: string
}

export interface Scheduler {
  system: 'windows' | 'launchd' | 'systemd' | 'crontab'
  print(target: ScheduleTarget): string
  register(target: ScheduleTarget): Promise<void>
  unregister(routineName: string): Promise<void>
  status(target: ScheduleTarget): Promise<ScheduleStatus>
}

/** The computer a scheduler works on; every field has this computer's value by default. */
export interface SchedulerOptions {
  platform: NodeJS.Platform
  home: string
  uid: number
  env: NodeJS.ProcessEnv
  tempDir: string
  now: () => Date
  run: CommandRunner
  /** How to call crontab (tests point it at a private crontab; see the routine tests). */
  crontab: string[]
}

export function schedulerOptions(overrides: Partial<SchedulerOptions> = {}): SchedulerOptions {
  return {
    platform: process.platform,
    home: homedir(),
    uid: process.platform === 'win32' ? 0 : userInfo().uid,
    env: process.env,
    tempDir: tmpdir(),
    now: () => new Date(),
    run: runCommand,
    crontab: ['crontab'],
    ...overrides,
  }
}

/** This computer's scheduler; on Linux, systemd when a user manager runs, else crontab. */
export async function schedulerFor(overrides: Partial<SchedulerOptions> = {}): Promise<Scheduler> {
  const options = schedulerOptions(overrides)
  if (options.platform === 'win32') return windowsScheduler(options)
  if (options.platform === 'darwin') return launchdScheduler(options)
  return (await systemdUserManagerRunning(options.run)) ? systemdScheduler(options) : crontabScheduler(options)
}
