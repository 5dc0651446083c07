/**
 * job.json read back (issue 16): through its one schema, so a file that was changed or cut short
 * since Splitsend wrote it gets a message naming what is wrong instead of a crash further on, and a
 * job prepared before a problem reason existed still reads (that reason had no rows).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { JOB_FILES, readPreparedJob, readSummaryFile } from '../../../electron/services/prepare/job-files'
import { prepareJob } from '../../../electron/services/prepare/pass'
import { routineFromJob } from '../../../electron/services/routines/run-save'
import { tempDir, writeFile } from './helpers'

const CSV = 'Email,Flag\nann@example.com,1\nbob@example.com,0\nnot-an-address,1\n'

async function preparedJob(): Promise<{ dir: string; job: Record<string, unknown> }> {
  const dir = join(tempDir(), 'job')
  await prepareJob(writeFile('contacts.csv', CSV), { mapping: { emailColumn: 0, flagColumn: 1, fields: [] } }, dir)
  return { dir, job: JSON.parse(readFileSync(join(dir, JOB_FILES.job), 'utf8')) as Record<string, unknown> }
}

function rewrite(dir: string, content: unknown): void {
  writeFileSync(join(dir, JOB_FILES.job), typeof content === 'string' ? content : JSON.stringify(content))
}

const ACCOUNT = { endpoint: 'practice' as const }

describe('job.json', () => {
  it('reads back what the prepare pass wrote', async () => {
    const { dir } = await preparedJob()
    const job = readPreparedJob(dir)
    expect(job.counts).toMatchObject({ rows: 3, groups: { '0': 1, '1': 1 }, problems: { invalid_email: 1 } })
    expect(job.options.mapping).toEqual({ emailColumn: 0, flagColumn: 1, fields: [] })
  })

  it('from a job prepared before a problem reason existed reads, with no rows for that reason', async () => {
    const { dir, job } = await preparedJob()
    const counts = job.counts as { problems: Record<string, number> }
    delete counts.problems.email_too_long
    rewrite(dir, job)
    expect(readPreparedJob(dir).counts.problems.email_too_long).toBe(0)
  })

  it.each([
    ['a wrong field', (job: Record<string, unknown>) => ({ ...job, columns: 'Email' }), '“columns” should be a list'],
    [
      'a field left out',
      (job: Record<string, unknown>) => ({ ...job, options: { ...(job.options as object), mapping: undefined } }),
      '“options › mapping” is missing',
    ],
    ['a newer version', (job: Record<string, unknown>) => ({ ...job, version: 2 }), '“version” should be 1, not 2'],
    ['text cut short', (job: Record<string, unknown>) => JSON.stringify(job).slice(0, 40), 'it is not complete JSON'],
  ])('with %s is refused, saying what is wrong, by routineFromJob too', async (_, damage, words) => {
    const { dir, job } = await preparedJob()
    rewrite(dir, damage(job))
    const expected = { code: 'job_damaged', message: expect.stringContaining(words) }
    expect(() => readPreparedJob(dir)).toThrow(expect.objectContaining(expected))
    await expect(routineFromJob(dir, { name: 'Monthly', account: ACCOUNT })).rejects.toThrow(
      expect.objectContaining(expected),
    )
  })

  it('missing: the folder does not hold a prepared job', () => {
    expect(() => readPreparedJob(tempDir())).toThrow(expect.objectContaining({ code: 'job_not_found' }))
  })
})

describe('summary.json', () => {
  it('from a job prepared before empty flags could be placed and long values cut reads as that pass did', async () => {
    const { dir } = await preparedJob()
    const path = join(dir, JOB_FILES.summary)
    const summary = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
    for (const key of ['blankFlag', 'blankFlags', 'cutValues']) delete summary[key]
    delete (summary.problems as Record<string, number>).email_too_long
    writeFileSync(path, JSON.stringify(summary))
    expect(readSummaryFile(dir)).toMatchObject({
      blankFlag: 'problem',
      blankFlags: 0,
      cutValues: [],
      problems: { email_too_long: 0, invalid_email: 1 },
    })
  })

  it('damaged is refused, saying which field; without job.json the folder holds no complete job', async () => {
    const { dir } = await preparedJob()
    const path = join(dir, JOB_FILES.summary)
    const summary = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
    writeFileSync(path, JSON.stringify({ ...summary, groups: { '0': 'one', '1': 1 } }))
    expect(() => readSummaryFile(dir)).toThrow(
      expect.objectContaining({
        code: 'job_damaged',
        message: expect.stringContaining('“groups › 0” should be a number'),
      }),
    )
    writeFileSync(path, JSON.stringify(summary))
    rmSync(join(dir, JOB_FILES.job))
    expect(() => readSummaryFile(dir)).toThrow(expect.objectContaining({ code: 'job_not_found' }))
  })
})
