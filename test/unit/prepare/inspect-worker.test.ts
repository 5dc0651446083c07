import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterAll, describe, expect, it } from 'vitest'
import { UserFacingError } from '../../../shared/errors'
import { dispatchRequest, type Handlers } from '../../../electron/services/contract-dispatch'
import { FileRegistry } from '../../../electron/services/files/file-registry'
import { KeptWorker } from '../../../electron/services/kept-worker'
import { createPrepareHandlers } from '../../../electron/services/prepare/handlers'
import { inspectSource, type SourceInspection } from '../../../electron/services/prepare/inspect'
import { inspectInWorker, stopInspectWorker } from '../../../electron/services/prepare/inspect-thread'
import { runPrepare } from '../../../electron/services/prepare/run'
import { CONTACT_ROWS, repeatedPart, SHEET_HEAD, SHEET_TAIL, workbookBytes } from '../spreadsheet/hostile-workbooks'
import { tempDir, writeFile } from './helpers'

afterAll(() => stopInspectWorker())

const CONTACTS = 'Email,Flag,First name\nann@example.com,1,Ann\nbob@example.com,0,Bob\n'

/**
 * A CSV whose first rows hold half a million different cells each: reading its 16 MB sample takes
 * a few hundred megabytes (and it is then refused as too wide).
 */
function heavyCsv(): string {
  const line = Array.from({ length: 500_000 }, (_, i) => i.toString(36)).join(',')
  return `${Array.from({ length: 8 }, () => line).join('\n')}\n`
}

/**
 * Rows, then `megabytes` of markup that is nothing, packed about 80 to 1 (so no unpacking limit
 * stops it): reading it to the end takes seconds (600 MB: about eight).
 */
function slowWorkbook(megabytes: number): Buffer {
  let junk = ''
  for (let seed = 1; junk.length < 1 << 20; seed = (seed * 48271) % 2147483647)
    junk += `<x a="${'x'.repeat(600)}${seed.toString(36)}"/>`
  const sheet = repeatedPart('sheet', {
    head: `${SHEET_HEAD}${CONTACT_ROWS}`,
    middle: junk,
    times: megabytes,
    tail: SHEET_TAIL,
  })
  return workbookBytes({ sheet })
}

/** An inspect worker with a small memory limit (the app's is 1 GB), so a test file can pass it. */
function smallInspectWorker(options: { timeLimitMs?: number } = {}) {
  return new KeptWorker<{ path: string; options: object }, SourceInspection>({
    entry: 'inspect-worker',
    sourcePath: 'electron/services/prepare/inspect-worker.ts',
    resourceLimits: { maxOldGenerationSizeMb: 64 },
    idleMs: 10_000,
    outOfMemory: () => new UserFacingError('file_too_large', 'Too much memory.'),
    ...(options.timeLimitMs
      ? { timeLimit: { ms: options.timeLimitMs, error: () => new UserFacingError('file_too_slow', 'Too slow.') } }
      : {}),
  })
}

describe('files are read in a worker, never on the thread that serves the person', () => {
  it('the app, the web bridge and the command inspect through the worker: the same answers and the same errors', async () => {
    const path = writeFile('contacts.csv', CONTACTS)
    const { path: _path, ...here } = await inspectSource(path)
    expect(await inspectInWorker(path)).toMatchObject(here)
    const zzz = writeFile(
      'zzz.xlsx',
      workbookBytes({ sheet: `${SHEET_HEAD}${CONTACT_ROWS.replace('B1', 'ZZZZZZZ1')}${SHEET_TAIL}` }),
    )
    const error = await inspectInWorker(zzz).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserFacingError)
    expect(error).toMatchObject({ code: 'workbook_damaged', message: expect.stringContaining('ZZZZZZZ1') })
  })

  it('a file that needs more memory than the worker may have costs an error message; the next file is read', async () => {
    const thread = smallInspectWorker()
    try {
      const heavy = writeFile('heavy.csv', heavyCsv())
      await expect(thread.run({ path: heavy, options: {} })).rejects.toMatchObject({ code: 'file_too_large' })
      const fine = await thread.run({ path: writeFile('contacts.csv', CONTACTS), options: {} })
      expect(fine.columns.map((c) => c.name)).toEqual(['Email', 'Flag', 'First name'])
    } finally {
      await thread.close()
    }
  })

  it('the app’s inspection of a slow file leaves the thread that serves the person free', async () => {
    const files = new FileRegistry()
    const prepare = createPrepareHandlers({ files, jobsDir: join(tempDir(), 'jobs'), emit: () => {} })
    const { fileId } = await files.attachPath(writeFile('slow.xlsx', slowWorkbook(100)))
    await inspectInWorker(writeFile('contacts.csv', CONTACTS)) // the worker has started
    const before = performance.eventLoopUtilization()
    const answer = await dispatchRequest(prepare.handlers as Handlers, 'prepare.inspect', { fileId }, () => {})
    const busy = performance.eventLoopUtilization(before)
    expect(answer).toMatchObject({ ok: true, value: { previewRows: [{ row: 2 }, { row: 3 }] } })
    // The reading took the worker most of a second (and this thread as long, when it read here).
    expect(busy.active).toBeLessThan(Math.min(200, busy.idle))
  })

  it('a file that takes too long is stopped, and the calling thread stays free meanwhile', async () => {
    const thread = smallInspectWorker({ timeLimitMs: 1_500 })
    try {
      const path = writeFile('slow.xlsx', slowWorkbook(600))
      const before = performance.eventLoopUtilization()
      await expect(thread.run({ path, options: {} })).rejects.toMatchObject({ code: 'file_too_slow' })
      expect(performance.eventLoopUtilization(before).active).toBeLessThan(200)
    } finally {
      await thread.close()
    }
  })

  it('a full pass that needs more memory than its worker may have stops with a message and leaves no files', async () => {
    const heavy = writeFile('heavy.csv', heavyCsv().replace(/^/, 'Email,Flag\nann@example.com,1\n'))
    const outDir = join(tempDir(), 'job')
    const run = runPrepare(
      heavy,
      { mapping: { emailColumn: 0, flagColumn: 1, fields: [] }, headerRow: 1 },
      {
        outDir,
        resourceLimits: { maxOldGenerationSizeMb: 96 },
      },
    )
    await expect(run).rejects.toMatchObject({
      code: 'file_too_large',
      message: expect.stringContaining('Nothing was written'),
    })
    expect(existsSync(outDir) ? readdirSync(outDir) : []).toEqual([])
  })
})
