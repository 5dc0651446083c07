import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { RoutineStore } from '../../../electron/services/routines/store'
import { sampleRoutine } from '../routines/helpers'
import { tempDir } from '../temp'
import { createElectronStandIn, FakeBrowserWindow } from './electron-stand-in'

const standIn = createElectronStandIn()
vi.mock('electron', () => standIn.module)

const { record } = standIn
const savedArgv = process.argv
const savedDataDir = process.env.SPLITSEND_DATA_DIR

/** Starts the Electron main entry (electron/main/index.ts) as the app would be started with `args`. */
async function startApp(...args: string[]): Promise<void> {
  process.argv = ['/opt/Splitsend/splitsend', ...args]
  vi.resetModules()
  await import('../../../electron/main/index')
  await vi.waitFor(() => expect(record.exitCode).toBeDefined(), { timeout: 60_000, interval: 50 })
}

beforeEach(() => {
  record.exitCode = undefined
  record.singleInstanceAsked = false
  record.dockHidden = false
})

afterAll(() => {
  process.argv = savedArgv
  if (savedDataDir === undefined) delete process.env.SPLITSEND_DATA_DIR
  else process.env.SPLITSEND_DATA_DIR = savedDataDir
})

describe('the desktop app started by a schedule (--run-routine <name>)', () => {
  it('runs the routine headless, with no window, and exits with the run’s exit code', async () => {
    const dataDir = tempDir('scheduled-run-data')
    const inbox = tempDir('scheduled-run-inbox')
    process.env.SPLITSEND_DATA_DIR = dataDir
    const store = new RoutineStore({ dataDir })
    const routine = await store.save(sampleRoutine({ source: { folder: inbox, pattern: 'usage-*.csv' } }), {
      replace: false,
    })
    // June's export lost the flag column: the run stops before anything is uploaded (exit 4).
    writeFileSync(join(inbox, 'usage-june.csv'), 'Email,First name,Region,Notes\nann@example.com,Ann,North,-\n')

    await startApp('--run-routine', routine.name)

    expect(record.exitCode).toBe(4)
    expect(FakeBrowserWindow.created).toHaveLength(0)
    expect(record.singleInstanceAsked).toBe(false)
    expect(record.dockHidden).toBe(true)
    const [run] = await store.history(routine.name)
    expect(run).toMatchObject({ source: { fileName: 'usage-june.csv' }, outcome: { kind: 'stopped_by_safety_check' } })
  }, 90_000)

  it('without a routine’s name, exits with the command’s usage error (2), still with no window', async () => {
    process.env.SPLITSEND_DATA_DIR = tempDir('scheduled-run-empty')
    await startApp('--run-routine')
    expect(record.exitCode).toBe(2)
    expect(FakeBrowserWindow.created).toHaveLength(0)
  })
})
