/**
 * `npm run bench:practice-open` — opening the practice account's saved state, on the thread that
 * serves the person (as before) and in the practice account's own thread (as now), side by side
 * (a benchmark, not a test).
 *
 * Saves a practice account of BENCH_ROWS contacts (default 1,000,000, imported by the local Constant
 * Contact's own code), then opens it BENCH_REPEAT times each way (default 3, alternately): a local
 * Constant Contact started here (`startSimulator`), and the practice account's thread
 * (`startPracticeThread`, from the build: run `npm run build` first, as the script does). Prints
 * the medians of the time until it answers, the calling thread's busy time (event-loop
 * utilisation) and its longest stall (the longest gap between ticks of a 1 ms timer), with the ratio
 * after/before.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { startPracticeThread } from '../../electron/services/account/practice-thread'
import { ActivityEngine, SPEEDS } from '../../electron/services/cc-simulator/activities'
import { createClock } from '../../electron/services/cc-simulator/clock'
import { startSimulator } from '../../electron/services/cc-simulator/index'
import { seedData } from '../../electron/services/cc-simulator/seed'
import { writeStateFile } from '../../electron/services/cc-simulator/state-file'
import { SimStore } from '../../electron/services/cc-simulator/store'
import { BUILT_WORKERS_VARIABLE } from '../../electron/services/worker-entry'
import { median, printSideBySide } from './compare'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3)
const BUILT = join(import.meta.dirname, '..', '..', 'out', 'main')
const work = mkdtempSync(join(tmpdir(), 'splitsend-bench-practice-open-'))

/** A practice account after imports of `rows` contacts, saved in a folder of its own. */
function savedPractice(rows: number): string {
  const clock = createClock()
  const store = new SimStore(seedData('practice', clock.now()))
  const engine = new ActivityEngine(store, clock, SPEEDS.instant)
  const list = store.data.lists[0]!.list_id
  for (let start = 0; start < rows; start += 40_000) {
    const items = Array.from({ length: Math.min(40_000, rows - start) }, (_, i) => ({
      email: `person${start + i}@example${i % 97}.com`,
      first_name: ['Anna', 'Bruno', 'Chloé'][i % 3],
      city: 'Paris',
    }))
    engine.create('json_import', items, [list])
    while (engine.advance(10_000)) clock.advance(1_000)
    engine.advance()
  }
  const dataDir = join(work, 'practice')
  writeStateFile(dataDir, store.data, 1, (id) => store.contacts.placeOf(id))
  return dataDir
}

interface Opened {
  wallMs: number
  busyMs: number
  longestStallMs: number
}

/** Opens the account with `open`, watching this thread meanwhile, then closes it. */
async function measure(open: () => Promise<{ close(): Promise<void> }>): Promise<Opened> {
  let longest = 0
  let last = performance.now()
  const timer = setInterval(() => {
    const now = performance.now()
    longest = Math.max(longest, now - last)
    last = now
  }, 1)
  const elu = performance.eventLoopUtilization()
  const start = performance.now()
  const opened = await open()
  const wallMs = performance.now() - start
  const busy = performance.eventLoopUtilization(elu)
  clearInterval(timer)
  longest = Math.max(longest, performance.now() - last)
  await opened.close()
  return { wallMs, busyMs: busy.active, longestStallMs: longest }
}

async function main(): Promise<void> {
  if (!existsSync(join(BUILT, 'practice-worker.js')))
    throw new Error('Build first (npm run build): the practice thread is started from out/main.')
  process.env[BUILT_WORKERS_VARIABLE] ??= BUILT
  const dataDir = savedPractice(ROWS)
  const before: Opened[] = []
  const after: Opened[] = []
  for (let i = 0; i < REPEAT; i++) {
    before.push(await measure(() => startSimulator({ dataDir })))
    after.push(await measure(() => startPracticeThread({ options: { dataDir } }, () => {})))
  }
  const ms = (value: number): string => `${value.toFixed(0)} ms`
  const pick = (runs: Opened[], key: keyof Opened): number => median(runs.map((run) => run[key]))
  console.log(`\nOpening a practice account of ${ROWS.toLocaleString('en-US')} contacts; median of ${REPEAT}`)
  printSideBySide(['before: this thread', 'after: its own thread'], 'after/before', [
    { label: 'until it answers', values: [pick(before, 'wallMs'), pick(after, 'wallMs')], show: ms },
    { label: 'calling thread busy', values: [pick(before, 'busyMs'), pick(after, 'busyMs')], show: ms },
    { label: 'longest stall', values: [pick(before, 'longestStallMs'), pick(after, 'longestStallMs')], show: ms },
  ])
}

try {
  await main()
} finally {
  rmSync(work, { recursive: true, force: true })
}
