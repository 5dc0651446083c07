import type { Worker } from 'node:worker_threads'
import type { ContractErrorData } from '../../../shared/errors'
import type { GroupKey } from '../../../shared/ids'
import { errorFrom } from '../kept-worker'
import { startWorker } from '../worker-entry'
import { Comparison, type ComparisonRecord, type ComparisonStart, type ExportFile } from './compare'
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
 * Bytes of a download sent to the worker and not yet partitioned, at most: past it the download
 * waits (the connection is not read meanwhile), so a reader slower than the network never holds a
 * whole export in memory.
 */
const MAX_BYTES_IN_TRANSIT = 4 << 20
const PIECE_BYTES = 256 * 1024

type ToWorker =
  | { type: 'begin'; group: GroupKey }
  | { type: 'piece'; group: GroupKey; bytes: Uint8Array }
  | { type: 'end'; group: GroupKey }
  | { type: 'export'; group: GroupKey; file: ExportFile }
  | { type: 'finish' }

type FromWorker =
  | { type: 'taken'; bytes: number; buffer: ArrayBuffer }
  | { type: 'done'; record: ComparisonRecord }
  | { type: 'error'; error: ContractErrorData; detail?: string }

/**
 * Runs the comparison in a worker thread (its cost grows with the file and the lists): it starts on
 * the file's groups at once, and reads each export as it downloads, while Constant Contact prepares
 * the other.
 */
export function startComparisonInWorker(
  start: ComparisonStart,
  { maxBytesInTransit = MAX_BYTES_IN_TRANSIT }: { maxBytesInTransit?: number } = {},
): ComparisonJob {
  const worker: Worker = startWorker('membership-compare-worker', 'electron/services/membership/compare-worker.ts', {
    workerData: start,
    resourceLimits: { maxOldGenerationSizeMb: 512 },
  })
  const post = (message: ToWorker, transfer?: ArrayBuffer[]): void => worker.postMessage(message, transfer)
  // The download's pieces (often a few kilobytes) gathered into bigger ones: one message, one
  // decoding and one parser call per {@link PIECE_BYTES} rather than per network read.
  const pieceBytes = Math.max(1, Math.min(PIECE_BYTES, Math.floor(maxBytesInTransit / 4)))
  /**
   * Pieces the worker has read and handed back, used again: a new one per piece would leave the
   * export's size in dead buffers outside the heap until a collection (see ARCHITECTURE.md).
   */
  const spare: Uint8Array[] = []
  const newPiece = (): Uint8Array => spare.pop() ?? new Uint8Array(pieceBytes)
  let settled = false
  let inTransit = 0
  let waiting: Array<() => void> = []
  const release = (): void => {
    const waiters = waiting
    waiting = []
    for (const wake of waiters) wake()
  }
  const result = new Promise<ComparisonRecord>((resolve, reject) => {
    const finish = (action: () => void): void => {
      if (settled) return
      settled = true
      release()
      void worker.terminate()
      action()
    }
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'taken') {
        inTransit -= message.bytes
        if (message.buffer.byteLength === pieceBytes) spare.push(new Uint8Array(message.buffer))
        if (inTransit <= maxBytesInTransit / 2) release()
      } else if (message.type === 'done') finish(() => resolve(message.record))
      else if (message.type === 'error') finish(() => reject(errorFrom(message.error, message.detail)))
    })
    worker.on('error', (error) => finish(() => reject(error)))
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`The membership comparison stopped unexpectedly (exit code ${code})`))),
    )
  })
  result.catch(() => undefined) // the caller sees it through finish()
  return {
    exportSink: (group) => {
      let piece = newPiece()
      let used = 0
      const send = (): Promise<void> | void => {
        if (used === 0 || settled) return
        const bytes = piece.subarray(0, used)
        piece = newPiece()
        used = 0
        inTransit += bytes.length
        post({ type: 'piece', group, bytes }, [bytes.buffer as ArrayBuffer]) // handed over, not copied
        if (inTransit > maxBytesInTransit) return new Promise<void>((wake) => waiting.push(wake))
      }
      return {
        begin: () => {
          used = 0
          post({ type: 'begin', group })
        },
        // A promise only when the download has to wait (a network read is smaller than a piece, so
        // the bound is passed by at most one read).
        write: (bytes) => {
          let wait: Promise<void> | void = undefined
          for (let at = 0; at < bytes.length && !settled;) {
            const n = Math.min(bytes.length - at, piece.length - used)
            piece.set(bytes.subarray(at, at + n), used)
            used += n
            at += n
            if (used === piece.length) wait = send() ?? wait
          }
          return wait
        },
        end: () => {
          void send()
          post({ type: 'end', group })
        },
      }
    },
    addExport: (group, file) => post({ type: 'export', group, file }),
    finish: () => {
      post({ type: 'finish' })
      return result
    },
    cancel: () => {
      settled = true
      release()
      void worker.terminate()
    },
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
