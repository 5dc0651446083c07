/**
 * `npm run bench:estimates` — how well Splitsend's estimates agree with what then happens (a
 * benchmark, not a test), on a generated 1,000,000-row file and the practice account's speed
 * (`splitsend simulator --speed realistic`, in its own process, as the practice account runs it).
 *
 * Prints, side by side with the truth:
 *   - the row count the Import step shows from the file's first rows (inspect), and the ones the
 *     full pass's progress gives as it reads, against the exact count;
 *   - the upload: the plan's duration, then the time left the progress shows every few seconds
 *     (as the finishing time it predicts), against the time the upload really took. The upload
 *     runs twice: the second plan can use what the first one measured.
 * BENCH_ROWS changes the row count.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { benchAccount, signInToSimulator } from './bench-account'
import type { CcClient } from '../../electron/services/constant-contact/client'
import { inspectSource } from '../../electron/services/prepare/inspect'
import { prepareJob } from '../../electron/services/prepare/pass'
import { createUploadRates, type AccountSpeed } from '../../electron/services/upload/rates'
import { planUpload } from '../../electron/services/upload/plan'
import { startUpload } from '../../electron/services/upload/run'
import { CONTACTS_MAPPING, generateContactsCsv } from './contacts-job'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const SPEED = process.env.BENCH_SPEED ?? 'realistic'
const work = mkdtempSync(join(tmpdir(), 'splitsend-bench-estimates-'))

function startSimulatorProcess(): Promise<{ apiBase: string; authBase: string; stop: () => void }> {
  const root = join(import.meta.dirname, '..', '..')
  const built = existsSync(join(root, 'out', 'main', 'cli.js'))
  const command = built
    ? [join(root, 'bin', 'splitsend.js')]
    : ['--import', 'tsx', join(root, 'test', 'unit', 'upload', 'cli-entry.ts')]
  const child = spawn(process.execPath, [...command, 'simulator', '--speed', SPEED, '--auto-approve', '--empty'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    child.on('error', reject)
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const api = /API:\s+(\S+)/.exec(out)?.[1]
      const auth = /Authorization server:\s+(\S+)/.exec(out)?.[1]
      if (api && auth) resolve({ apiBase: api, authBase: auth, stop: () => child.kill('SIGTERM') })
    })
  })
}

const n = (value: number): string => Math.round(value).toLocaleString('en-US')
const s = (seconds: number): string =>
  `${Math.floor(seconds / 60)} min ${String(Math.round(seconds % 60)).padStart(2)} s`
const off = (estimate: number, truth: number): string =>
  `${estimate >= truth ? '+' : ''}${(((estimate - truth) / truth) * 100).toFixed(0)} %`

async function rowEstimates(csv: string, jobDir: string): Promise<void> {
  const inspection = await inspectSource(csv)
  const seen: Array<{ fraction: number; rows: number }> = []
  const mapping = CONTACTS_MAPPING
  let next = 0.05
  const summary = await prepareJob(csv, { mapping, headerRow: 1, delimiter: ',', encoding: 'utf-8' }, jobDir, {
    onProgress(progress) {
      if (progress.phase !== 'reading' || progress.done / progress.total < next) return
      next += next < 0.2 ? 0.05 : 0.2
      seen.push({
        fraction: progress.done / progress.total,
        rows: progress.rowsDone * (progress.total / progress.done),
      })
    },
  })
  console.log(`\nRows: ${n(summary.rows)} in fact`)
  console.log(
    `  Import, from the first rows:  about ${n(inspection.estimatedRows ?? 0)}  (${off(inspection.estimatedRows ?? 0, summary.rows)})`,
  )
  for (const { fraction, rows } of seen)
    console.log(
      `  while reading, ${(fraction * 100).toFixed(0).padStart(3)} % read:   about ${n(rows)}  (${off(rows, summary.rows)})`,
    )
}

async function timedUpload(client: CcClient, jobDir: string, name: string, speed: AccountSpeed) {
  const plan = await planUpload(
    jobDir,
    client,
    {
      lists: { '0': { kind: 'name', name: `${name} zero` }, '1': { kind: 'name', name: `${name} one` } },
      createLists: true,
      createCustomFields: false,
    },
    { speed },
  )
  await new Promise((r) => setTimeout(r, 1_200))
  const started = Date.now()
  const samples: Array<{ at: number; fraction: number; eta?: number }> = []
  let last = 0
  const run = startUpload(
    jobDir,
    client,
    { plan },
    {
      speed,
      onProgress(progress) {
        const at = (Date.now() - started) / 1000
        if (at - last < 10 || progress.phase === 'finished') return
        last = at
        samples.push({
          at,
          fraction: progress.overall.fraction,
          ...(progress.overall.etaSeconds !== undefined ? { eta: progress.overall.etaSeconds } : {}),
        })
      },
    },
  )
  const result = await run.done
  const actual = (Date.now() - started) / 1000
  if (result.outcome !== 'all_added')
    throw new Error(`The upload ended ${result.outcome}: ${JSON.stringify(result.error)}`)
  console.log(
    `\nUpload "${name}" of ${n(plan.totals.contacts)} contacts in ${plan.totals.activities} imports: took ${s(actual)}`,
  )
  console.log(`  plan:                          ${s(plan.estimatedSeconds)}  (${off(plan.estimatedSeconds, actual)})`)
  for (const { at, fraction, eta } of samples) {
    if (eta === undefined) continue
    console.log(
      `  at ${s(at)} (${(fraction * 100).toFixed(0).padStart(3)} % done): ${s(eta).padStart(11)} left → ends at ${s(at + eta)}  (${off(at + eta, actual)})`,
    )
  }
}

async function main(): Promise<void> {
  const csv = join(work, 'contacts.csv')
  generateContactsCsv(csv, ROWS)
  await rowEstimates(csv, join(work, 'job'))

  const sim = await startSimulatorProcess()
  const account = benchAccount()
  // The practice account's measurements, starting from none (its starting guess).
  const speed = createUploadRates(join(work, 'upload-speeds.json')).forAccount('practice')
  try {
    await signInToSimulator(account, sim)
    const client = await account.client()
    await timedUpload(client, join(work, 'job'), 'First', speed)
    // The same file again, into new lists: the plan now knows this account's measured speed.
    await prepareJob(csv, { mapping: { emailColumn: 0, flagColumn: 1, fields: [] }, headerRow: 1 }, join(work, 'job2'))
    await timedUpload(client, join(work, 'job2'), 'Second', speed)
  } finally {
    await account.close()
    sim.stop()
    rmSync(work, { recursive: true, force: true })
  }
}

await main()
