import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Schedule } from '../../../shared/routines/schema'
import type { ScheduleTarget } from '../../../electron/services/routines/schedule'
import { crontabBlock, cronShellQuote } from '../../../electron/services/routines/schedule/crontab'
import { launchdPlist } from '../../../electron/services/routines/schedule/launchd'
import { onCalendar, systemdUnits } from '../../../electron/services/routines/schedule/systemd'
import { taskId } from '../../../electron/services/routines/schedule/task'
import { windowsArgument, windowsTaskXml } from '../../../electron/services/routines/schedule/windows'
import { tempDir } from './helpers'
import {
  child,
  cronCommand,
  parseUnit,
  parseXml,
  plistValue,
  splitExecStart,
  splitWindowsCommandLine,
} from './schedule-helpers'

/** Names a person might give a routine, with what each system treats specially. */
const NAMES = [
  'Monthly app-usage mailing',
  'O\'Brien & "Partners" <VIP>',
  'Ежемесячная рассылка — 月次メール',
  '50% off, $HOME and `date` \\ back\\slash \\"',
  'a\\%b % c %%',
]

const MONTHLY: Schedule = { every: 'month', day: 1, at: '09:30' }
const WEEKLY: Schedule = { every: 'week', weekday: 'sunday', at: '18:05' }
const DAILY: Schedule = { every: 'day', at: '00:00' }

function target(
  routineName: string,
  schedule: Schedule = MONTHLY,
  environment?: Record<string, string>,
): ScheduleTarget {
  return {
    routineName,
    schedule,
    program: '/opt/node 20/bin/node',
    arguments: ['/home/anna/Splitsend app/bin/splitsend.js', 'routine', 'run'],
    ...(environment ? { environment } : {}),
  }
}

const TODAY = new Date(2025, 5, 1, 12)
const UID = 1000

describe('Windows Task Scheduler: the task XML', () => {
  it('is a well-formed task of the documented schema with a monthly, weekly or daily calendar trigger', () => {
    const month = parseXml(windowsTaskXml(target(NAMES[0]!), TODAY))
    expect([month.name, month.uri, month.attributes.version]).toEqual([
      'Task',
      'http://schemas.microsoft.com/windows/2004/02/mit/task',
      '1.2',
    ])
    expect(child(month, 'RegistrationInfo/URI').text).toBe(`\\Splitsend\\${taskId(NAMES[0]!)}`)
    const trigger = child(month, 'Triggers/CalendarTrigger')
    expect(child(trigger, 'StartBoundary').text).toBe('2025-06-01T09:30:00')
    expect(child(trigger, 'ScheduleByMonth/DaysOfMonth/Day').text).toBe('1')
    expect(child(trigger, 'ScheduleByMonth/Months').children.map((m) => m.name)).toHaveLength(12)
    expect(child(month, 'Principals/Principal/LogonType').text).toBe('InteractiveToken')
    expect(child(month, 'Settings/StartWhenAvailable').text).toBe('true')
    expect(child(month, 'Settings/MultipleInstancesPolicy').text).toBe('IgnoreNew')

    const week = child(parseXml(windowsTaskXml(target(NAMES[0]!, WEEKLY), TODAY)), 'Triggers/CalendarTrigger')
    expect(child(week, 'StartBoundary').text).toBe('2025-06-01T18:05:00')
    expect(child(week, 'ScheduleByWeek/DaysOfWeek').children.map((d) => d.name)).toEqual(['Sunday'])
    expect(child(week, 'ScheduleByWeek/WeeksInterval').text).toBe('1')
    const day = child(parseXml(windowsTaskXml(target(NAMES[0]!, DAILY), TODAY)), 'Triggers/CalendarTrigger')
    expect(child(day, 'ScheduleByDay/DaysInterval').text).toBe('1')
  })

  it('runs exactly <node> <cli> routine run <name>, whatever the name holds', () => {
    for (const name of NAMES.filter((n) => !/%[^%]+%/.test(n))) {
      const exec = child(parseXml(windowsTaskXml(target(name), TODAY)), 'Actions/Exec')
      expect(child(exec, 'Command').text).toBe('/opt/node 20/bin/node')
      expect(splitWindowsCommandLine(child(exec, 'Arguments').text)).toEqual([
        '/home/anna/Splitsend app/bin/splitsend.js',
        'routine',
        'run',
        name,
      ])
    }
  })

  it('quotes any argument so the C runtime splits it back the same', () => {
    const tricky = fc.string({ unit: fc.constantFrom('a', 'é', ' ', '\t', '"', '\\', "'", '%', '月'), maxLength: 12 })
    fc.assert(
      fc.property(fc.array(tricky, { minLength: 1, maxLength: 4 }), (args) => {
        expect(splitWindowsCommandLine(args.map(windowsArgument).join(' '))).toEqual(args)
      }),
      { numRuns: 500 },
    )
  })

  it('refuses what Task Scheduler would change: %…% in the name, and settings it cannot pass', () => {
    expect(() => windowsTaskXml(target('Report %USERNAME%'), TODAY)).toThrow(/replaces text between two % signs/)
    expect(() => windowsTaskXml(target('Monthly', MONTHLY, { SPLITSEND_DATA_DIR: 'D:\\data' }), TODAY)).toThrow(
      /can't give a scheduled run its own settings \(SPLITSEND_DATA_DIR\)/,
    )
  })
})

