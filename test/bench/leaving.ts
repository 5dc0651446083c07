/**
 * What a removal run's reading of its leaving files costs the thread that serves the person (the
 * Electron main process, the web bridge): every removal's 500 contacts read from a leaving file of
 * BENCH_ROWS contacts (default 250,000; try 1000000), front to back as a run sends them.
 *
 *   before: LeavingFiles on the calling thread;  after: leavingInWorker (the leaving worker).
 *
 * Prints, side by side with the ratio after/before (median of 3 each): the time until all is read,
 * "busy" (event-loop utilisation of the calling thread over the whole read) and "longest stall" (the
 * longest time it could not answer anything, monitorEventLoopDelay), beside the longest stall of the
 * calling thread idle for a second (the machine's own). Run: `npm run bench:leaving`.
 */
import { mkdtempSync, rmSync, createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { LeavingFiles, planBatches } from '../../electron/services/membership/batches'
import type { ComparisonRecord } from '../../electron/services/membership/compare'
import { LEAVING_HEADER, MEMBERSHIP_FILES, membershipDir } from '../../electron/services/membership/files'
import { movedOffListZero } from '../unit/membership/helpers'
import { median, printSideBySide } from './compare'
import {
  leavingInWorker,
  stopLeavingWorker,
  type LeavingReader,
} from '../../electron/services/membership/leaving-thread'

const ROWS = Number(process.env.BENCH_ROWS ?? 250_000)
const REPEAT = 3

async function writeLeaving(dir: string): Promise<string> {
  membershipDir(dir)
  const name = MEMBERSHIP_FILES.leaving('0', 'moved')
  const out = createWriteStream(join(dir, name))
  out.write(`${LEAVING_HEADER.join(',')}\r\n`)
  for (let i = 0; i < ROWS; i++) {
    const line = `${crypto.randomUUID()},person${i}@example.com,"Last${i}, First${i}"\r\n`
    if (!out.write(line)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  return name
}

interface Cost {
  answerMs: number
  busyMs: number
  longestStallMs: number
}

/** The calling thread doing nothing for a second: the stalls the machine's load causes by itself. */
async function idle(): Promise<number> {
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  await sleep(1_000)
  delay.disable()
  return delay.max / 1e6
}

async function measure(reader: LeavingReader, record: ComparisonRecord): Promise<Cost> {
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  const before = performance.eventLoopUtilization()
  const start = performance.now()
  let contacts = 0
  for (const batch of planBatches(record, 'move', 1)) contacts += (await reader.contactIdsOf(batch)).length
  const answerMs = performance.now() - start
  await reader.close()
  await sleep(20)
  delay.disable()
  if (contacts !== ROWS) throw new Error(`read ${contacts} of ${ROWS}`)
  return { answerMs, busyMs: performance.eventLoopUtilization(before).active, longestStallMs: delay.max / 1e6 }
}

const ms = (value: number): string => `${Math.round(value).toLocaleString('en-US')} ms`
const medianOf = (costs: Cost[], key: keyof Cost): number => median(costs.map((c) => c[key]))

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'splitsend-bench-leaving-'))
  try {
    const name = await writeLeaving(dir)
    const record = movedOffListZero(name, ROWS)
    await measure(leavingInWorker(dir), record) // the worker started, as after a run's first removal
    const sides = { before: [] as Cost[], after: [] as Cost[] }
    const idleStalls: number[] = []
    for (let i = 0; i < REPEAT; i++) {
      idleStalls.push(await idle())
      sides.before.push(await measure(new LeavingFiles(dir), record))
      sides.after.push(await measure(leavingInWorker(dir), record))
    }
    console.log(
      `${ROWS.toLocaleString('en-US')} contacts leaving, ${Math.ceil(ROWS / 500)} removals; median of ${REPEAT}`,
    )
    const { before, after } = sides
    printSideBySide(['before: this thread', 'after: worker'], 'after/before', [
      { label: 'all read', values: [medianOf(before, 'answerMs'), medianOf(after, 'answerMs')], show: ms },
      { label: 'calling thread busy', values: [medianOf(before, 'busyMs'), medianOf(after, 'busyMs')], show: ms },
      {
        label: 'longest stall',
        values: [medianOf(before, 'longestStallMs'), medianOf(after, 'longestStallMs')],
        show: ms,
        note: `idle (1 s of nothing): ${ms(median(idleStalls))}`,
      },
    ])
  } finally {
    await stopLeavingWorker()
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
