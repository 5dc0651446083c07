import type { Worker } from 'node:worker_threads'
import type { ContractErrorData } from '../../../shared/errors'
import type { GroupKey } from '../../../shared/ids'
import { errorFrom } from '../kept-worker'
import { startWorker } from '../worker-entry'
import { Comparison, type ComparisonRecord, type ComparisonStart, type ExportFile } from './compare'

/** A comparison under way: the exports go in as they arrive, the record comes out at the end. */
export interface ComparisonJob {
  addExport(group: GroupKey, file: ExportFile): void
  finish(): Promise<ComparisonRecord>
  /** Abandons it (its temporary files are removed). */
  cancel(): void
}

/**
 * Runs the comparison in a worker thread (its cost grows with the file and the lists): it starts on
 * the file's groups at once, while Constant Contact prepares the exports.
 */
export function startComparisonInWorker(start: ComparisonStart): ComparisonJob {
  const worker: Worker = startWorker('membership-compare-worker', 'electron/services/membership/compare-worker.ts', {
    workerData: start,
    resourceLimits: { maxOldGenerationSizeMb: 512 },
  })
  let settled = false
  const result = new Promise<ComparisonRecord>((resolve, reject) => {
    const finish = (action: () => void): void => {
      if (settled) return
      settled = true
      void worker.terminate()
      action()
    }
    worker.on(
      'message',
      (message: { type: string; record?: ComparisonRecord; error?: ContractErrorData; detail?: string }) => {
        if (message.type === 'done') finish(() => resolve(message.record!))
        else if (message.type === 'error') finish(() => reject(errorFrom(message.error!, message.detail)))
      },
    )
    worker.on('error', (error) => finish(() => reject(error)))
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`The membership comparison stopped unexpectedly (exit code ${code})`))),
    )
  })
  result.catch(() => undefined) // the caller sees it through finish()
  return {
    addExport: (group, file) => worker.postMessage({ type: 'export', group, file }),
    finish: () => {
      worker.postMessage({ type: 'finish' })
      return result
    },
    cancel: () => {
      settled = true
      void worker.terminate()
    },
  }
}

/** The same in this thread (tests, and the benchmark's comparison of the two). */
export function startComparisonHere(start: ComparisonStart): ComparisonJob {
  const comparison = new Comparison(start)
  const adding: Array<Promise<void>> = []
  return {
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