describe('macOS launchd: the LaunchAgent plist', () => {
  it('is a property list with the label, the arguments as given, and the calendar interval', () => {
    for (const name of NAMES) {
      const plist = parseXml(launchdPlist(target(name, MONTHLY, { SPLITSEND_DATA_DIR: '/Users/a/S&S' })))
      expect(plist.doctype).toContain('-//Apple//DTD PLIST 1.0//EN')
      expect(plistValue(plist)).toEqual({
        Label: `app.splitsend.${taskId(name)}`,
        ProgramArguments: [
          '/opt/node 20/bin/node',
          '/home/anna/Splitsend app/bin/splitsend.js',
          'routine',
          'run',
          name,
        ],
        EnvironmentVariables: { SPLITSEND_DATA_DIR: '/Users/a/S&S' },
        StartCalendarInterval: { Day: 1, Hour: 9, Minute: 30 },
        RunAtLoad: false,
        ProcessType: 'Background',
      })
    }
    const weekly = plistValue(parseXml(launchdPlist(target('W', WEEKLY))))
    expect((weekly as Record<string, unknown>).StartCalendarInterval).toEqual({ Weekday: 0, Hour: 18, Minute: 5 })
    const daily = plistValue(parseXml(launchdPlist(target('D', DAILY))))
    expect((daily as Record<string, unknown>).StartCalendarInterval).toEqual({ Hour: 0, Minute: 0 })
  })
})

describe('systemd: the user service and timer', () => {
  it('runs exactly the command, with its settings, on the calendar', () => {
    for (const name of NAMES) {
      const { service, timer } = systemdUnits(target(name, MONTHLY, { SPLITSEND_DATA_DIR: '/home/a/50% data' }))
      const s = parseUnit(service)
      const t = parseUnit(timer)
      expect(s.Service).toContainEqual(['Type', 'oneshot'])
      const execStart = s.Service!.find(([key]) => key === 'ExecStart')![1]
      expect(splitExecStart(execStart)).toEqual([
        '/opt/node 20/bin/node',
        '/home/anna/Splitsend app/bin/splitsend.js',
        'routine',
        'run',
        name,
      ])
      expect(s.Service).toContainEqual(['Environment', '"SPLITSEND_DATA_DIR=/home/a/50%% data"'])
      expect(t.Timer).toEqual([
        ['OnCalendar', '*-*-01 09:30:00'],
        ['Persistent', 'true'],
      ])
      expect(t.Install).toEqual([['WantedBy', 'timers.target']])
    }
    expect(onCalendar(WEEKLY)).toBe('Sun *-*-* 18:05:00')
    expect(onCalendar(DAILY)).toBe('*-*-* 00:00:00')
  })

  const analyze = spawnSync('systemd-analyze', ['--version']).status === 0
  it.skipIf(!analyze)('writes OnCalendar expressions systemd-analyze reads as meant', () => {
    const cases: Array<[Schedule, string]> = [
      [MONTHLY, '*-*-01 09:30:00'],
      [{ every: 'month', day: 28, at: '23:59' }, '*-*-28 23:59:00'],
      [WEEKLY, 'Sun *-*-* 18:05:00'],
      [{ every: 'week', weekday: 'wednesday', at: '07:00' }, 'Wed *-*-* 07:00:00'],
      [DAILY, '*-*-* 00:00:00'],
    ]
    for (const [schedule, normalized] of cases) {
      const out = execFileSync('systemd-analyze', ['calendar', onCalendar(schedule)], { encoding: 'utf8' })
      expect(out).toContain(`Normalized form: ${normalized}`)
    }
    // The check can fail: an expression systemd can't read is refused.
    expect(spawnSync('systemd-analyze', ['calendar', '*-*-32 09:00:00']).status).not.toBe(0)
  })

  it.skipIf(!analyze)('writes units systemd-analyze verify accepts, and it would catch a bad one', () => {
    const dir = tempDir()
    const runtime = join(dir, 'runtime')
    mkdirSync(runtime, { mode: 0o700 })
    const verify = (files: string[]) =>
      spawnSync('systemd-analyze', ['verify', '--user', ...files], {
        env: { ...process.env, XDG_RUNTIME_DIR: runtime },
        encoding: 'utf8',
      })
    const real = { ...target(NAMES[3]!, WEEKLY, { SPLITSEND_DATA_DIR: dir }), program: process.execPath }
    const units = systemdUnits(real)
    const unit = `splitsend-${taskId(real.routineName)}`
    writeFileSync(join(dir, `${unit}.service`), units.service)
    writeFileSync(join(dir, `${unit}.timer`), units.timer)
    const good = verify([join(dir, `${unit}.service`), join(dir, `${unit}.timer`)])
    expect(good.stderr + good.stdout).toBe('')
    expect(good.status).toBe(0)
    writeFileSync(
      join(dir, 'bad.service'),
      units.service.replace(/^ExecStart=.*$/m, (line) => line.replace('%%', '%z')),
    )
    expect(verify([join(dir, 'bad.service')]).status).not.toBe(0)
  })
})

