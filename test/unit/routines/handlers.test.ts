import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { inspectSource, prepareJob } from '../../../electron/services/prepare/index'
import { createRoutineHandlers, type RoutineScheduling } from '../../../electron/services/routines/handlers'
import type { Scheduler, ScheduleTarget } from '../../../electron/services/routines/schedule/index'
import { RoutineStore } from '../../../electron/services/routines/store'
import { UserFacingError } from '../../../shared/errors'
import type { Routine } from '../../../shared/routines/schema'
import { sampleRoutine, tempDir } from './helpers'

const HEADER = 'Email,Uses app,First name,Region,Notes'
const rows = (n: number, flag: (i: number) => string = (i) => String(i % 2)) =>
  Array.from({ length: n }, (_, i) => `p${i}@example.com,${flag(i)},Name ${i},North,`)

/** A routine store, the handlers on it, files to open by ID, and a scheduler that only records. */
type Status = Awaited<ReturnType<Parameters<typeof createRoutineHandlers>[0]['account']['status']>>
const PRACTICE: Status = { connected: true, practice: true, endpoint: 'practice', needsReconnect: false }

async function setup(options: { scheduling?: RoutineScheduling; routine?: Routine; account?: Status } = {}) {
  const dataDir = tempDir()
  const jobsDir = join(dataDir, 'jobs')
  mkdirSync(jobsDir, { recursive: true })
  const files = new Map<string, string>()
  const store = new RoutineStore({ dataDir })
  const routine = options.routine ?? sampleRoutine({ lists: { ...sampleRoutine().lists, policy: 'add' } })
  await store.save(routine)
  const handlers = createRoutineHandlers({
    dataDir,
    jobsDir,
    account: {
      status: async () => options.account ?? PRACTICE,
      client: async () => {
        throw new Error('no Constant Contact in these tests')
      },
    },
    files: {
      get: (fileId: string) => ({ path: files.get(fileId)! }) as never,
      attachPath: async (path: string) => ({ fileId: `file-${files.size}`, name: path, sizeBytes: 0 }) as never,
    },
    scheduling: options.scheduling ?? { unavailable: 'Not from a browser page.' },
    now: () => new Date('2025-06-03T08:00:00Z'),
  })
  const open = (name: string, lines: string[]) => {
    const path = join(dataDir, name)
    writeFileSync(path, [HEADER, ...lines].join('\r\n'))
    const fileId = `file-${files.size + 1}`
    files.set(fileId, path)
    return { fileId, path }
  }
  return { dataDir, jobsDir, store, routine, handlers, open }
}

