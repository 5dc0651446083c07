import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  findCli,
  scheduleCommandFor,
  scheduledRunOf,
  RUN_ROUTINE_SWITCH,
} from '../../../electron/services/routines/schedule/command'
import { tempDir } from './helpers'

const CLI = '/home/anna/splitsend/bin/splitsend.js'

describe('the command line a schedule registers', () => {
  it('is the installed app’s own executable with --run-routine (it can’t run as Node)', () => {
    const command = scheduleCommandFor({
      electron: { executable: 'C:\\Program Files\\Splitsend\\Splitsend.exe', packaged: true },
      cli: CLI,
      platform: 'win32',
      env: {},
    })
    expect(command).toEqual({ program: 'C:\\Program Files\\Splitsend\\Splitsend.exe', arguments: [RUN_ROUTINE_SWITCH] })
  })

  it('is the AppImage itself on Linux, not the folder it is mounted in for one run', () => {
    const command = scheduleCommandFor({
      electron: { executable: '/tmp/.mount_SplitsXyZ/splitsend', packaged: true },
      platform: 'linux',
      env: { APPIMAGE: '/home/anna/Apps/Splitsend.AppImage', SPLITSEND_DATA_DIR: 'relative/data' },
    })
    expect(command).toMatchObject({
      program: '/home/anna/Apps/Splitsend.AppImage',
      arguments: ['--run-routine'],
      environment: { SPLITSEND_DATA_DIR: join(process.cwd(), 'relative/data') },
    })
  })

  it('is `<node> bin/splitsend.js routine run` through the web bridge and the command', () => {
    expect(scheduleCommandFor({ node: '/usr/bin/node', cli: CLI, platform: 'linux', env: {} })).toEqual({
      program: '/usr/bin/node',
      arguments: [CLI, 'routine', 'run'],
    })
  })

  it('is the Node.js that started the app from source (npm start), else the node on the PATH', () => {
    const dir = tempDir('node-on-path')
    const bin = join(dir, 'bin')
    mkdirSync(bin)
    writeFileSync(join(bin, 'node'), '#!/bin/sh\n')
    chmodSync(join(bin, 'node'), 0o755)
    const electron = { executable: '/repo/node_modules/electron/dist/electron', packaged: false }
    expect(
      scheduleCommandFor({ electron, cli: CLI, platform: 'linux', env: { PATH: `/nowhere:${bin}` } }),
    ).toMatchObject({ program: join(bin, 'node'), arguments: [CLI, 'routine', 'run'] })
    expect(
      scheduleCommandFor({
        electron,
        cli: CLI,
        platform: 'linux',
        env: { PATH: '/nowhere', npm_node_execpath: join(bin, 'node') },
      }),
    ).toMatchObject({ program: join(bin, 'node') })
    const none = scheduleCommandFor({ electron, cli: CLI, platform: 'linux', env: { PATH: '/nowhere' } })
    expect(none).toEqual({ unavailable: expect.stringContaining('can’t find Node.js') })
  })

  it('finds bin/splitsend.js above the module, built or from source', () => {
    expect(findCli()).toBe(join(process.cwd(), 'bin', 'splitsend.js'))
    expect(findCli(join(process.cwd(), 'out', 'main', 'web.js'))).toBe(join(process.cwd(), 'bin', 'splitsend.js'))
  })
})

describe('what the desktop app does with its command line', () => {
  it('runs the routine a scheduler started it for, as `splitsend routine run <name>`', () => {
    expect(scheduledRunOf(['/opt/Splitsend/splitsend', '--run-routine', 'Monthly app-usage mailing'])).toEqual([
      'routine',
      'run',
      'Monthly app-usage mailing',
    ])
    expect(scheduledRunOf(['electron', '.', '--run-routine=Weekly — “VIP”'])).toEqual([
      'routine',
      'run',
      'Weekly — “VIP”',
    ])
  })

  it('opens its window otherwise, and leaves a switch without a name to the command’s usage error', () => {
    expect(scheduledRunOf(['/opt/Splitsend/splitsend'])).toBeNull()
    expect(scheduledRunOf(['/opt/Splitsend/splitsend', '/home/anna/usage.csv'])).toBeNull()
    expect(scheduledRunOf(['/opt/Splitsend/splitsend', '--run-routine'])).toEqual(['routine', 'run'])
    expect(scheduledRunOf(['/opt/Splitsend/splitsend', '--run-routine', '--no-sandbox'])).toEqual(['routine', 'run'])
  })
})
