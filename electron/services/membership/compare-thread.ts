import type { Worker } from 'node:worker_threads'
import type { ContractErrorData } from '../../../shared/errors'
import type { GroupKey } from '../../../shared/ids'
import { errorFrom } from '../kept-worker'
import { startWorker } from '../worker-entry'
import { Comparison, type BucketPlace, type ComparisonRecord, type ComparisonStart, type ExportFile } from './compare'
import type { ExportSink } from './export-list'

/** A comparison under way: the exports go in as they download or arrive, the record comes out at the end. */
export interface ComparisonJob {
  /** Where a list's export goes as it downloads (then `addExport` names the file it was saved to). */
  exportSink(group: GroupKey): ExportSink
  addExport(group: GroupKey, file: ExportFile): void
  finish(): Promise<ComparisonRecord>
  /** Abandons it (its temporary files are removed). */
  cancel(): void
}

/**
 * Bytes of a download sent to its worker and not yet partitioned, at most: past it the download
 * waits (the connection is not read meanwhile), so a reader slower than the network never holds a
 * whole export in memory.
 */
const MAX_BYTES_IN_TRANSIT = 4 << 20
const WORKER_NAME = 'membership-compare-worker'
const WORKER_SOURCE = 'electron/services/membership/compare-worker.ts'

type FromWorker =
  | { type: 'ready'; buckets: BucketPlace }
  | { type: 'taken'; bytes: number }
  | { type: 'partitioned' }
  | { type: 'done'; record: ComparisonRecord }
  | { type: 'error'; error: ContractErrorData; detail?: string }

/** Settles once: the first of its outcomes wins, and the worker is stopped. */
function onceSettled(worker: Promise<Worker>): (action: () => void) => void {
  let settled = false
  return (action) => {
    if (settled) return
    settled = true
    void worker.then(
      (w) => w.terminate(),
      () => undefined,
    )
    action()
  }
}

/** A worker's failure and unexpected end, as a rejection. */
function watchFailures(worker: Worker, fail: (error: unknown) => void): void {
  worker.on('message', (message: FromWorker) => {
    if (message.type === 'error') fail(errorFrom(message.error, message.detail))
  })
  worker.on('error', fail)
  worker.on('exit', (code) => fail(new Error(`The membership comparison stopped unexpectedly (exit code ${code})`)))
}

/**
 * One list's export partitioned in a worker of its own as it downloads, so that the two exports
 * (and the file's groups) are read side by side. Started once the comparison's worker said where
 * the buckets are.
 */
class PartitionThread {
  readonly done: Promise<void>
  ended = false
  private readonly worker: Promise<Worker>
  private inTransit = 0
  private waiting: Array<() => void> = []
  private gone = false

  constructor(
    buckets: Promise<BucketPlace>,
    readonly source: string,
    listName: string,
    group: GroupKey,
    private readonly maxBytesInTransit: number,
  ) {
    this.worker = buckets.then((place) =>
      startWorker(WORKER_NAME, WORKER_SOURCE, {
        workerData: { partition: { place, source, listName, group } },
        resourceLimits: { maxOldGenerationSizeMb: 256 },
      }),
    )
    const settle = onceSettled(this.worker)
    this.done = new Promise<void>((resolve, reject) => {
      const fail = (error: unknown): void => settle(() => reject(error))
      this.worker.then((worker) => {
        watchFailures(worker, fail)
        worker.on('message', (message: FromWorker) => {
          if (message.type === 'taken') this.taken(message.bytes)
          else if (message.type === 'partitioned') settle(resolve)
        })
      }, fail)
    }).finally(() => this.release())
    this.done.catch(() => undefined) // the caller sees it through the comparison's finish()
  }

  write(bytes: Uint8Array): Promise<void> | void {
    if (this.gone) return
    const copy = bytes.slice() // its own memory, handed over to the worker
    this.inTransit += copy.length
    void this.worker.then(
      (w) => w.postMessage({ type: 'piece', bytes: copy }, [copy.buffer]),
      () => undefined,
    )
    if (this.inTransit > this.maxBytesInTransit) return new Promise<void>((wake) => this.waiting.push(wake))
  }

