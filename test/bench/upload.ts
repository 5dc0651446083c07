/**
 * `npm run bench:upload` — the Upload engine against the local Constant Contact (a benchmark, not a test).
 *
 * Generates a 1,000,000-row contact CSV (two groups of about 500,000; email, flag, first/last name,
 * city), prepares it with the Prepare engine, then uploads both groups to a local Constant Contact
 * running in its own process (`splitsend simulator --speed instant`: activities finish as fast as it can import, so
 * what is measured is Splitsend, the 4-requests-a-second limit and the transfer). It uploads the same
 * job twice, to two pairs of new lists, side by side: first with the request bodies built on this
 * thread (`bodiesHere`, as before the body worker), then as the app does (in the body worker).
 * Prints, for each:
 *   - activities planned vs the minimum the limits allow (40,000 contacts and < 4 MB per activity);
 *   - requests made vs the minimum (list look-up and creation, one send and one status check per
 *     activity), and how many 429 answers came back (target 0);
 *   - wall time of the upload vs the time the 4 requests/second limit alone imposes on the minimum
 *     number of requests (target ≤ 1.2×), plus planning and report times;
 *   - this thread's busy time during the upload (event-loop utilisation: what the Electron main
 *     process or the web bridge could not spend answering the person) and its event-loop delay
 *     (perf_hooks.monitorEventLoopDelay: how late a timer or a click would be served);
 * side by side, before (bodies here) and after (body worker), the last column the ratio after/before.
 * BENCH_ROWS changes the row count.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { benchAccount, signInToSimulator } from './bench-account'
import type { CcClient } from '../../electron/services/constant-contact/client'
import { printSideBySide, showRatio } from './compare'
import type { CcEvent } from '../../electron/services/constant-contact/transport'
import { CC_LIMITS } from '../../electron/services/constant-contact/limits'
import { writeJobReport } from '../../electron/services/report/build'
import { stopBodyWorker } from '../../electron/services/upload/body-thread'
import { stopMeasureWorker } from '../../electron/services/upload/measure-thread'
import { planUpload } from '../../electron/services/upload/plan'
import { startUpload } from '../../electron/services/upload/run'
import { generateContactsCsv, prepareContacts } from './contacts-job'
import { startSimulatorProcess } from './simulator-process'
import { mainThreadCpuMs } from './thread-cpu'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const work = mkdtempSync(join(tmpdir(), 'splitsend-bench-upload-'))

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
const millis = (ms: number): string => `${ms.toFixed(0)} ms`
/** At most 4 requests start in any one second: n requests need at least ceil(n/4) − 1 seconds. */
const limitSeconds = (requests: number): number => Math.max(0, Math.ceil(requests / CC_LIMITS.requestsPerSecond) - 1)

interface Measured {
  label: string
  planMs: number
  runMs: number
  cpuMs: number
  requests: number
  posts: number
  polls: number
  throttled: number
  minRequests: number
  minActivities: number
  activities: string
  bodyMb: number
  contacts: number
  /** This thread's processor time during the upload (Linux; undefined elsewhere). */
  threadCpuMs: number | undefined
  /** This thread's busy time during the upload, and its share of the wall time. */
  busyMs: number
  utilization: number
  /** Event-loop delay (ms): median, 99th percentile, longest. */
  delay: { p50: number; p99: number; max: number }
}

/** Plans and runs one upload of `jobDir` to two new lists, measuring this thread while it runs. */
async function uploadOnce(
  label: string,
  jobDir: string,
  client: CcClient,
  events: CcEvent[],
  lists: [string, string],
  bodiesHere: boolean,
): Promise<Measured> {
  events.length = 0
  let t = Date.now()
  const plan = await planUpload(jobDir, client, {
    lists: { '0': { kind: 'name', name: lists[0] }, '1': { kind: 'name', name: lists[1] } },
    createLists: true,
    createCustomFields: false,
  })
  const planMs = Date.now() - t
  const planRequests = events.filter((e) => e.type === 'response').length
  // The person reads the plan before pressing Start: its requests have left the rate window by then.
  await sleep(1_200)

  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  const eluBefore = performance.eventLoopUtilization()
  t = Date.now()
  const cpuBefore = process.cpuUsage()
  const threadCpuBefore = mainThreadCpuMs()
  const result = await startUpload(jobDir, client, { plan }, { bodiesHere }).done
  const runMs = Date.now() - t
  const cpu = process.cpuUsage(cpuBefore)
  const threadCpuAfter = mainThreadCpuMs()
  const elu = performance.eventLoopUtilization(eluBefore)
  delay.disable()
  if (result.outcome !== 'all_added')
    throw new Error(`The upload ended ${result.outcome}: ${JSON.stringify(result.error)}`)
  const responses = events.filter((e): e is Extract<CcEvent, { type: 'response' }> => e.type === 'response')

  // The fewest activities the limits allow: per group, the larger of the contact and byte bounds.
  let minActivities = 0
  for (const g of plan.groups) {
    const activities = plan.activities.filter((a) => a.group === g.group)
    const fixed = Buffer.byteLength(JSON.stringify({ import_data: [], list_ids: [plan.sizing.listIds[g.group]] }))
    const contactBytes = activities.reduce((n, a) => n + a.bodyBytes - fixed, 0)
    minActivities += Math.max(
      Math.ceil(g.contacts / CC_LIMITS.importMaxContacts),
      Math.ceil(contactBytes / (CC_LIMITS.importMaxBytes - fixed)),
    )
  }
  const ms = (ns: number): number => ns / 1e6
  return {
    label,
    planMs,
    runMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    requests: responses.length - planRequests,
    posts: responses.filter((e) => e.method === 'POST' && e.path.endsWith('/contacts_json_import')).length,
    polls: responses.filter((e) => e.method === 'GET' && /\/activities\/[^/]+$/.test(e.path)).length,
    throttled: responses.filter((e) => e.status === 429).length,
    // Per new list one look-up and one creation, one send and one status check per activity.
    minRequests: 2 * plan.groups.length + 2 * minActivities,
    minActivities,
    activities: `${plan.activities.length} (${plan.groups.map((g) => g.activities).join(' + ')})`,
    bodyMb: plan.activities[0]!.bodyBytes / 1e6,
    contacts: plan.totals.contacts,
    threadCpuMs:
      threadCpuBefore === undefined || threadCpuAfter === undefined ? undefined : threadCpuAfter - threadCpuBefore,
    busyMs: elu.active,
    utilization: elu.utilization,
    delay: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
  }
}

