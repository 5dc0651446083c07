import { spawn } from 'node:child_process'
import { appendFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readCurrentReport, writeJobReport } from '../../../electron/services/report/build'
import { createReportHandlers } from '../../../electron/services/report/handlers'
import { createReportWriter, type ReportWriter } from '../../../electron/services/report/writer'
import { JOURNAL_FILE } from '../../../electron/services/upload/journal'
import { waitFor } from '../constant-contact/helpers'
import { preparedJob } from '../upload/helpers'
import { recordAcceptedSend, writeUploadJournal } from './fixtures'

const writers: ReportWriter[] = []
afterEach(async () => {
  for (const writer of writers.splice(0)) await writer.settle()
})

function newWriter(options: Parameters<typeof createReportWriter>[0] = {}): ReportWriter {
  const writer = createReportWriter({ idleMs: 200, ...options })
  writers.push(writer)
  return writer
}

/** A prepared job whose upload is under way (every activity finished, the run not ended yet). */
async function uploadingJob(rows = { group0: 6, group1: 4, problems: 2 }) {
  const job = await preparedJob({ ...rows, tag: 'report' })
  writeUploadJournal(job.dir, job.summary, { ended: false })
  return job
}

/** Each write renames a new file into place: the same inode means the file wasn't written again. */
const inodes = (dir: string) =>
  ['report.csv', 'report.html', 'report.json'].map((name) => statSync(join(dir, name)).ino)

describe('the job report writer', () => {
  it('writes the report when a journal changes, and serves it after that without writing it again', async () => {
    const job = await uploadingJob()
    const writer = newWriter()
    const first = await writer.current(job.dir)
    expect(first.model.status).toBe('in_progress')
    const written = inodes(job.dir)

    // Asked again (and through the requests), the stored report is current: nothing is written.
    const report = createReportHandlers({ jobsDir: dirname(job.dir), reports: writer })
    const handlers = report.handlers
    const jobId = basename(job.dir)
    expect((await writer.current(job.dir)).model.generatedAt).toBe(first.model.generatedAt)
    expect((await handlers['report.model']({ jobId })).generatedAt).toBe(first.model.generatedAt)
    expect((await handlers['report.files']({ jobId })).csvPath).toBe(first.csvPath)
    expect((await report.fileToDownload(jobId, 'csv')).path).toBe(first.csvPath)
    expect(inodes(job.dir)).toEqual(written)

    // The upload journal changes: the report is written again in the background, once.
    appendFileSync(
      join(job.dir, JOURNAL_FILE),
      `${JSON.stringify({ type: 'completed', at: new Date().toISOString() })}\n`,
    )
    writer.journalChanged(job.dir)
    const after = await waitFor(() => {
      const model = JSON.parse(readFileSync(join(job.dir, 'report.json'), 'utf8')).model
      return model.status === 'all_added' ? model : undefined
    }, 20_000)
    expect(inodes(job.dir).every((ino, i) => ino !== written[i])).toBe(true)
    expect((await writer.current(job.dir)).model.generatedAt).toBe(after.generatedAt)

    // So does the send journal: the report then has its Sends section.
    recordAcceptedSend(job.dir, '0', 'Spring news')
    const withSends = await writer.current(job.dir)
    expect(withSends.model.sections.map((s) => s.title)).toEqual(['Sends'])
    expect(readFileSync(withSends.htmlPath, 'utf8')).toContain('Spring news')
  })

  it('has one writer per job: requests at the same time share one write', async () => {
    const job = await uploadingJob()
    const writer = newWriter()
    writer.journalChanged(job.dir)
    const reports = await Promise.all([1, 2, 3, 4].map(() => writer.current(job.dir)))
    // One write answered them all (separate writes would each give their own answer).
    expect(new Set(reports).size).toBe(1)
    expect(existsSync(join(job.dir, 'report.lock'))).toBe(false)
  })

  it('waits while another process writes the job’s report, then uses its report instead of writing again', async () => {
    const job = await uploadingJob()
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' })
    try {
      const lock = join(job.dir, 'report.lock')
      writeFileSync(
        lock,
        JSON.stringify({
          pid: other.pid,
          host: hostname(),
          token: 'other',
          since: new Date().toISOString(),
          purpose: 'report',
        }),
      )
      let answered = false
      const asked = newWriter()
        .current(job.dir)
        .finally(() => (answered = true))
      await new Promise((resolve) => setTimeout(resolve, 400))
      expect(answered).toBe(false)
      expect(existsSync(join(job.dir, 'report.csv'))).toBe(false)

      // The other process writes the report and lets go of the lock.
      const theirs = writeJobReport(job.dir)
      const written = inodes(job.dir)
      rmSync(lock)
      const report = await asked
      expect(report.model.generatedAt).toBe(theirs.model.generatedAt)
      expect(inodes(job.dir)).toEqual(written)
    } finally {
      other.kill()
    }
  })

  it('keeps the asking thread free while the worker writes', async () => {
    const big = await uploadingJob({ group0: 15_000, group1: 15_000, problems: 30 })
    const small = await uploadingJob()
    const writer = newWriter()
    await writer.current(small.dir)

    // Count turns of this thread's event loop while the big job's report is being written.
    let turns = 0
    let counting = true
    const spin = (): void => {
      turns++
      if (counting) setImmediate(spin)
    }
    setImmediate(spin)
    const order: string[] = []
    const bigReport = writer.current(big.dir).then((r) => (order.push('big'), r))
    const smallReport = writer.current(small.dir).then((r) => (order.push('small'), r))
    await Promise.all([bigReport, smallReport])
    counting = false
    // The small job's stored report was served while the big one was still being written.
    expect(order).toEqual(['small', 'big'])
    expect(turns).toBeGreaterThan(20)
    expect((await bigReport).model.rowCounts.added).toBe(30_000)
  })

  it('writes the report again from the journals when report.json is damaged, instead of trusting it', async () => {
    const job = await uploadingJob()
    const writer = newWriter()
    const first = await writer.current(job.dir)
    const json = join(job.dir, 'report.json')
    const saved = JSON.parse(readFileSync(json, 'utf8'))
    // What it was built from still matches the job: only the model is wrong.
    for (const damage of [
      (model: Record<string, unknown>) => delete model.rowCounts,
      (model: Record<string, unknown>) => (model.status = 'all_sent_twice'),
      (model: Record<string, unknown>) => (model.groups = 'none'),
    ]) {
      const model = structuredClone(saved.model)
      damage(model)
      writeFileSync(json, JSON.stringify({ ...saved, model }))
      expect(readCurrentReport(job.dir)).toBeUndefined()
      const again = await writer.current(job.dir)
      expect(again.model.rowCounts).toEqual(first.model.rowCounts)
      expect(again.model.status).toBe('in_progress')
      expect(JSON.parse(readFileSync(json, 'utf8')).model.status).toBe('in_progress')
    }
    writeFileSync(json, '{"builtFrom": ')
    expect((await writer.current(job.dir)).model.groups).toEqual(first.model.groups)
  })

  it('says plainly when the job folder is not a prepared job', async () => {
    const job = await uploadingJob()
    const handlers = createReportHandlers({ jobsDir: dirname(job.dir), reports: newWriter() }).handlers
    await expect(handlers['report.model']({ jobId: 'no-such-job' })).rejects.toMatchObject({ code: 'job_not_found' })
  })
})
