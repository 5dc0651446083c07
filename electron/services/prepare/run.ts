import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { UserFacingError, type ContractErrorData } from '../../../shared/errors'
import type { PrepareOptions, PrepareProgress } from '../../../shared/prepare/schemas'
import { type PrepareSummary, JOB_FILES } from './job-files'
import { removeLeftoverTemps } from '../files/atomic-file'
import { startWorker } from '../worker-entry'
import type { PrepareWorkerInput } from './prepare-worker'

export interface RunPrepareControl {
  /** The folder to write the prepared job into; created if needed. */
  outDir: string
  /** Called at most about ten times a second. */
  onProgress?(progress: PrepareProgress): void
  /** Cancels the pass; the files written so far are removed and the promise rejects with an AbortError. */
  signal?: AbortSignal
}

/** Runs the full pass in a worker thread. */
export function runPrepare(path: string, options: PrepareOptions, control: RunPrepareControl): Promise<PrepareSummary> {
  return new Promise((resolve, reject) => {
    if (control.signal?.aborted) return reject(abortError())
    const workerData: PrepareWorkerInput = { path, options, outDir: control.outDir }
    const worker = startWorker('prepare-worker', 'electron/services/prepare/prepare-worker.ts', { workerData })
    let settled = false
    const finish = (action: () => void): void => {
      if (settled) return
      settled = true
      control.signal?.removeEventListener('abort', onAbort)
      action()
    }
    const onAbort = (): void => {
      finish(() => {
        void worker.terminate().then(() => {
          removeJobFiles(control.outDir)
          reject(abortError())
        })
      })
    }
    control.signal?.addEventListener('abort', onAbort, { once: true })
    worker.on(
      'message',
      (message: {
        type: string
        progress?: PrepareProgress
        summary?: PrepareSummary
        error?: ContractErrorData
        detail?: string
      }) => {
        if (message.type === 'progress' && !settled) control.onProgress?.(message.progress!)
        else if (message.type === 'done') finish(() => resolve(message.summary!))
        else if (message.type === 'error') {
          const data = message.error!
          if (message.detail && process.env.SPLITSEND_DEBUG) process.stderr.write(`${message.detail}\n`)
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
      finish(() => reject(new Error(`The prepare worker stopped unexpectedly (exit code ${code})`))),
    )
  })
}

function removeJobFiles(outDir: string): void {
  for (const name of Object.values(JOB_FILES)) {
    rmSync(join(outDir, name), { force: true })
    removeLeftoverTemps(join(outDir, name))
  }
}

function abortError(): Error {
  const error = new Error('Preparing was cancelled.')
  error.name = 'AbortError'
  return error
}
