/**
 * `npm run bench:report` — what the report requests cost the thread that serves them (the Electron
 * main process, the web bridge), on a job of 1,000,000 rows (a benchmark, not a test).
 *
 * Prepares a generated 1,000,000-row CSV and gives it a finished upload in its journal (written
 * directly: no Constant Contact needed). Then, side by side in one run:
 *   - before: each report request wrote the whole report on the calling thread (what every
 *     `report.*` request did until the report worker): the time of one such write there;
 *   - after: the report requests through the report handlers: the first after a journal change
 *     waits for the worker's write, the next ones are served from the stored report. For each, the
 *     time until the answer, the time the calling thread was busy (event-loop utilisation), and the
 *     longest the calling thread could not answer anything else (event-loop delay);
 *   - the time the worker takes to write the report (with a thread already started, and cold);
 *   - per request, before and after side by side with the ratio after/before (before: the median
 *     of 3 writes): the calling thread's busy time (after: the most of any request) and the time
 *     until the answer (after: the first request after a journal change, worker thread running;
 *     the slowest of the next ones).
 * BENCH_ROWS changes the row count.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { writeJobReport } from '../../electron/services/report/build'
import { createReportHandlers } from '../../electron/services/report/handlers'
import { createReportWriter } from '../../electron/services/report/writer'
import { recordAcceptedSend, writeUploadJournal } from '../unit/report/fixtures'
import { median, printSideBySide } from './compare'
import { generateContactsCsv, prepareContacts } from './contacts-job'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const work = mkdtempSync(join(tmpdir(), 'splitsend-bench-report-'))

interface Cost {
  answerMs: number
  busyMs: number
  longestStallMs: number
}

/** Runs `work` and says how long it took and what it cost this thread. */
async function measure(work: () => unknown): Promise<Cost> {
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  const before = performance.eventLoopUtilization()
  const start = performance.now()
  await work()
  const answerMs = performance.now() - start
  // Let the delay monitor see the last turn of the loop.
  await sleep(20)
  delay.disable()
  const busy = performance.eventLoopUtilization(before)
  return { answerMs, busyMs: busy.active, longestStallMs: delay.max / 1e6 }
}

const ms = (value: number): string => `${Math.round(value).toLocaleString('en-US')} ms`.padStart(9)

async function main(): Promise<void> {
  const jobsDir = join(work, 'jobs')
  const jobDir = join(jobsDir, 'job')
  mkdirSync(jobsDir)
  const csv = join(work, 'contacts.csv')
  generateContactsCsv(csv, ROWS)
  const summary = await prepareContacts(csv, jobDir)
  writeUploadJournal(jobDir, summary)
  console.log(`Job of ${summary.rows.toLocaleString('en-US')} rows (${ROWS.toLocaleString('en-US')} generated)\n`)

  // Before: the whole report written on the calling thread, as each request did.
  const syncWrites: Cost[] = []
  for (let i = 0; i < 3; i++) syncWrites.push(await measure(() => writeJobReport(jobDir)))
  const syncWrite = median(syncWrites.map((c) => c.busyMs))
  console.log(
    `before: every report request wrote the report on the calling thread: ${ms(syncWrite)} each (median of 3)`,
  )

  // After.
  const writer = createReportWriter()
  const { handlers } = createReportHandlers({ jobsDir, reports: writer })
  const jobId = 'job'
  let sends = 0
  const changeJournal = () => recordAcceptedSend(jobDir, sends++ % 2 === 0 ? '0' : '1', `Campaign ${sends}`)

  changeJournal()
  const cold = await measure(() => handlers['report.model']({ jobId }))
  changeJournal()
  const warm = await measure(() => handlers['report.model']({ jobId }))
  const served: Array<[string, Cost]> = [
    ['report.model', await measure(() => handlers['report.model']({ jobId }))],
    ['report.files (open, save, PDF)', await measure(() => handlers['report.files']({ jobId }))],
  ]

  console.log('\nafter:                                  answer     calling thread busy   longest stall')
  const line = (name: string, c: Cost) =>
    console.log(`  ${name.padEnd(36)} ${ms(c.answerMs)}   ${ms(c.busyMs)}            ${ms(c.longestStallMs)}`)
  line('first request after a journal change', cold)
  line('  the same, worker thread running', warm)
  for (const [name, cost] of served) line(name, cost)
  console.log(
    `\nworker: writes the report in ${ms(warm.answerMs).trim()} (thread running) / ${ms(cold.answerMs).trim()} (thread started first)`,
  )
  const most = (key: keyof Cost): number => Math.max(cold[key], warm[key], ...served.map(([, c]) => c[key]))
  console.log('\nper request, side by side (a download streams the stored file: the web bridge, never the contract)')
  const syncAnswer = median(syncWrites.map((c) => c.answerMs))
  printSideBySide(['before: written here', 'after: report worker'], 'after/before', [
    { label: 'calling thread busy, at most', values: [syncWrite, most('busyMs')], show: ms },
    { label: 'answer, first after a journal change', values: [syncAnswer, warm.answerMs], show: ms },
    { label: 'answer, the next ones', values: [syncAnswer, Math.max(...served.map(([, c]) => c.answerMs))], show: ms },
  ])
  await writer.settle()
}

main()
  .catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(() => rmSync(work, { recursive: true, force: true }))
