/**
 * `npm run bench:sync` — lists that match the file, against the local Constant Contact (a benchmark,
 * not a test).
 *
 * Month 1: 1,000,000 contacts (two groups of about 500,000) prepared and uploaded to two lists.
 * Month 2: the same contacts with 5 % of the flags flipped, prepared; then, as the app does it:
 * the plan reads both lists (contact exports) and compares them with the file, the upload runs
 * (not measured here: see bench:upload), and the "move" step takes the flipped contacts off their
 * old list. Three processes: this one (preparing, uploading), the local Constant Contact
 * (`splitsend simulator --speed instant`), and, for each measured phase, a fresh one that does only
 * that phase (membership-phase.ts) — so the memory and processor figures are Splitsend's alone.
 * The reading is measured twice: as the app does it (each export read as it downloads), and with
 * each export read only once downloaded (as before); BENCH_ORDER=before swaps the two.
 * Prints, side by side:
 *   - requests used vs the fewest the limits allow (per list one export, one status check, one file;
 *     per removal of ≤ 500 contacts one request and one status check), and 429 answers (target 0);
 *   - the removals' wall time vs the time the 4-a-second limit alone imposes on the fewest requests
 *     (target ≤ 1.2×), and the whole (reading + removals) against the same floor;
 *   - reading the lists split into Constant Contact's part (the export activities and sending the
 *     files, which its limits don't govern and the real service's speed for is not documented) and
 *     Splitsend's own (the comparison after the last file arrived), with each process's processor time;
 *   - memory: the measuring process's resident size at the start of a phase and its peak during it;
 *     it should not grow with the number of contacts (run with BENCH_ROWS=100000 to compare);
 *   - the two readings in a table (wall time, when the files arrived, the comparison after the last
 *     one, processor time, memory growth, the whole with the removals), the ratio now/before.
 * BENCH_ROWS changes the number of contacts, BENCH_FLIP the share flipped; BENCH_VERBOSE=1 lists the reading's requests. The machine's load
 * (`uptime`) is printed with the figures: on a shared machine the wall times move with it.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { benchAccount, signInToSimulator } from './bench-account'
import { printSideBySide, showRatio } from './compare'
import type { CcClient } from '../../electron/services/constant-contact/client'
import { CC_LIMITS } from '../../electron/services/constant-contact/limits'
import { planUpload, startUpload } from '../../electron/services/upload/index'
import { generateContactsCsv, prepareContacts } from './contacts-job'
import type { PhaseFigures } from './membership-phase'
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

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`
/** At most 4 requests start in any one second: n requests need at least ceil(n/4) − 1 seconds. */
const limitSeconds = (requests: number): number => Math.max(0, Math.ceil(requests / CC_LIMITS.requestsPerSecond) - 1)
type Request = PhaseFigures['requests'][number]
const isStatusCheck = (e: Request): boolean => e.method === 'GET' && /\/activities\/[^/]+$/.test(e.path)
const count = (list: Request[], test: (e: Request) => boolean): number => list.filter(test).length
const load = (): string =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(', ')

/** Runs one measured phase in a fresh process (membership-phase.ts) and reads its figures. */
function phase(
  name: 'read' | 'read-after-download' | 'remove',
  sim: { pid: number; apiBase: string; authBase: string },
  dir: string,
  ids: [string, string],
): PhaseFigures {
  const script = join(import.meta.dirname, 'membership-phase.ts')
  const args = ['--import', 'tsx', script, name, String(sim.pid), sim.apiBase, sim.authBase, dir, ...ids]
  const output = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 })
  return JSON.parse(output.trim().split('\n').at(-1)!) as PhaseFigures
}

async function main(): Promise<void> {
  let t = Date.now()
  const month1 = await prepare(1)
  const month2 = await prepare(2)
  console.log(`Prepared two months of ${ROWS.toLocaleString('en-US')} rows in ${seconds(Date.now() - t)}`)

  const sim = await startSimulatorProcess()
  const account = benchAccount()
  try {
    await signInToSimulator(account, sim)
    const client = await account.client()
    t = Date.now()
    await upload(client, month1)
    console.log(`Month 1 uploaded in ${seconds(Date.now() - t)}`)
    const lists = (await client.getLists({ limit: 1000 })).lists!
    const ids = NAMES.map((name) => lists.find((l) => l.name === name)!.list_id!) as [string, string]
    await sleep(1_200) // let earlier requests leave the rate window

    // The plan: read both lists, compare with month 2 (in a process of its own), as the app does it
    // (each export read as it downloads) and as before (read once downloaded); BENCH_ORDER=before
    // measures the old way first (the second reading meets a local Constant Contact that has just
    // made two exports).
    const reading = async (way: 'read' | 'read-after-download'): Promise<[PhaseFigures, string]> => {
      const loadNow = load()
      const figures = phase(way, sim, month2, ids)
      await sleep(5_000) // the local Constant Contact saves its state after the exports: not during the next reading
      return [figures, loadNow]
    }
    const beforeFirst = process.env.BENCH_ORDER === 'before'
    const first = await reading(beforeFirst ? 'read-after-download' : 'read')
    const second = await reading(beforeFirst ? 'read' : 'read-after-download')
    const [[read, loadRead], [before, loadBefore]] = beforeFirst ? [second, first] : [first, second]
    await upload(client, month2)
    await sleep(1_200)
    // The removals (in a process of its own; the plan's comparison is used again, as in the app).
    const loadRemove = load()
    const remove = phase('remove', sim, month2, ids)
    if (remove.outcome !== 'done') throw new Error(`The removals ended ${remove.outcome}`)
    report(read, remove, sim.built, [loadRead, loadRemove])
    compareReadings(before, read, remove, [loadBefore, loadRead])
  } finally {
    await account.close()
    await sim.stop()
    if (process.env.BENCH_KEEP === '1') console.log(`  folders kept: ${work}`)
    else rmSync(work, { recursive: true, force: true })
  }
}