describe('crontab: the lines', () => {
  it('puts the entry between markers, on the schedule, in fields cron reads', () => {
    const block = (schedule: Schedule) => crontabBlock(target('Monthly app-usage mailing', schedule), { uid: UID })
    const [begin, comment, entry, end] = block(MONTHLY).split('\n')
    expect(begin).toBe(
      `# BEGIN splitsend-${taskId('Monthly app-usage mailing')} (managed by Splitsend: change it with “splitsend routine schedule”)`,
    )
    expect(comment).toBe('# Splitsend routine “Monthly app-usage mailing”, every month on day 1 at 09:30')
    expect(end).toBe(`# END splitsend-${taskId('Monthly app-usage mailing')}`)
    expect(entry!.split(' ').slice(0, 5)).toEqual(['30', '9', '1', '*', '*'])
    expect(entry).toContain("XDG_RUNTIME_DIR='/run/user/1000' DBUS_SESSION_BUS_ADDRESS='unix:path=/run/user/1000/bus' ")
    expect(block(WEEKLY).split('\n')[2]!.split(' ').slice(0, 5)).toEqual(['5', '18', '*', '*', '0'])
    expect(block(DAILY).split('\n')[2]!.split(' ').slice(0, 5)).toEqual(['0', '0', '*', '*', '*'])
  })

  it('gives /bin/sh, after cron’s own % handling, exactly the arguments and settings', () => {
    const dir = tempDir()
    const printer = join(dir, 'print args.cjs')
    writeFileSync(
      printer,
      'process.stdout.write(JSON.stringify([process.argv.slice(2), process.env.SPLITSEND_DATA_DIR]))',
    )
    for (const name of NAMES) {
      const run = {
        routineName: name,
        schedule: MONTHLY,
        program: process.execPath,
        arguments: [printer, 'routine', 'run'],
      }
      const line = crontabBlock({ ...run, environment: { SPLITSEND_DATA_DIR: "/d/50% a'b" } }, { uid: UID }).split(
        '\n',
      )[2]!
      const { command, input } = cronCommand(line.split(' ').slice(5).join(' '))
      expect(input).toBeUndefined()
      const out = execFileSync('/bin/sh', ['-c', command], { encoding: 'utf8' })
      expect(JSON.parse(out)).toEqual([['routine', 'run', name], "/d/50% a'b"])
    }
  })

  it('quotes any argument for sh and cron', () => {
    const tricky = fc.string({
      unit: fc.constantFrom('a', ' ', '"', "'", '\\', '%', '$', '`', '月', ';'),
      maxLength: 12,
    })
    fc.assert(
      fc.property(tricky, (arg) => {
        const { command } = cronCommand(`printf %s ${cronShellQuote(arg)}`.replace('printf %s', 'printf \\%s'))
        expect(execFileSync('/bin/sh', ['-c', command], { encoding: 'utf8' })).toBe(arg)
      }),
      { numRuns: 60 },
    )
  })
})
