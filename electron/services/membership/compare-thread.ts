import { UserFacingError, type ContractErrorData } from '../../../shared/errors'
import { startWorker } from '../worker-entry'
import type { CompareInput, ComparisonRecord } from './compare'

/** Runs {@link compareMembership} in a worker thread (memory capped: the comparison needs one bucket's worth). */
export function compareInWorker(input: CompareInput): Promise<ComparisonRecord> {
  return new Promise((resolve, reject) => {
    const worker = startWorker('membership-compare-worker', 'electron/services/membership/compare-worker.ts', {
      workerData: input,
      resourceLimits: { maxOldGenerationSizeMb: 512 },
    })
    let settled = false
    const finish = (action: () => void): void => {
      if (settled) return
      settled = true
      action()
    }
    worker.on(
      'message',
      (message: { type: string; record?: ComparisonRecord; error?: ContractErrorData; detail?: string }) => {
        if (message.type === 'done') finish(() => resolve(message.record!))
        else if (message.type === 'error') {
          const data = message.error!
          finish(() =>
            reject(
              data.code === 'unexpected'
                ? new Error(message.detail ?? data.message)
                : new UserFacingError(data.code, data.message, data.hint),
            ),
          )
        }
      },
    )
    worker.on('error', (error) => finish(() => reject(error)))
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`The membership comparison stopped unexpectedly (exit code ${code})`))),
    )
  })
}
