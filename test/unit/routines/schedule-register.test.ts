import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Schedule } from '../../../shared/routines/schema'
import {
  schedulerFor,
  schedulerOptions,
  type CommandRunner,
  type ScheduleTarget,
  type SchedulerOptions,
} from '../../../electron/services/routines/schedule'
import { crontabScheduler } from '../../../electron/services/routines/schedule/crontab'
import { launchdPlist, launchdScheduler } from '../../../electron/services/routines/schedule/launchd'
import {
  systemdScheduler,
  systemdUnits,
  systemdUserManagerRunning,
} from '../../../electron/services/routines/schedule/systemd'
import { runCommand, taskId } from '../../../electron/services/routines/schedule/task'
import { windowsScheduler, windowsTaskXml } from '../../../electron/services/routines/schedule/windows'
import { tempDir } from './helpers'
import { parseXml, recordingRunner } from './schedule-helpers'

const NAME = 'Monthly “app” mailing — Ümlaut'
const ID = taskId(NAME)
const MONTHLY: Schedule = { every: 'month', day: 3, at: '07:45' }
const TODAY = new Date(2025, 5, 1, 12)

function target(schedule: Schedule = MONTHLY): ScheduleTarget {
  return {
    routineName: NAME,
    schedule,
    program: process.execPath,
    arguments: ['/opt/splitsend/bin/splitsend.js', 'routine', 'run'],
  }
}

function options(run: CommandRunner, overrides: Partial<SchedulerOptions> = {}): SchedulerOptions {
  const home = tempDir()
  return schedulerOptions({ run, home, uid: 501, env: {}, tempDir: tempDir(), now: () => TODAY, ...overrides })
}

describe('registering with Windows Task Scheduler (schtasks, recorded)', () => {
  it('creates the task from a UTF-16 XML file it removes afterwards', async () => {
    let written: Buffer | undefined
    const run = recordingRunner((argv) => {
      if (argv[1] === '/Create') written = readFileSync(argv[5]!)
      return {}
    })
    const opts = options(run)
    await windowsScheduler(opts).register(target())
    const file = join(opts.tempDir, `splitsend-${ID}.xml`)
    expect(run.calls).toEqual([{ argv: ['schtasks', '/Create', '/TN', `\\Splitsend\\${ID}`, '/XML', file, '/F'] }])
    expect([...written!.subarray(0, 2)]).toEqual([0xff, 0xfe])
    const xml = written!.subarray(2).toString('utf16le')
    expect(xml).toBe(windowsTaskXml(target(), TODAY))
    expect(parseXml(xml).name).toBe('Task')
    expect(existsSync(file)).toBe(false)
  })

  it("passes on schtasks' refusal in the person's words, leaving no file behind", async () => {
    const run = recordingRunner(() => ({ code: 1, stderr: 'ERROR: Access is denied.\r\n' }))
    const opts = options(run)
    await expect(windowsScheduler(opts).register(target())).rejects.toMatchObject({
      code: 'schedule_failed',
      message: "Windows Task Scheduler refused to change the routine's schedule: ERROR: Access is denied.",
    })
    expect(readdirSync(opts.tempDir)).toEqual([])
  })

  it('removes the task only when there is one, and tells whether it is as the routine says', async () => {
    let registered: string | undefined
    const run = recordingRunner((argv) =>
      argv[1] === '/Query'
        ? registered
          ? { stdout: registered }
          : { code: 1, stderr: 'ERROR: The system cannot find the file specified.' }
        : {},
    )
    const scheduler = windowsScheduler(options(run))
    await scheduler.unregister(NAME)
    expect(run.calls.map((c) => c.argv[1])).toEqual(['/Query'])
    expect(await scheduler.status(target())).toMatchObject({ registered: false, upToDate: false })

    // Task Scheduler gives the definition back laid out its own way, with its own start date.
    registered = windowsTaskXml(target(), new Date(2024, 0, 9))
      .replace(/\r\n\s*/g, '\n\t')
      .replace(/ \/>/g, '/>')
    expect(await scheduler.status(target())).toEqual({
      registered: true,
      upToDate: true,
      detail: `Scheduled every month on day 3 at 07:45 (task \\Splitsend\\${ID}).`,
    })
    expect(await scheduler.status(target({ every: 'month', day: 3, at: '08:45' }))).toMatchObject({
      registered: true,
      upToDate: false,
    })
    run.calls.length = 0
    await scheduler.unregister(NAME)
    expect(run.calls.map((c) => c.argv)).toEqual([
      ['schtasks', '/Query', '/TN', `\\Splitsend\\${ID}`],
      ['schtasks', '/Delete', '/TN', `\\Splitsend\\${ID}`, '/F'],
    ])
  })
})