describe('routines over the contract', () => {
  it('reads a new file the routine’s way: positions for Prepare, and a new flag value shown, not adapted', async () => {
    const { handlers, open, routine } = await setup()
    const june = open(
      'june.csv',
      rows(20, (i) => (i === 3 ? 'maybe' : String(i % 2))),
    )
    const check = await handlers['routines.check']({ name: routine.name, fileId: june.fileId })
    expect(check.options?.mapping).toMatchObject({ emailColumn: 0, flagColumn: 1 })
    expect(check.options?.groupNames).toEqual(routine.groupNames)
    expect(check.options?.group1Values).toEqual(['active'])
    expect(check.differences).toEqual([
      expect.objectContaining({
        kind: 'flag_value_new',
        severity: 'stop',
        message: expect.stringContaining('“maybe” is new'),
      }),
    ])
  })

  it('refuses to run with another account than the routine’s, saying which', async () => {
    const { handlers, open, routine } = await setup({
      account: { connected: true, practice: false, endpoint: 'real', email: 'me@shop.example', needsReconnect: false },
    })
    const june = open('june.csv', rows(4))
    await expect(handlers['routines.check']({ name: routine.name, fileId: june.fileId })).rejects.toThrow(
      'The routine “Monthly app-usage mailing” runs with the practice account, which isn’t the account connected now.',
    )
  })

  it('changes where next month’s file comes from, and the limits, keeping the rest', async () => {
    const { handlers, routine, store } = await setup()
    const safety = { maxProblemPercent: 2, maxGroupChangePercent: 20, minimumRows: { rows: 100 } }
    await handlers['routines.update']({
      name: routine.name,
      source: { folder: '/data/exports', pattern: 'usage-*.xlsx' },
      safety,
    })
    expect(await store.read(routine.name)).toMatchObject({
      source: { folder: '/data/exports' },
      safety,
      lists: routine.lists,
    })
    await handlers['routines.update']({ name: routine.name, source: null })
    const after = await store.read(routine.name)
    expect(after.source).toBeUndefined()
    expect(after.safety).toEqual(safety)
  })

  it('changes a sent group’s test addresses, and refuses them for a group it doesn’t send', async () => {
    const { handlers, routine, store } = await setup()
    await handlers['routines.update']({
      name: routine.name,
      testAddresses: { '0': ['boss@example.com', 'me@example.com'] },
    })
    const after = await store.read(routine.name)
    expect(after.sending['0']).toMatchObject({ send: true, testAddresses: ['boss@example.com', 'me@example.com'] })
    expect(after.sending['1']).toEqual({ send: false })
    await handlers['routines.update']({ name: routine.name, testAddresses: { '0': [] } })
    expect((await store.read(routine.name)).sending['0']).toMatchObject({ testAddresses: [] })
    await expect(
      handlers['routines.update']({ name: routine.name, testAddresses: { '1': ['boss@example.com'] } }),
    ).rejects.toThrow('sends nothing to')
  })

  it('won’t delete a scheduled routine whose schedule it can’t remove (it would run on, for nothing)', async () => {
    const { handlers, routine, store } = await setup({
      routine: sampleRoutine({ schedule: { every: 'day', at: '07:00' } }),
    })
    await expect(handlers['routines.delete']({ name: routine.name })).rejects.toThrow('is scheduled')
    expect(await store.read(routine.name)).toBeTruthy()
  })

  it('gives no mapping when a mapped column is gone, and says which', async () => {
    const { handlers, open, routine } = await setup()
    const path = open('june.csv', [])
    writeFileSync(
      path.path,
      ['Address,Uses app', ...rows(5).map((r) => r.split(',').slice(0, 2).join(','))].join('\r\n'),
    )
    const check = await handlers['routines.check']({ name: routine.name, fileId: path.fileId })
    expect(check.options).toBeNull()
    expect(check.differences.map((d) => d.kind)).toContain('column_missing')
  })

  it('refuses to save a run whose groups weren’t uploaded, in plain words', async () => {
    const { handlers, open, jobsDir } = await setup()
    const may = open('may.csv', rows(10))
    const inspection = await inspectSource(may.path, {})
    await prepareJob(may.path, { mapping: inspection.suggestion.mapping }, join(jobsDir, 'job-may'))
    await expect(handlers['routines.save']({ name: 'May', jobId: 'job-may', replace: false })).rejects.toThrow(
      'This job was never uploaded, so it has no lists to remember.',
    )
  })

  it('shows the safety checks on a prepared job: the same file as a successful run', async () => {
    const { handlers, open, jobsDir, store, routine } = await setup()
    const june = open('june.csv', rows(10))
    const inspection = await inspectSource(june.path, {})
    await prepareJob(june.path, { mapping: inspection.suggestion.mapping }, join(jobsDir, 'job-june'))
    const { hashFile } = await import('../../../electron/services/routines/next-file')
    const lock = await store.lockRun(routine.name)
    const earlier = await store.beginRun(routine.name, {
      source: { fileName: 'may.csv', path: june.path, sha256: await hashFile(june.path) },
      counts: { rows: 10, groups: { '0': 5, '1': 5 }, problems: 0 },
    })
    await store.finishRun(routine.name, earlier.runId, { outcome: { kind: 'done' } })
    lock.release()
    const warnings = await handlers['routines.safety']({ name: routine.name, jobId: 'job-june' })
    expect(warnings.map((w) => w.kind)).toEqual(['same_file'])
  })

  it('shows a run’s job folder as the person knows it, never where the data folder is', async () => {
    const { handlers, dataDir, jobsDir, store, routine } = await setup()
    const lock = await store.lockRun(routine.name)
    const run = await store.beginRun(routine.name, {
      jobDir: join(jobsDir, 'job-june'),
      source: { fileName: 'june.csv', path: join(dataDir, 'june.csv'), sha256: 'a'.repeat(64) },
    })
    await store.finishRun(routine.name, run.runId, { outcome: { kind: 'done' } })
    lock.release()
    const { runs } = await handlers['routines.show']({ name: routine.name })
    expect(runs[0]).toMatchObject({ jobId: 'job-june', jobFolder: 'jobs/job-june', source: { fileName: 'june.csv' } })
    expect(JSON.stringify(runs)).not.toContain(dataDir)
  })

  it('lists each routine with what its folder would give the next run', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'usage-june.csv'), [HEADER, ...rows(3)].join('\n'))
    const { handlers } = await setup({ routine: sampleRoutine({ source: { folder: dir, pattern: 'usage-*.csv' } }) })
    const [entry] = await handlers['routines.list'](undefined)
    expect(entry?.nextFile).toMatchObject({ kind: 'found', fileName: 'usage-june.csv' })
    expect(entry?.scheduleWords).toBeUndefined()
  })

  it('refuses to set a schedule where it can’t be registered, with the reason, and changes nothing', async () => {
    const { handlers, routine, store } = await setup()
    const attempt = handlers['routines.setSchedule']({
      name: routine.name,
      schedule: { every: 'month', day: 3, at: '08:00' },
    })
    await expect(attempt).rejects.toBeInstanceOf(UserFacingError)
    await expect(attempt).rejects.toThrow('Not from a browser page.')
    expect((await store.read(routine.name)).schedule).toBeUndefined()
    expect((await handlers['routines.show']({ name: routine.name })).schedule).toEqual({
      unavailable: 'Not from a browser page.',
    })
  })

  it('registers the schedule with the computer’s scheduler, keeps it in the routine, and removes both', async () => {
    const registered = new Map<string, ScheduleTarget>()
    const scheduler: Scheduler = {
      system: 'crontab',
      print: () => '',
      register: async (target) => void registered.set(target.routineName, target),
      unregister: async (name) => void registered.delete(name),
      status: async (target) => ({
        registered: registered.has(target.routineName),
        upToDate: true,
        detail: registered.has(target.routineName) ? 'Registered with cron.' : 'Not registered.',
      }),
    }
    const { handlers, routine, store } = await setup({
      scheduling: {
        command: { program: '/usr/bin/node', arguments: ['/app/bin/splitsend.js', 'routine', 'run'] },
        scheduler: async () => scheduler,
      },
    })
    const view = await handlers['routines.setSchedule']({
      name: routine.name,
      schedule: { every: 'month', day: 3, at: '08:00' },
    })
    expect(view).toEqual({
      words: 'every month on day 3 at 08:00',
      schedule: { every: 'month', day: 3, at: '08:00' },
      status: 'Registered with cron.',
      registered: true,
      command: `/usr/bin/node /app/bin/splitsend.js routine run "${routine.name}"`,
    })
    expect(registered.get(routine.name)).toMatchObject({
      program: '/usr/bin/node',
      schedule: { every: 'month', day: 3 },
    })
    expect((await store.read(routine.name)).schedule).toEqual({ every: 'month', day: 3, at: '08:00' })
    await handlers['routines.setSchedule']({ name: routine.name, schedule: null })
    expect(registered.size).toBe(0)
    expect((await store.read(routine.name)).schedule).toBeUndefined()
  })
})