/** The two readings side by side: each export read once downloaded (before) and as it downloads (now), each with the same removals. */
function compareReadings(before: PhaseFigures, now: PhaseFigures, remove: PhaseFigures, loads: [string, string]): void {
  const floor = limitSeconds(minimumRequests(now).all) * 1000
  const saved = (read: PhaseFigures): number => read.marks.filesSaved ?? read.ms
  const withRemovals = (read: PhaseFigures): number => read.ms + remove.ms
  console.log('\n  The reading, side by side:')
  printSideBySide(['before: read once downloaded', 'now: read as it downloads'], 'now/before', [
    { label: 'load (1, 5, 15 min)', values: loads },
    { label: 'reading, in all', values: [before.ms, now.ms], show: seconds },
    { label: 'files received by', values: [saved(before), saved(now)], show: seconds },
    {
      label: 'comparing after the last file arrived',
      values: [before.ms - saved(before), now.ms - saved(now)],
      show: seconds,
    },
    { label: 'processor time', values: [before.cpuMs, now.cpuMs], show: seconds },
    {
      label: 'memory, peak growth',
      values: [before.peakRssMb - before.rssStartMb, now.peakRssMb - now.rssStartMb],
      show: (mb) => `+${mb} MB`,
    },
    {
      label: 'wall time with the same removals',
      values: [withRemovals(before), withRemovals(now)],
      show: seconds,
      note: `the 4/s limit imposes ${seconds(floor)}: ratio ${showRatio(withRemovals(before), floor)} / ${showRatio(withRemovals(now), floor)}`,
    },
  ])
}

/** The fewest requests: per list an export, one status check and the file; per removal the request and one status check. */
function minimumRequests(read: PhaseFigures): { read: number; remove: number; all: number } {
  const removals = read.movedOut!.reduce((n, c) => n + Math.ceil(c / CC_LIMITS.contactIdsPerMembershipActivity), 0)
  return { read: 2 * 3, remove: 2 * removals, all: 2 * 3 + 2 * removals }
}

function report(read: PhaseFigures, remove: PhaseFigures, built: boolean, loads: [string, string]): void {
  const leavers = read.movedOut!
  const { read: minRead, remove: minRemove } = minimumRequests(read)
  const all = [...read.requests, ...remove.requests]
  const removeFloor = limitSeconds(minRemove) * 1000
  const floor = limitSeconds(minRead + minRemove) * 1000
  const exported = Math.max(read.marks.exported0 ?? 0, read.marks.exported1 ?? 0)
  const saved = read.marks.filesSaved ?? read.ms
  const fileRequests = read.requests.filter((e) => e.path.includes('/contact_exports/'))
  const lines = [
    `\nMonth 2: ${leavers.map((n, i) => `${n.toLocaleString('en-US')} move out of “${NAMES[i]}”`).join(', ')} (simulator: instant, own process, ${built ? 'built' : 'from sources'})`,
    `  reading the lists: ${read.requests.length} requests (${count(read.requests, (e) => e.path.endsWith('/contact_exports'))} exports, ${count(read.requests, isStatusCheck)} status checks, ${fileRequests.length} files)   minimum: ${minRead}   ${seconds(read.ms)} in all   (load ${loads[0]})`,
    `    Constant Contact's part: exports completed at ${seconds(exported)}, files received by ${seconds(saved)} (the limit alone: ${seconds(limitSeconds(minRead) * 1000)}); its processor time ${seconds(read.simCpuMs)}`,
    `    Splitsend's own:         ${seconds(read.ms - saved)} comparing after the last file arrived; processor time ${seconds(read.cpuMs)} for the whole phase (the groups partitioned while the exports ran)`,
    `  removals:          ${remove.requests.length} requests (${count(remove.requests, (e) => e.path.endsWith('/remove_list_memberships'))} removals, ${count(remove.requests, isStatusCheck)} status checks)   minimum: ${minRemove}   ${seconds(remove.ms)} vs ${seconds(removeFloor)} the limit imposes: ratio ${showRatio(remove.ms, removeFloor)} (target ≤ 1.2×); processor time ${seconds(remove.cpuMs)}, Constant Contact's ${seconds(remove.simCpuMs)}   (load ${loads[1]})`,
    `  requests:          ${all.length} vs minimum ${minRead + minRemove}: ratio ${showRatio(all.length, minRead + minRemove)}   429 answers: ${count(all, (e) => e.status === 429)}`,
    `  wall time:         ${seconds(read.ms + remove.ms)} vs ${seconds(floor)} the 4/s limit imposes on the minimum requests: ratio ${showRatio(read.ms + remove.ms, floor)}; without Constant Contact's making and sending of the files: ${seconds(read.ms - saved + remove.ms)}, ratio ${showRatio(read.ms - saved + remove.ms, floor)} (target ≤ 1.2×)`,
    `  memory (resident, the measuring process alone): reading and comparing ${read.rssStartMb} MB at the start, peak ${read.peakRssMb} MB (+${read.peakRssMb - read.rssStartMb} MB); removing ${remove.rssStartMb} MB, peak ${remove.peakRssMb} MB (+${remove.peakRssMb - remove.rssStartMb} MB)`,
  ]
  console.log(lines.join('\n'))
  if (process.env.BENCH_VERBOSE === '1')
    for (const e of read.requests) console.log(`    ${seconds(e.at)} ${e.method} ${e.path} → ${e.status} (${e.ms} ms)`)
}

await main()
