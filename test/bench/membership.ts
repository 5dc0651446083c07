/**
 * `npm run bench:sync` — lists that match the file, against the local Constant Contact (a benchmark,
 * not a test).
 *
 * Month 1: 1,000,000 contacts (two groups of about 500,000) prepared and uploaded to two lists.
 * Month 2: the same contacts with 5 % of the flags flipped, prepared; then, as the app does it:
 * the plan reads both lists (contact exports) and compares them with the file, the upload runs
 * (not measured here: see bench:upload), and the "move" step takes the flipped contacts off their
 * old list. The local Constant Contact runs in its own process (`splitsend simulator --speed
 * instant`), so what is measured is Splitsend, the 4-requests-a-second limit and the transfer.
 * Prints, side by side:
 *   - requests used vs the fewest the limits allow (per list one export, one status check, one file;
 *     per removal of ≤ 500 contacts one request and one status check), and 429 answers (target 0);
 *   - wall time of reading + comparing and of the removals vs the time the 4-a-second limit alone
 *     imposes on the fewest requests (target ≤ 1.2×);
 *   - memory: the process's resident size before, and its peak while the lists were read, compared
 *     and emptied (the comparison runs in a worker thread of this process) — it should not grow with
 *     the number of contacts (run with BENCH_ROWS=100000 to compare).
 * BENCH_ROWS changes the number of contacts, BENCH_FLIP the share flipped.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { createAccountService } from '../../electron/services/account/index'
import type { CcClient } from '../../electron/services/constant-contact/client'
import { CC_LIMITS } from '../../electron/services/constant-contact/limits'
import type { CcEvent } from '../../electron/services/constant-contact/transport'
import { compareLists, startMembership } from '../../electron/services/membership/index'
import { planUpload, startUpload } from '../../electron/services/upload/index'
import { memoryCredentials, playBrowser } from '../unit/constant-contact/helpers'
import { generateContactsCsv, prepareContacts } from './contacts-job'
import { startSimulatorProcess } from './simulator-process'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const FLIP = Number(process.env.BENCH_FLIP ?? 0.05)
const work = mkdtempSync(join(tmpdir(), 'splitsend-bench-sync-'))
const NAMES: [string, string] = ['Sync zero', 'Sync one']

async function prepare(month: 1 | 2): Promise<string> {
  const csv = join(work, `month-${month}.csv`)
  generateContactsCsv(csv, ROWS, month === 2 ? FLIP : 0)
  const dir = join(work, `job-${month}`)
  await prepareContacts(csv, dir)
  rmSync(csv)
  return dir
}

async function upload(client: CcClient, dir: string): Promise<void> {
  const plan = await planUpload(dir, client, {
    lists: { '0': { kind: 'name', name: NAMES[0] }, '1': { kind: 'name', name: NAMES[1] } },
    createLists: true,
    createCustomFields: false,
  })
  const result = await startUpload(dir, client, { plan }).done
  if (result.outcome !== 'all_added')
    throw new Error(`The upload ended ${result.outcome}: ${JSON.stringify(result.error)}`)
}

/** Samples the resident size every 100 ms until stopped; returns the peak. */
function memoryPeak(): { stop: () => number } {
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100)
  return {
    stop: () => {
      clearInterval(timer)
      return Math.max(peak, process.memoryUsage().rss)
    },
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
const mb = (bytes: number): string => `${Math.round(bytes / 1e6)} MB`
/** At most 4 requests start in any one second: n requests need at least ceil(n/4) − 1 seconds. */
const limitSeconds = (requests: number): number => Math.max(0, Math.ceil(requests / CC_LIMITS.requestsPerSecond) - 1)
const isStatusCheck = (e: { method: string; path: string }): boolean =>
  e.method === 'GET' && /\/activities\/[^/]+$/.test(e.path)

async function main(): Promise<void> {
  let t = Date.now()
  const month1 = await prepare(1)
  const month2 = await prepare(2)
  console.log(`Prepared two months of ${ROWS.toLocaleString('en-US')} rows in ${seconds(Date.now() - t)}`)

  const sim = await startSimulatorProcess()
  const events: Array<Extract<CcEvent, { type: 'response' }>> = []
  const account = createAccountService({
    credentials: memoryCredentials(),
    openBrowser: (url) => void playBrowser(url),
    onEvent: (e) => {
      if (e.type === 'response') events.push(e)
    },
  })
  try {
    const endpoint = { apiBase: sim.apiBase, authBase: sim.authBase }
    await account.saveApiKey('bench', endpoint)
    await account.connect({ mode: 'browser', endpoint })
    const client = await account.client()
    t = Date.now()
    await upload(client, month1)
    console.log(`Month 1 uploaded in ${seconds(Date.now() - t)}`)
    const lists = (await client.getLists({ limit: 1000 })).lists!
    const ids = NAMES.map((name) => lists.find((l) => l.name === name)!.list_id!) as [string, string]
    await sleep(1_200) // let earlier requests leave the rate window

    // The plan: read both lists, compare with month 2.
    const rssBefore = process.memoryUsage().rss
    let peak = memoryPeak()
    let from = events.length
    t = Date.now()
    const record = await compareLists(month2, client, {
      '0': { listId: ids[0], listName: NAMES[0] },
      '1': { listId: ids[1], listName: NAMES[1] },
    })
    const readMs = Date.now() - t
    const readRequests = events.slice(from)
    const readPeak = peak.stop()

    await upload(client, month2)
    await sleep(1_200)

    // The removals.
    peak = memoryPeak()
    from = events.length
    t = Date.now()
    const result = await startMembership(month2, client, {
      choice: {
        policy: 'move',
        lists: { '0': { listId: ids[0], listName: NAMES[0] }, '1': { listId: ids[1], listName: NAMES[1] } },
      },
    }).done
    const removeMs = Date.now() - t
    const removeRequests = events.slice(from)
    const removePeak = peak.stop()
    if (result.outcome !== 'done')
      throw new Error(`The removals ended ${result.outcome}: ${JSON.stringify(result.error)}`)

    const leavers = record.comparison.lists.map((l) => l.movedOut)
    const removals = leavers.reduce((n, c) => n + Math.ceil(c / CC_LIMITS.contactIdsPerMembershipActivity), 0)
    const minRead = 2 * 3 // per list: export, one status check, the file
    const minRemove = 2 * removals // per removal: the request and one status check
    const count = (list: typeof events, test: (e: (typeof events)[number]) => boolean) => list.filter(test).length
    const throttled = count([...readRequests, ...removeRequests], (e) => e.status === 429)
    const minMs = limitSeconds(minRead + minRemove) * 1000
    const totalMs = readMs + removeMs

    console.log(
      `\nMonth 2: ${leavers.map((n, i) => `${n.toLocaleString('en-US')} move out of “${NAMES[i]}”`).join(', ')} (simulator: instant, own process, ${sim.built ? 'built' : 'from sources'})`,
    )
    console.log(
      `  reading the lists: ${readRequests.length} requests (${count(readRequests, (e) => e.path.endsWith('/contact_exports'))} exports, ${count(readRequests, isStatusCheck)} status checks, ${count(readRequests, (e) => e.path.includes('/contact_exports/'))} files)   minimum: ${minRead}   ${seconds(readMs)} with the comparison (the limit alone: ${seconds(limitSeconds(minRead) * 1000)}; the rest is Constant Contact making the files and the comparison)`,
    )
    console.log(
      `  removals:          ${removeRequests.length} requests (${count(removeRequests, (e) => e.path.endsWith('/remove_list_memberships'))} removals, ${count(removeRequests, isStatusCheck)} status checks)   minimum: ${minRemove}   ${seconds(removeMs)} vs ${seconds(limitSeconds(minRemove) * 1000)} the limit imposes: ratio ${(removeMs / Math.max(1, limitSeconds(minRemove) * 1000)).toFixed(2)}×`,
    )
    console.log(
      `  requests:          ${readRequests.length + removeRequests.length} vs minimum ${minRead + minRemove}: ratio ${((readRequests.length + removeRequests.length) / (minRead + minRemove)).toFixed(2)}×   429 answers: ${throttled}`,
    )
    console.log(
      `  wall time:         ${seconds(totalMs)} vs ${seconds(minMs)} the 4/s limit imposes on the minimum requests: ratio ${(totalMs / Math.max(1, minMs)).toFixed(2)}× (target ≤ 1.2×)`,
    )
    console.log(
      `  memory (resident): ${mb(rssBefore)} before; peak ${mb(readPeak)} reading and comparing, ${mb(removePeak)} removing (+${mb(Math.max(readPeak, removePeak) - rssBefore)})`,
    )
  } finally {
    await account.close()
    sim.stop()
    if (process.env.BENCH_KEEP === '1') console.log(`  folders kept: ${work}`)
    else rmSync(work, { recursive: true, force: true })
  }
}

await main()