  end(): void {
    this.ended = true
    void this.worker.then(
      (w) => w.postMessage({ type: 'end' }),
      () => undefined,
    )
  }

  /** The download starts over or the comparison was given up. */
  abandon(): void {
    this.gone = true
    this.release()
    void this.worker.then(
      (w) => w.terminate(),
      () => undefined,
    )
  }

  private taken(bytes: number): void {
    this.inTransit -= bytes
    if (this.inTransit <= this.maxBytesInTransit / 2) this.release()
  }

  private release(): void {
    const waiters = this.waiting
    this.waiting = []
    for (const wake of waiters) wake()
  }
}

/**
 * Runs the comparison in worker threads (its cost grows with the file and the lists): one starts on
 * the file's groups at once and joins at the end; each export is read as it downloads in a worker
 * of its own, while Constant Contact prepares the other.
 */
export function startComparisonInWorker(
  start: ComparisonStart,
  { maxBytesInTransit = MAX_BYTES_IN_TRANSIT }: { maxBytesInTransit?: number } = {},
): ComparisonJob {
  const worker: Worker = startWorker(WORKER_NAME, WORKER_SOURCE, {
    workerData: { comparison: start },
    resourceLimits: { maxOldGenerationSizeMb: 512 },
  })
  const settle = onceSettled(Promise.resolve(worker))
  let bucketsReady!: (place: BucketPlace) => void
  let bucketsFailed!: (error: unknown) => void
  const buckets = new Promise<BucketPlace>((resolve, reject) => {
    bucketsReady = resolve
    bucketsFailed = reject
  })
  buckets.catch(() => undefined)
  const partitions: Partial<Record<GroupKey, PartitionThread>> = {}
  const pending: Array<Promise<void>> = []
  let attempts = 0
  const stopPartitions = (): void => {
    for (const p of Object.values(partitions)) p?.abandon()
  }
  let fail!: (error: unknown) => void
  const result = new Promise<ComparisonRecord>((resolve, reject) => {
    fail = (error) =>
      settle(() => {
        stopPartitions()
        bucketsFailed(error)
        reject(error)
      })
    watchFailures(worker, fail)
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'ready') bucketsReady(message.buckets)
      else if (message.type === 'done') settle(() => resolve(message.record))
    })
  })
  result.catch(() => undefined) // the caller sees it through finish()
  return {
    exportSink: (group) => ({
      begin: () => {
        partitions[group]?.abandon()
        const listName = start.lists[group]?.listName ?? ''
        partitions[group] = new PartitionThread(
          buckets,
          `list-${group}-${++attempts}`,
          listName,
          group,
          maxBytesInTransit,
        )
      },
      write: (bytes) => partitions[group]?.write(bytes),
      end: () => partitions[group]?.end(),
    }),
    addExport: (group, file) => {
      const partition = partitions[group]
      delete partitions[group]
      if (partition?.ended) {
        const { source } = partition
        pending.push(partition.done.then(() => worker.postMessage({ type: 'export', group, file, source })))
      } else {
        partition?.abandon()
        worker.postMessage({ type: 'export', group, file })
      }
    },
    finish: () => {
      Promise.all(pending).then(() => worker.postMessage({ type: 'finish' }), fail)
      return result
    },
    cancel: () =>
      settle(() => {
        stopPartitions()
        bucketsFailed(new Error('cancelled'))
      }),
  }
}

/** The same in this thread (tests, and the benchmark's comparison of the two). */
export function startComparisonHere(start: ComparisonStart): ComparisonJob {
  const comparison = new Comparison(start)
  const adding: Array<Promise<void>> = []
  return {
    exportSink: (group) => ({
      begin: () => comparison.beginExport(group),
      write: (bytes) => comparison.pushExport(group, bytes),
      end: () => comparison.endExport(group),
    }),
    addExport: (group, file) => {
      const add = comparison.addExport(group, file)
      add.catch(() => undefined)
      adding.push(add)
    },
    finish: async () => {
      try {
        await Promise.all(adding)
      } catch (error) {
        comparison.dispose()
        throw error
      }
      return comparison.finish()
    },
    cancel: () => comparison.dispose(),
  }
}