describe('registering with launchd (launchctl, recorded)', () => {
  it('writes the LaunchAgent and bootstraps it into the person’s session; removes it again', async () => {
    const loaded = new Set<string>()
    const run = recordingRunner((argv) => {
      if (argv[1] === 'bootstrap') loaded.add(argv[3]!)
      if (argv[1] === 'bootout')
        return loaded.size ? (loaded.clear(), {}) : { code: 113, stderr: 'Could not find service' }
      if (argv[1] === 'print') return loaded.size ? {} : { code: 113 }
      return {}
    })
    const opts = options(run)
    const scheduler = launchdScheduler(opts)
    const label = `app.splitsend.${ID}`
    const plist = join(opts.home, 'Library', 'LaunchAgents', `${label}.plist`)
    expect(await scheduler.status(target())).toMatchObject({ registered: false })
    await scheduler.register(target())
    expect(readFileSync(plist, 'utf8')).toBe(launchdPlist(target()))
    expect(run.calls.slice(1).map((c) => c.argv)).toEqual([
      ['launchctl', 'bootout', `gui/501/${label}`],
      ['launchctl', 'bootstrap', 'gui/501', plist],
    ])
    expect(await scheduler.status(target())).toMatchObject({ registered: true, upToDate: true })
    expect(await scheduler.status(target({ every: 'day', at: '07:45' }))).toMatchObject({
      registered: true,
      upToDate: false,
    })
    await scheduler.unregister(NAME)
    expect(existsSync(plist)).toBe(false)
    expect(run.calls.at(-1)!.argv).toEqual(['launchctl', 'bootout', `gui/501/${label}`])
    expect(await scheduler.status(target())).toMatchObject({ registered: false })
  })
})

describe('registering a systemd user timer (systemctl, recorded)', () => {
  it('writes the units under XDG_CONFIG_HOME, reloads and enables the timer; removes them again', async () => {
    const enabled = new Set<string>()
    const run = recordingRunner((argv) => {
      if (argv[2] === 'enable') enabled.add(argv[4]!)
      if (argv[2] === 'disable') enabled.delete(argv[4]!)
      if (argv[2] === 'is-enabled')
        return enabled.has(argv[3]!) ? { stdout: 'enabled\n' } : { code: 1, stdout: 'disabled\n' }
      return {}
    })
    const config = tempDir()
    const scheduler = systemdScheduler(options(run, { env: { XDG_CONFIG_HOME: config } }))
    const unit = `splitsend-${ID}`
    const folder = join(config, 'systemd', 'user')
    await scheduler.unregister(NAME)
    expect(run.calls).toEqual([])
    await scheduler.register(target())
    expect(readFileSync(join(folder, `${unit}.service`), 'utf8')).toBe(systemdUnits(target()).service)
    expect(readFileSync(join(folder, `${unit}.timer`), 'utf8')).toBe(systemdUnits(target()).timer)
    expect(run.calls.map((c) => c.argv.slice(1))).toEqual([
      ['--user', 'daemon-reload'],
      ['--user', 'enable', '--now', `${unit}.timer`],
    ])
    expect(await scheduler.status(target())).toMatchObject({ registered: true, upToDate: true })
    run.calls.length = 0
    await scheduler.unregister(NAME)
    expect(run.calls.map((c) => c.argv.slice(1))).toEqual([
      ['--user', 'disable', '--now', `${unit}.timer`],
      ['--user', 'daemon-reload'],
    ])
    expect(readdirSync(folder)).toEqual([])
    expect(await scheduler.status(target())).toMatchObject({ registered: false })
  })
})

