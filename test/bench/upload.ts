/**
 * `npm run bench:upload` — the Upload engine against the local Constant Contact (a benchmark, not a test).
 *
 * Generates a 1,000,000-row contact CSV (two groups of about 500,000; email, flag, first/last name,
 * city), prepares it with the Prepare engine, then uploads both groups to a local Constant Contact
 * running in its own process (`splitsend simulator --speed instant`: activities finish as fast as it can import, so
 * what is measured is Splitsend, the 4-requests-a-second limit and the transfer). Prints:
 *   - activities planned vs the minimum the limits allow (40,000 contacts and < 4 MB per activity);
 *   - requests made vs the minimum (list look-up and creation, one send and one status check per
 *     activity), and how many 429 answers came back (target 0);
 *   - wall time of the upload vs the time the 4 requests/second limit alone imposes on the minimum
 *     number of requests (target ≤ 1.2×), plus planning and report times.
 * BENCH_ROWS changes the row count.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { createAccountService } from '../../electron/services/account/index'
import type { CcEvent } from '../../electron/services/constant-contact/transport'
import { CC_LIMITS } from '../../electron/services/constant-contact/limits'
import { writeJobReport } from '../../electron/services/report/build'
import { planUpload } from '../../electron/services/upload/plan'
import { startUpload } from '../../electron/services/upload/run'
import { memoryCredentials, playBrowser } from '../unit/constant-contact/helpers'
import { generateContactsCsv, prepareContacts } from './contacts-job'
import { startSimulatorProcess } from './simulator-process'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const work = mkdtempSync(join(tmpdir(), 'splitsend-bench-upload-'))

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
/** At most 4 requests start in any one second: n requests need at least ceil(n/4) − 1 seconds. */
const limitSeconds = (requests: number): number => Math.max(0, Math.ceil(requests / CC_LIMITS.requestsPerSecond) - 1)

async function main(): Promise<void> {
  const csv = join(work, 'contacts.csv')
  const jobDir = join(work, 'job')
  let t = Date.now()
  generateContactsCsv(csv, ROWS)
  const summary = await prepareContacts(csv, jobDir)
  console.log(
    `Prepared ${ROWS.toLocaleString('en-US')} rows in ${seconds(Date.now() - t)}: group 0 ${summary.groups['0'].toLocaleString('en-US')}, group 1 ${summary.groups['1'].toLocaleString('en-US')}`,
  )

  const sim = await startSimulatorProcess()
  const events: CcEvent[] = []
  const trace = process.env.BENCH_TRACE === '1'
  const t0 = Date.now()
  const account = createAccountService({
    credentials: memoryCredentials(),
    openBrowser: (url) => void playBrowser(url),
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
    const endpoint = { apiBase: sim.apiBase, authBase: sim.authBase }
    await account.saveApiKey('bench', endpoint)
    await account.connect({ mode: 'browser', endpoint })
    const client = await account.client()
    // Let the sign-in's requests leave the rate window before measuring.
    await sleep(1_200)
    events.length = 0

    t = Date.now()
    const plan = await planUpload(jobDir, client, {
      lists: { '0': { kind: 'name', name: 'Bench zero' }, '1': { kind: 'name', name: 'Bench one' } },
      createLists: true,
      createCustomFields: false,
    })
    const planMs = Date.now() - t
    const planRequests = events.filter((e) => e.type === 'response').length
    // The person reads the plan before pressing Start: its requests have left the rate window by then.
    await sleep(1_200)

    t = Date.now()
    const cpuBefore = process.cpuUsage()
    const result = await startUpload(jobDir, client, { plan }).done
    const runMs = Date.now() - t
    const cpu = process.cpuUsage(cpuBefore)
    if (result.outcome !== 'all_added')
      throw new Error(`The upload ended ${result.outcome}: ${JSON.stringify(result.error)}`)
    const responses = events.filter((e): e is Extract<CcEvent, { type: 'response' }> => e.type === 'response')
    const runRequests = responses.length - planRequests
    const throttled = responses.filter((e) => e.status === 429).length

    t = Date.now()
    writeJobReport(jobDir)
    const reportMs = Date.now() - t

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
    const perGroup = plan.groups.map((g) => `${g.activities}`).join(' + ')
    const posts = responses.filter((e) => e.method === 'POST' && e.path.endsWith('/contacts_json_import')).length
    const polls = responses.filter((e) => e.method === 'GET' && /\/activities\/[^/]+$/.test(e.path)).length
    // Minimum for the run: per new list one look-up and one creation, one send and one status check per activity.
    const minRunRequests = 2 * plan.groups.length + 2 * minActivities
    const limitMs = limitSeconds(minRunRequests) * 1000

    console.log(
      `\nUpload of ${plan.totals.contacts.toLocaleString('en-US')} contacts (simulator: instant, own process, ${sim.built ? 'built' : 'from sources'})`,
    )
    console.log(`  activities:  ${plan.activities.length} (${perGroup})   minimum the limits allow: ${minActivities}`)
    console.log(
      `  requests:    ${runRequests} during the run (${posts} sends, ${polls} status checks, ${runRequests - posts - polls} list/field)   minimum: ${minRunRequests}   (+ ${planRequests} for the plan)`,
    )
    console.log(`  429 answers: ${throttled}`)
    console.log(
      `  wall time:   ${seconds(runMs)}   time the 4/s limit imposes on the minimum requests: ${seconds(limitMs)}   ratio ${(runMs / Math.max(1, limitMs)).toFixed(2)}× (target ≤ 1.2×)`,
    )
    const simMs = responses.slice(planRequests).reduce((sum, e) => sum + e.ms, 0)
    console.log(
      `  where it went: the simulator took ${seconds(simMs)} in all to answer (it imports between answers, on its own core),`,
    )
    console.log(
      `                 Splitsend used ${seconds((cpu.user + cpu.system) / 1000)} of CPU (reading, building and sending ${plan.activities.length} bodies of ≈${(plan.activities[0]!.bodyBytes / 1e6).toFixed(1)} MB)`,
    )
    console.log(`  planning:    ${seconds(planMs)}   report (1 row per input row): ${seconds(reportMs)}`)
  } finally {
    await account.close()
    sim.stop()
    // BENCH_KEEP=1 keeps the job folder (to profile the report, say).
    if (process.env.BENCH_KEEP === '1') console.log(`  job folder kept: ${join(work, 'job')}`)
    else rmSync(work, { recursive: true, force: true })
  }
}

await main()
