/**
 * A job folder prepared again (issue 15): once a job has been uploaded or sent, its journals describe
 * the data in its folder, so preparing into that folder is refused — by the engine, by the command
 * (choose another --out) — and the app's next pass of the same file makes a new job instead.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../../electron/cli/splitsend'
import { FileRegistry } from '../../../electron/services/files/file-registry'
import { createPrepareHandlers } from '../../../electron/services/prepare/handlers'
import { prepareJob } from '../../../electron/services/prepare/pass'
import { runPrepare } from '../../../electron/services/prepare/run'
import type { PrepareOptions } from '../../../shared/prepare/schemas'
import { tempDir, writeFile } from './helpers'

const CSV = 'Email,Flag,First name\nann@example.com,1,Ann\nbob@example.com,0,Bob\ncy@example.com,1,Cy\n'
const OPTIONS: PrepareOptions = {
  mapping: { emailColumn: 0, flagColumn: 1, fields: [{ column: 2, target: { kind: 'field', field: 'first_name' } }] },
}

/** Every file in a folder with its bytes, to show nothing changed. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'base64')]))
}

/** A prepared job whose upload has started (its journal is there). */
async function uploadedJob(journal = 'upload-journal.jsonl'): Promise<{ source: string; dir: string }> {
  const source = writeFile('contacts.csv', CSV)
  const dir = join(tempDir(), 'job')
  await prepareJob(source, OPTIONS, dir)
  writeFileSync(join(dir, journal), `{"type":"plan","at":"2026-05-01T10:00:00.000Z"}\n`)
  return { source, dir }
}

describe('a job folder that was uploaded', () => {
  it.each(['upload-journal.jsonl', 'send-journal.jsonl', 'membership-journal.jsonl'])(
    'is not prepared again by the engine (with %s), and its files stay as they were',
    async (journal) => {
      const { source, dir } = await uploadedJob(journal)
      const before = snapshot(dir)
      const other = writeFile('other.csv', 'Email,Flag\nzed@example.com,0\n')
      await expect(
        prepareJob(other, { mapping: { emailColumn: 0, flagColumn: 1, fields: [] } }, dir),
      ).rejects.toMatchObject({
        code: 'job_already_used',
        message: expect.stringContaining(`holds a job that has already been uploaded (${journal})`),
      })
      // In the worker too, and even a pass stopped at once removes nothing.
      const controller = new AbortController()
      const pass = runPrepare(source, OPTIONS, { outDir: dir, signal: controller.signal })
      controller.abort()
      await expect(pass).rejects.toMatchObject({ code: 'job_already_used' })
      expect(snapshot(dir)).toEqual(before)
    },
  )

  it('is refused by `splitsend prepare` with the same --out: exit 2, and the hint says to choose another --out', async () => {
    const { source, dir } = await uploadedJob()
    const before = snapshot(dir)
    let stderr = ''
    const code = await main(['prepare', source, '--out', dir], { stdout: () => {}, stderr: (t) => void (stderr += t) })
    expect(code).toBe(2)
    expect(stderr).toContain('holds a job that has already been uploaded (upload-journal.jsonl)')
    expect(stderr).toContain('Choose another --out folder')
    expect(snapshot(dir)).toEqual(before)
    // A new folder works.
    expect(
      await main(['prepare', source, '--out', join(tempDir(), 'next')], { stdout: () => {}, stderr: () => {} }),
    ).toBe(0)
  })

  it('in the app, the next pass of the same file makes a new job; the uploaded one stays as it was', async () => {
    const jobsDir = tempDir('jobs')
    mkdirSync(jobsDir, { recursive: true })
    const files = new FileRegistry()
    const prepare = createPrepareHandlers({ files, jobsDir, emit: () => {} })
    try {
      const file = await files.attachPath(writeFile('contacts.csv', CSV))
      const run = (runId: string, options: PrepareOptions) =>
        prepare.handlers['prepare.run']({ fileId: file.fileId, runId, options }) as Promise<{ jobId: string }>

      const first = await run('run-one-aaaa', OPTIONS)
      // Before the upload, a changed choice rewrites the same job.
      const again = await run('run-two-aaaa', { ...OPTIONS, groupNames: { '0': 'No', '1': 'Yes' } })
      expect(again.jobId).toBe(first.jobId)

      writeFileSync(join(jobsDir, first.jobId, 'upload-journal.jsonl'), '{"type":"plan"}\n')
      const before = snapshot(join(jobsDir, first.jobId))
      const after = await run('run-three-a', { ...OPTIONS, groupNames: { '0': 'Nope', '1': 'Yep' } })
      expect(after.jobId).not.toBe(first.jobId)
      expect(snapshot(join(jobsDir, first.jobId))).toEqual(before)
      expect(JSON.parse(readFileSync(join(jobsDir, after.jobId, 'summary.json'), 'utf8')).groupNames).toEqual({
        '0': 'Nope',
        '1': 'Yep',
      })
      // And the new job is the one later passes rewrite.
      expect((await run('run-four-aa', OPTIONS)).jobId).toBe(after.jobId)
    } finally {
      prepare.dispose()
      await files.dispose()
    }
  })
})