describe('choosing the scheduler', () => {
  /** A runner whose `systemctl` is a script: the real program-running path, with a made-up systemd. */
  function withSystemctl(script: string | null): CommandRunner {
    const dir = tempDir()
    const path = join(dir, 'systemctl')
    if (script !== null) {
      writeFileSync(path, `#!/bin/sh\n${script}\n`)
      chmodSync(path, 0o755)
    }
    return (argv, opts) => runCommand(argv[0] === 'systemctl' ? [path, ...argv.slice(1)] : argv, opts)
  }

  it('uses systemd only when a user manager answers that it is up', async () => {
    const cases: Array<[string | null, boolean]> = [
      ['echo running', true],
      ['echo degraded; exit 1', true],
      ['echo offline; exit 1', false],
      ['echo "Failed to connect to bus: No medium found" >&2; exit 1', false],
      ['echo "System has not been booted with systemd as init system (PID 1). Can\'t operate." >&2; exit 1', false],
      [null, false],
    ]
    for (const [script, running] of cases) {
      const run = withSystemctl(script)
      expect(await systemdUserManagerRunning(run), String(script)).toBe(running)
      const scheduler = await schedulerFor({ platform: 'linux', run })
      expect(scheduler.system).toBe(running ? 'systemd' : 'crontab')
    }
    expect((await schedulerFor({ platform: 'win32', run: withSystemctl(null) })).system).toBe('windows')
    expect((await schedulerFor({ platform: 'darwin', run: withSystemctl(null) })).system).toBe('launchd')
  })

  it.skipIf(existsSync('/run/systemd/system'))(
    'finds no user manager on a computer not started by systemd (this one)',
    async () => {
      expect(await systemdUserManagerRunning(runCommand)).toBe(false)
    },
  )

  it('says so when a program is missing', async () => {
    expect(await runCommand(['splitsend-no-such-program'])).toMatchObject({ code: null, missing: true })
    const scheduler = crontabScheduler(options(runCommand, { crontab: ['splitsend-no-such-crontab'] }))
    await expect(scheduler.register(target())).rejects.toMatchObject({
      code: 'schedule_failed',
      message: "Splitsend could not find “splitsend-no-such-crontab” to change the routine's schedule with cron.",
    })
  })
})

/**
 * The real crontab program, kept away from this computer's crontabs: each call runs in a private
 * mount namespace where /var/spool/cron/crontabs is a temporary folder. Needs cron installed and
 * the right to make a mount namespace (root, as in CI; .ci/run sets SPLITSEND_REQUIRE_CRONTAB so
 * the test can't quietly skip there).
 */
function privateCrontab(spool: string): string[] {
  return [
    'unshare',
    '--mount',
    '--',
    'sh',
    '-c',
    'mount --bind "$0" /var/spool/cron/crontabs && exec crontab "$@"',
    spool,
  ]
}

const realCrontab =
  spawnSync('sh', ['-c', 'command -v crontab']).status === 0 &&
  existsSync('/var/spool/cron/crontabs') &&
  spawnSync('unshare', ['--mount', '--', 'true']).status === 0

describe('registering in a crontab (the real crontab program, on a private spool)', () => {
  it('can run here, where CI requires it', () => {
    if (process.env.SPLITSEND_REQUIRE_CRONTAB === '1')
      expect(realCrontab, 'crontab and unshare --mount are needed').toBe(true)
  })

  it.skipIf(!realCrontab)('adds, replaces and removes only its own lines, keeping the person’s', async () => {
    const machineBefore = readdirSync('/var/spool/cron/crontabs')
    const spool = tempDir()
    const crontab = privateCrontab(spool)
    const list = async () => (await runCommand([...crontab, '-l'])).stdout
    expect(await runCommand([...crontab, '-'], { input: '# mine\n0 5 * * * echo mine\n' })).toMatchObject({ code: 0 })

    const scheduler = crontabScheduler(options(runCommand, { crontab, uid: 1000 }))
    expect(scheduler.system).toBe('crontab')
    expect(await scheduler.status(target())).toMatchObject({ registered: false })
    await scheduler.register(target())
    const first = await list()
    expect(first.startsWith('# mine\n0 5 * * * echo mine\n# BEGIN splitsend-')).toBe(true)
    expect(first).toContain(`\n45 7 3 * * XDG_RUNTIME_DIR='/run/user/1000' `)
    expect(await scheduler.status(target())).toMatchObject({ registered: true, upToDate: true })

    const weekly: Schedule = { every: 'week', weekday: 'friday', at: '16:00' }
    await scheduler.register(target(weekly))
    const second = await list()
    expect(second.match(/# BEGIN /g)).toHaveLength(1)
    expect(second).toContain('\n0 16 * * 5 ')
    expect(await scheduler.status(target())).toMatchObject({ registered: true, upToDate: false })
    expect(readFileSync(join(spool, readdirSync(spool)[0]!), 'utf8')).toContain('0 16 * * 5 ')

    await scheduler.unregister(NAME)
    expect(await list()).toBe('# mine\n0 5 * * * echo mine\n')
    expect(await scheduler.status(target(weekly))).toMatchObject({ registered: false })
    await scheduler.unregister(NAME)
    expect(readdirSync('/var/spool/cron/crontabs')).toEqual(machineBefore)
  })

  it.skipIf(!realCrontab)("is refused by crontab's own check when a line is not valid", async () => {
    const spool = tempDir()
    const crontab = privateCrontab(spool)
    const bad = await runCommand([...crontab, '-'], { input: '61 7 3 * * true\n' })
    expect(bad.code).not.toBe(0)
  })
})