function printUploads(before: Measured, after: Measured): void {
  const limitMs = limitSeconds(after.minRequests) * 1000
  const percent = (share: number): string => `${(share * 100).toFixed(1)} %`
  console.log(
    `\nUpload of ${after.contacts.toLocaleString('en-US')} contacts, twice side by side (simulator: instant, own process)`,
  )
  printSideBySide(['before: bodies here', 'after: body worker'], 'after/before', [
    {
      label: 'activities',
      values: [before.activities, after.activities],
      note: `minimum the limits allow: ${after.minActivities}`,
    },
    {
      label: 'requests during the run',
      values: [before.requests, after.requests],
      note: `minimum: ${after.minRequests}`,
    },
    {
      label: '  sends / status checks',
      values: [`${before.posts} / ${before.polls}`, `${after.posts} / ${after.polls}`],
    },
    { label: '429 answers', values: [before.throttled, after.throttled], note: 'target 0' },
    {
      label: 'wall time',
      values: [before.runMs, after.runMs],
      show: seconds,
      note: `the 4/s limit imposes ${seconds(limitMs)}: ratio ${showRatio(before.runMs, limitMs)} / ${showRatio(after.runMs, limitMs)} (target ≤ 1.2×)`,
    },
    { label: 'main thread CPU', values: [before.threadCpuMs, after.threadCpuMs], show: seconds },
    { label: 'main thread busy (loop not idle)', values: [before.busyMs, after.busyMs], show: seconds },
    { label: '  share of the wall time', values: [before.utilization, after.utilization], show: percent },
    { label: 'event-loop delay, median', values: [before.delay.p50, after.delay.p50], show: millis },
    { label: 'event-loop delay, 99th pct', values: [before.delay.p99, after.delay.p99], show: millis },
    { label: 'event-loop delay, longest', values: [before.delay.max, after.delay.max], show: millis },
    {
      label: 'CPU, all threads',
      values: [before.cpuMs, after.cpuMs],
      show: seconds,
      note: `bodies of ≈${after.bodyMb.toFixed(1)} MB`,
    },
    { label: 'planning (measure worker)', values: [before.planMs, after.planMs], show: seconds },
  ])
}

async function main(): Promise<void> {
  const csv = join(work, 'contacts.csv')
  const jobDir = join(work, 'job')
  let t = Date.now()
  generateContactsCsv(csv, ROWS)
  const summary = await prepareContacts(csv, jobDir)
  console.log(
    `Prepared ${ROWS.toLocaleString('en-US')} rows in ${seconds(Date.now() - t)}: group 0 ${summary.groups['0'].toLocaleString('en-US')}, group 1 ${summary.groups['1'].toLocaleString('en-US')}`,
  )
  // The same job twice: a job folder's journal belongs to one pair of lists.
  const beforeDir = join(work, 'job-before')
  cpSync(jobDir, beforeDir, { recursive: true })

  const sim = await startSimulatorProcess()
  const events: CcEvent[] = []
  const trace = process.env.BENCH_TRACE === '1'
  const t0 = Date.now()
  const account = benchAccount({
    onEvent: (e) => {
      events.push(e)
      // BENCH_TRACE=1: when each answer arrived and how long it took, to see where the time goes.
      if (trace && e.type === 'response')
        console.log(
          `  ${((Date.now() - t0) / 1000).toFixed(2).padStart(7)} s  ${String(e.ms).padStart(5)} ms  ${e.status} ${e.method} ${e.path}`,
        )
    },
  })
  try {
    await signInToSimulator(account, sim)
    const client = await account.client()
    // Let the sign-in's requests leave the rate window before measuring.
    await sleep(1_200)

    const before = await uploadOnce('bodies here', beforeDir, client, events, ['Before zero', 'Before one'], true)
    const after = await uploadOnce('body worker', jobDir, client, events, ['Bench zero', 'Bench one'], false)
    printUploads(before, after)

    t = Date.now()
    writeJobReport(jobDir)
    console.log(`  report (1 row per input row): ${seconds(Date.now() - t)}`)
  } finally {
    await account.close()
    await Promise.all([stopBodyWorker(), stopMeasureWorker()])
    sim.stop()
    // BENCH_KEEP=1 keeps the job folder (to profile the report, say).
    if (process.env.BENCH_KEEP === '1') console.log(`  job folder kept: ${join(work, 'job')}`)
    else rmSync(work, { recursive: true, force: true })
  }
}

await main()
