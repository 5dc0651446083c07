import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { routineToText } from '../../../shared/routines/schema'
import { RoutineStore, folderNameFor } from '../../../electron/services/routines/store'
import { sampleRoutine, tempDir } from './helpers'

function newStore(): { store: RoutineStore; dataDir: string } {
  const dataDir = tempDir()
  let tick = Date.parse('2025-06-01T07:00:00.000Z')
  return { store: new RoutineStore({ dataDir, now: () => new Date((tick += 1000)) }), dataDir }
}

/** Files below a folder, with paths relative to it. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
}

describe('routine store', () => {
  it('keeps each routine as a private, pretty-printed routine.json in its own folder', async () => {
    const { store, dataDir } = newStore()
    const saved = await store.save(sampleRoutine())
    expect(saved.updatedAt).toBe('2025-06-01T07:00:01.000Z')
    const dir = join(dataDir, 'routines', 'monthly-app-usage-mailing')
    expect(readFileSync(join(dir, 'routine.json'), 'utf8')).toBe(routineToText(saved))
    expect(statSync(join(dataDir, 'routines')).mode & 0o777).toBe(0o700)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(statSync(join(dir, 'routine.json')).mode & 0o777).toBe(0o600)
    expect(await store.read('monthly APP-usage mailing')).toEqual(saved)
    const [entry] = await store.list()
    expect(entry).toMatchObject({ key: 'monthly-app-usage-mailing', routine: saved })
    // Nothing half-written is left behind.
    expect(filesBelow(join(dataDir, 'routines'))).toEqual([
      'monthly-app-usage-mailing',
      'monthly-app-usage-mailing/routine.json',
    ])
  })

  it('names folders from any name, and never lets two names that clean alike overwrite each other', async () => {
    const { store, dataDir } = newStore()
    expect(folderNameFor('Monthly / app usage: “VIP”!')).toBe('monthly-app-usage-vip')
    expect(folderNameFor('Ежемесячная рассылка')).toBe('ежемесячная-рассылка')
    expect(folderNameFor('月次メール')).toBe('月次メール')
    expect(folderNameFor('CON')).toBe('con-routine')
    expect(folderNameFor('***')).toBe('routine')
    expect([...folderNameFor('x'.repeat(500))].length).toBe(60)

    await store.save(sampleRoutine({ name: 'Mailing: A/B' }))
    await store.save(sampleRoutine({ name: 'Mailing A-B' }))
    await store.save(sampleRoutine({ name: '月次メール' }))
    expect(readdirSync(join(dataDir, 'routines')).sort()).toEqual(['mailing-a-b', 'mailing-a-b-2', '月次メール'])
    expect((await store.read('Mailing: A/B')).name).toBe('Mailing: A/B')
    expect((await store.read('Mailing A-B')).name).toBe('Mailing A-B')
    expect((await store.list()).map((e) => e.routine?.name)).toEqual(['Mailing A-B', 'Mailing: A/B', '月次メール'])
  })

  it('refuses a second routine of the same name unless asked to replace it, keeping its history', async () => {
    const { store } = newStore()
    await store.save(sampleRoutine())
    const run = await store.beginRun('Monthly app-usage mailing')
    await expect(store.save(sampleRoutine({ name: 'monthly app-usage MAILING' }))).rejects.toMatchObject({
      code: 'routine_exists',
      message: 'There is already a routine named “monthly app-usage MAILING”.',
    })
    const changed = sampleRoutine({ groupNames: { '0': 'No app', '1': 'App' } })
    await store.save(changed, { replace: true })
    expect((await store.read(changed.name)).groupNames).toEqual({ '0': 'No app', '1': 'App' })
    expect((await store.history(changed.name)).map((r) => r.runId)).toEqual([run.runId])
    expect(await store.list()).toHaveLength(1)
  })

  it('says which routines exist when a name is not found', async () => {
    const { store } = newStore()
    await expect(store.read('Nope')).rejects.toMatchObject({
      code: 'routine_not_found',
      hint: expect.stringContaining('save one'),
    })
    await store.save(sampleRoutine())
    await expect(store.read('Nope')).rejects.toMatchObject({
      message: 'There is no routine named “Nope”.',
      hint: 'The routines on this computer are “Monthly app-usage mailing”.',
    })
  })

  it('renames a routine: the file first, then its folder, history and all', async () => {
    const { store, dataDir } = newStore()
    await store.save(sampleRoutine())
    await store.save(sampleRoutine({ name: 'Weekly' }))
    const run = await store.beginRun('Monthly app-usage mailing')
    await expect(store.rename('Monthly app-usage mailing', 'weekly')).rejects.toMatchObject({ code: 'routine_exists' })
    const renamed = await store.rename('Monthly app-usage mailing', 'Monatlicher Versand (ä)')
    expect(renamed.name).toBe('Monatlicher Versand (ä)')
    expect(existsSync(join(dataDir, 'routines', 'monthly-app-usage-mailing'))).toBe(false)
    const dir = join(dataDir, 'routines', 'monatlicher-versand-ä')
    expect(filesBelow(dir)).toEqual(['history.json', 'routine.json'])
    expect((await store.history('Monatlicher Versand (ä)'))[0]!.runId).toBe(run.runId)
    await expect(store.read('Monthly app-usage mailing')).rejects.toMatchObject({ code: 'routine_not_found' })
    await expect(store.rename('Weekly', '  ')).rejects.toMatchObject({
      code: 'routine_name_invalid',
      message: "“  ” can't be a routine's name: it should be a name, not blank.",
    })
    await expect(store.rename('Weekly', 'x'.repeat(101))).rejects.toMatchObject({
      message: expect.stringContaining('it should be at most 100 characters long.'),
    })
    // A change of case only keeps the folder.
    await store.rename('Weekly', 'WEEKLY')
    expect((await store.read('weekly')).name).toBe('WEEKLY')
    expect(existsSync(join(dataDir, 'routines', 'weekly', 'routine.json'))).toBe(true)
  })

  it('deletes a routine with its history', async () => {
    const { store, dataDir } = newStore()
    await store.save(sampleRoutine())
    await store.beginRun('Monthly app-usage mailing')
    await store.delete('Monthly app-usage mailing')
    expect(await store.list()).toEqual([])
    expect(readdirSync(join(dataDir, 'routines'))).toEqual([])
  })

  it('exports the routine without its history, and imports it (validated, upgraded) on another computer', async () => {
    const here = newStore()
    await here.store.save(sampleRoutine())
    await here.store.beginRun('Monthly app-usage mailing', { jobDir: '/private/jobs/1' })
    const file = join(tempDir(), 'routine for Anna.json')
    await here.store.exportTo('Monthly app-usage mailing', file)
    const text = readFileSync(file, 'utf8')
    expect(text).toBe(routineToText(await here.store.read('Monthly app-usage mailing')))
    expect(text).not.toContain('/private/jobs')
    await expect(here.store.exportTo('Monthly app-usage mailing', file)).rejects.toMatchObject({ code: 'file_exists' })
    await here.store.exportTo('Monthly app-usage mailing', file, { overwrite: true })

    const there = newStore()
    const imported = await there.store.importFrom(file)
    expect(imported.name).toBe('Monthly app-usage mailing')
    expect(await there.store.history(imported.name)).toEqual([])
    await expect(there.store.importFrom(file)).rejects.toMatchObject({ code: 'routine_exists' })
    await there.store.importFrom(file, { replace: true })
    expect((await there.store.importFrom(file, { name: '  Copy for June ' })).name).toBe('Copy for June')

    // An older file is upgraded; a broken one is refused with the file's name, and nothing is saved.
    const v1 = JSON.parse(text)
    v1.version = 1
    delete v1.lists.policy
    v1.name = 'Old one'
    writeFileSync(file, JSON.stringify(v1))
    expect((await there.store.importFrom(file)).lists.policy).toBe('add')
    writeFileSync(file, text.replace('"exclude"', '"sometimes"'))
    await expect(there.store.importFrom(file, { name: 'Broken' })).rejects.toMatchObject({
      code: 'routine_file_invalid',
      message: expect.stringContaining(`“${file}”`),
    })
    expect((await there.store.list()).map((e) => e.routine!.name)).toEqual([
      'Copy for June',
      'Monthly app-usage mailing',
      'Old one',
    ])
  })

  it('lists a broken routine file with what is wrong, and reading it by name says so', async () => {
    const { store, dataDir } = newStore()
    await store.save(sampleRoutine())
    await store.save(sampleRoutine({ name: 'Weekly' }))
    const file = join(dataDir, 'routines', 'weekly', 'routine.json')
    writeFileSync(file, readFileSync(file, 'utf8').replace('"version": 2', '"version": 7'))
    const entries = await store.list()
    expect(entries.map((e) => [e.key, e.routine?.name, e.error?.code])).toEqual([
      ['monthly-app-usage-mailing', 'Monthly app-usage mailing', undefined],
      ['weekly', undefined, 'routine_file_invalid'],
    ])
    await expect(store.read('Weekly')).rejects.toMatchObject({
      code: 'routine_file_invalid',
      message: expect.stringContaining(`“${file}” can't be used: the field “version” is 7`),
    })
    expect((await store.read('Monthly app-usage mailing')).name).toBe('Monthly app-usage mailing')
  })

  it('records runs beside the routine; a run left "running" by a crash is closed as interrupted', async () => {
    const { store, dataDir } = newStore()
    await store.save(sampleRoutine())
    const name = 'Monthly app-usage mailing'
    const source = { fileName: 'usage-june.csv', path: '/x/usage-june.csv', sha256: 'b'.repeat(64) }
    const first = await store.beginRun(name, { source })
    expect(first.outcome).toEqual({ kind: 'running' })
    const done = await store.finishRun(name, first.runId, {
      jobDir: '/jobs/june',
      counts: { rows: 10, groups: { '0': 4, '1': 5 }, problems: 1 },
      outcome: { kind: 'done_with_contacts_not_added', contactsNotAdded: 2 },
      sent: {
        '0': {
          campaignId: 'c9',
          campaignName: 'Try the app – 2025-06-01',
          copyOf: { campaignId: 'c0', campaignName: 'Try the app' },
        },
      },
    })
    expect(done).toMatchObject({ exitCode: 3, finishedAt: expect.any(String), source, jobDir: '/jobs/june' })

    const crashed = await store.beginRun(name)
    const next = await store.beginRun(name)
    const history = await store.history(name)
    expect(history.map((r) => r.runId)).toEqual([first.runId, crashed.runId, next.runId])
    expect(history[1]).toMatchObject({
      outcome: { kind: 'failed', message: expect.stringContaining('interrupted') },
      exitCode: 1,
    })
    expect(history[2]!.outcome.kind).toBe('running')
    const stopped = await store.finishRun(name, next.runId, {
      outcome: { kind: 'stopped_by_safety_check', reasons: ['Group “Uses the app” has no contacts in this file.'] },
    })
    expect(stopped.exitCode).toBe(4)
    expect((await store.list())[0]!.lastRun).toEqual(stopped)
    const file = join(dataDir, 'routines', 'monthly-app-usage-mailing', 'history.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readFileSync(file, 'utf8')).toContain('\n  "runs": [\n')
    await expect(store.finishRun(name, 'no-such-run', { outcome: { kind: 'done' } })).rejects.toMatchObject({
      code: 'run_not_found',
    })
  })

  it('runs a routine once at a time, and refuses to rename or delete it meanwhile', async () => {
    const { store } = newStore()
    await store.save(sampleRoutine())
    const name = 'Monthly app-usage mailing'
    const lock = await store.lockRun(name)
    expect(await store.isRunning(name)).toBe(true)
    await expect(store.lockRun(name)).rejects.toMatchObject({
      code: 'routine_busy',
      message: 'The routine “Monthly app-usage mailing” is running right now.',
    })
    await expect(store.rename(name, 'Other')).rejects.toMatchObject({ code: 'routine_busy' })
    await expect(store.delete(name)).rejects.toMatchObject({ code: 'routine_busy' })
    lock.release()
    expect(await store.isRunning(name)).toBe(false)
    const again = await store.lockRun(name)
    again.release()
    // After a rename, the lock lives in the renamed folder.
    await store.rename(name, 'Other')
    const moved = await store.lockRun('Other')
    expect(await store.isRunning('Other')).toBe(true)
    moved.release()
  })

  it('knows a run lock held by another process, and takes over one whose process is gone', async () => {
    const { store, dataDir } = newStore()
    await store.save(sampleRoutine())
    const name = 'Monthly app-usage mailing'
    const lockFile = join(dataDir, 'routines', 'monthly-app-usage-mailing', 'run.lock')
    const holder = (pid: number) =>
      JSON.stringify({ pid, host: hostname(), token: 'other', since: new Date().toISOString(), purpose: 'routine run' })

    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    try {
      writeFileSync(lockFile, holder(alive.pid!))
      expect(await store.isRunning(name)).toBe(true)
      await expect(store.lockRun(name)).rejects.toMatchObject({ code: 'routine_busy' })
    } finally {
      alive.kill()
    }
    await new Promise((resolve) => alive.once('exit', resolve))
    // Its process is gone now: the lock is stale.
    expect(await store.isRunning(name)).toBe(false)
    const lock = await store.lockRun(name)
    expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBe(process.pid)
    lock.release()
    expect(existsSync(lockFile)).toBe(false)
  })
})
