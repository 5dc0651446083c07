/**
 * macOS: a LaunchAgent, ~/Library/LaunchAgents/app.splitsend.<task id>.plist, loaded into the
 * person's session with `launchctl bootstrap gui/<uid>` (and removed with `bootout`).
 *
 * The command is a ProgramArguments array: launchd starts the program with exactly these
 * arguments, no shell, so a name needs no quoting beyond XML's. A LaunchAgent runs while the person
 * is logged in, with access to their keychain; a run missed while the Mac slept starts when it
 * wakes (launchd's own rule for StartCalendarInterval), one missed while it was off does not.
 */
import { existsSync } from 'node:fs'
import { mkdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomicallyAsync } from '../../files/atomic-file'
import {
  WEEKDAY_INDEX,
  hourMinute,
  mustRun,
  runArguments,
  scheduleWords,
  taskId,
  xmlText,
  type ScheduleTarget,
} from './task'
import type { Scheduler, SchedulerOptions } from './index'

const SYSTEM = 'launchd'

function launchdLabel(routineName: string): string {
  return `app.splitsend.${taskId(routineName)}`
}

function launchAgentPath(home: string, routineName: string): string {
  return join(home, 'Library', 'LaunchAgents', `${launchdLabel(routineName)}.plist`)
}

export function launchdPlist(target: ScheduleTarget): string {
  const { hour, minute } = hourMinute(target.schedule.at)
  const when: Array<[string, number]> = [
    ...(target.schedule.every === 'month' ? [['Day', target.schedule.day] as [string, number]] : []),
    ...(target.schedule.every === 'week'
      ? [['Weekday', WEEKDAY_INDEX[target.schedule.weekday]] as [string, number]]
      : []),
    ['Hour', hour],
    ['Minute', minute],
  ]
  const environment = Object.entries(target.environment ?? {})
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    '  <key>Label</key>',
    `  <string>${launchdLabel(target.routineName)}</string>`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...[target.program, ...runArguments(target)].map((arg) => `    <string>${xmlText(arg)}</string>`),
    '  </array>',
    ...(environment.length
      ? [
          '  <key>EnvironmentVariables</key>',
          '  <dict>',
          ...environment.flatMap(([key, value]) => [
            `    <key>${xmlText(key)}</key>`,
            `    <string>${xmlText(value)}</string>`,
          ]),
          '  </dict>',
        ]
      : []),
    '  <key>StartCalendarInterval</key>',
    '  <dict>',
    ...when.flatMap(([key, value]) => [`    <key>${key}</key>`, `    <integer>${value}</integer>`]),
    '  </dict>',
    '  <key>RunAtLoad</key>',
    '  <false/>',
    '  <key>ProcessType</key>',
    '  <string>Background</string>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n')
}

export function launchdScheduler(options: SchedulerOptions): Scheduler {
  const { run, home, uid } = options
  const domain = `gui/${uid}`
  return {
    system: 'launchd',
    print: (target) =>
      `A LaunchAgent, ${launchAgentPath(home, target.routineName)}, ${scheduleWords(target.schedule)} while you are logged in:\n\n${launchdPlist(target)}`,
    async register(target) {
      const path = launchAgentPath(home, target.routineName)
      await mkdir(join(home, 'Library', 'LaunchAgents'), { recursive: true })
      // A changed schedule: take the old definition out of launchd first (it isn't loaded on the first time).
      await run(['launchctl', 'bootout', `${domain}/${launchdLabel(target.routineName)}`])
      await writeFileAtomicallyAsync(path, launchdPlist(target), { mode: 0o644, syncFolder: true })
      await mustRun(run, ['launchctl', 'bootstrap', domain, path], SYSTEM)
    },
    async unregister(routineName) {
      await run(['launchctl', 'bootout', `${domain}/${launchdLabel(routineName)}`])
      await rm(launchAgentPath(home, routineName), { force: true })
    },
    async status(target) {
      const path = launchAgentPath(home, target.routineName)
      const loaded = (await run(['launchctl', 'print', `${domain}/${launchdLabel(target.routineName)}`])).code === 0
      const file = existsSync(path) ? await readFile(path, 'utf8') : undefined
      if (!loaded) {
        const detail = file ? `Not scheduled: ${path} exists but is not loaded into launchd.` : 'Not scheduled.'
        return { registered: false, upToDate: false, detail }
      }
      const upToDate = file === launchdPlist(target)
      return {
        registered: true,
        upToDate,
        detail: upToDate
          ? `Scheduled ${scheduleWords(target.schedule)} (${path}).`
          : `Scheduled by ${path}, but not as the routine says now: schedule it again.`,
      }
    },
  }
}
