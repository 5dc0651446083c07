/**
 * `npm run bench:added` — the upload's check of which contacts an import added, when Constant
 * Contact's counts say some weren't and its error lines don't say which (a benchmark, not a test).
 *
 * Prepares BENCH_ROWS contacts (default 200,000: about 100,000 in group 0), uploads group 0 to a new
 * list on the local Constant Contact (its own process, `--speed instant`), then checks one import of
 * 40,000 of them against the list, twice side by side:
 *   before: the list's active members paged through GET /contacts (500 a page) into a set of
 *           addresses on this thread, the import's addresses fetched from the body worker;
 *   after:  as the run does it now, one export of the list's active members read in the body
 *           worker against the group file (electron/services/upload/added-check.ts).
 * Prints for each: requests, wall time, this thread's processor time and busy time (what the
 * Electron main process could not spend answering the person), and the growth of this thread's
 * heap at its peak, side by side with the ratio after/before. Both must find the same contacts (all
 * of them on the list here).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { getHeapStatistics } from 'node:v8'
import { benchAccount, signInToSimulator } from './bench-account'
import { printSideBySide } from './compare'
import type { CcClient } from '../../electron/services/constant-contact/client'
import type { CcEvent } from '../../electron/services/constant-contact/transport'
import { exportListNow } from '../../electron/services/membership/export-list'
import type { RecordRun } from '../../electron/services/upload/added-check'
import { bodiesInWorker, stopBodyWorker } from '../../electron/services/upload/body-thread'
import { readJournal } from '../../electron/services/upload/journal'
import { replayJournal } from '../../electron/services/upload/journal-state'
import { planUpload, startUpload } from '../../electron/services/upload/index'
import { stopMeasureWorker } from '../../electron/services/upload/measure-thread'
import { encodeRecordSet } from '../../electron/services/upload/record-set'
import { generateContactsCsv, prepareContacts } from './contacts-job'
import { startSimulatorProcess } from './simulator-process'
import { mainThreadCpuMs } from './thread-cpu'

const ROWS = Number(process.env.BENCH_ROWS ?? 200_000)
const work = mkdtempSync(join(tmpdir(), 'splitsend-bench-added-'))

interface Measured {
  bitmap: string
  requests: number
  wallMs: number
  threadCpuMs: number | undefined
  busyMs: number
  heapPeakMb: number
}

/** Runs `check`, measuring this thread meanwhile (its heap sampled every 5 ms while it can be). */
async function measure(events: CcEvent[], check: () => Promise<string>): Promise<Measured> {
  events.length = 0
  const heapBase = getHeapStatistics().used_heap_size
  let heapPeak = heapBase
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, getHeapStatistics().used_heap_size)), 5)
  const elu = performance.eventLoopUtilization()
  const cpu = mainThreadCpuMs()
  const start = performance.now()
  const bitmap = await check()
  const wallMs = performance.now() - start
  const cpuAfter = mainThreadCpuMs()
  const busy = performance.eventLoopUtilization(elu)
  clearInterval(sampler)
  return {
    bitmap,
    requests: events.filter((e) => e.type === 'response').length,
    wallMs,
    threadCpuMs: cpu === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpu,
    busyMs: busy.active,
    heapPeakMb: (heapPeak - heapBase) / 1e6,
  }
}

/** The check as it was: every active member's address in a set on this thread. */
async function pagedHere(client: CcClient, jobDir: string, listId: string, run: RecordRun): Promise<string> {
  const members = new Set<string>()
  let page = await client.getContacts({ lists: listId, status: 'active', limit: 500 })
  for (;;) {
    for (const c of page.contacts ?? [])
      if (c.email_address?.address) members.add(c.email_address.address.toLowerCase())
    const next = page._links?.next?.href
    if (!next) break
    page = await client.getContacts({ next })
  }
  const emails = await bodiesInWorker({ jobDir, fieldNames: {} }).emails('0', run.first, run.count)
  return encodeRecordSet(
    emails.flatMap((email, i) => (members.has(email) ? [] : [i])),
    run.count,
  )
}

/** The check as the run does it now: an export read in the body worker. */
async function exportedInWorker(client: CcClient, jobDir: string, listId: string, run: RecordRun): Promise<string> {
  const path = join(work, 'added-check.csv')
  await exportListNow(client, { listId, fields: ['email_address', 'email_permission'], status: 'active' }, path)
  const [bitmap] = await bodiesInWorker({ jobDir, fieldNames: {} }).notActiveMembers('0', [run], path, 'Checked')
  return bitmap!
}

async function main(): Promise<void> {
  const csv = join(work, 'contacts.csv')
  const jobDir = join(work, 'job')
  generateContactsCsv(csv, ROWS)
  const summary = await prepareContacts(csv, jobDir)
  const sim = await startSimulatorProcess()
  const events: CcEvent[] = []
  const account = benchAccount({ onEvent: (e) => events.push(e) })
  try {
    await signInToSimulator(account, sim)
    const client = await account.client()
    const plan = await planUpload(jobDir, client, {
      lists: { '0': { kind: 'name', name: 'Checked' }, '1': { kind: 'skip' } },
      createLists: true,
      createCustomFields: false,
    })
    const uploaded = await startUpload(jobDir, client, { plan }).done
    if (uploaded.outcome !== 'all_added') throw new Error(`The upload ended ${uploaded.outcome}`)
    const listId = replayJournal(readJournal(jobDir)!).lists['0']!.listId
    const members = summary.groups['0']
    const run = { first: 0, count: Math.min(40_000, members) }
    // The upload's requests leave the rate window first.
    await sleep(1_200)
    const before = await measure(events, () => pagedHere(client, jobDir, listId, run))
    await sleep(1_200)
    const after = await measure(events, () => exportedInWorker(client, jobDir, listId, run))
    if (before.bitmap !== after.bitmap) throw new Error('The two checks found different contacts')

    const ms = (v: number): string => `${v.toFixed(0)} ms`
    console.log(
      `\nWhich of ${run.count.toLocaleString('en-US')} contacts of one import are on a list of ${members.toLocaleString('en-US')} active members (simulator: instant, own process)`,
    )
    printSideBySide(['before: GET /contacts', 'after: export+worker'], 'after/before', [
      { label: 'requests', values: [before.requests, after.requests] },
      { label: 'wall time', values: [before.wallMs, after.wallMs], show: ms },
      { label: 'main thread CPU', values: [before.threadCpuMs, after.threadCpuMs], show: ms },
      { label: 'main thread busy (loop not idle)', values: [before.busyMs, after.busyMs], show: ms },
      {
        label: 'main thread heap growth, peak',
        values: [before.heapPeakMb, after.heapPeakMb],
        show: (mb) => `${mb.toFixed(1)} MB`,
      },
    ])
  } finally {
    await account.close()
    await Promise.all([stopBodyWorker(), stopMeasureWorker()])
    await sim.stop()
    rmSync(work, { recursive: true, force: true })
  }
}

await main()
