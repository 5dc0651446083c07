import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { ResourceLimits } from 'node:worker_threads'
import { UserFacingError, type ContractErrorData } from '../../../shared/errors'
import type { PrepareOptions, PrepareProgress } from '../../../shared/prepare/schemas'
import { type PrepareSummary, JOB_FILES, NEW_JOB_HINT, refuseUsedJobFolder } from './job-files'
import { removeLeftoverTemps } from '../files/atomic-file'
import { errorFrom } from '../kept-worker'
import { startWorker } from '../worker-entry'
import type { PreparedCopy } from './copies'
import type { PrepareWorkerInput } from './prepare-worker'

export interface RunPrepareControl {
  /** The folder to write the prepared job into; created if needed. */
  outDir: string
  /** Called at most about ten times a second. */
  onProgress?(progress: PrepareProgress): void
  /** Cancels the pass; the files written so far are removed and the promise rejects with an AbortError. */
  signal?: AbortSignal
  /** The worker's memory limit (default {@link PASS_LIMITS}). */
  resourceLimits?: ResourceLimits
}

/** Runs the full pass in a worker thread. */
export function runPrepare(path: string, options: PrepareOptions, control: RunPrepareControl): Promise<PrepareSummary> {
  // Refused here too, before a worker starts: a pass stopped early removes the job's files.
  try {
    refuseUsedJobFolder(control.outDir, NEW_JOB_HINT)
  } catch (error) {
    return Promise.reject(error)
  }
  return runInPrepareWorker({ task: 'pass', path, options, outDir: control.outDir }, control, () =>
    removeJobFiles(control.outDir),
  ) as Promise<PrepareSummary>
}

/** Writes the copies of "Save prepared files…" into `folder`, in a worker thread; resolves with their names. */
export function writeCopiesInWorker(jobDir: string, folder: string, copies: PreparedCopy[]): Promise<string[]> {
  return runInPrepareWorker({ task: 'copies', jobDir, folder, copies }, {}) as Promise<string[]>
}

function runInPrepareWorker(
  workerData: PrepareWorkerInput,
  control: Pick<RunPrepareControl, 'onProgress' | 'signal' | 'resourceLimits'>,
  /** Cleans up after a task that didn't finish (cancelled, or the worker failed). */
  onUnfinished: () => void = () => {},
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (control.signal?.aborted) return reject(abortError())
    const worker = startWorker('prepare-worker', 'electron/services/prepare/prepare-worker.ts', {
      workerData,
      resourceLimits: control.resourceLimits ?? PASS_LIMITS,
    })
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
          onUnfinished()
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
        summary?: unknown
        error?: ContractErrorData
        detail?: string
      }) => {
        if (message.type === 'progress' && !settled) control.onProgress?.(message.progress!)
        else if (message.type === 'done') finish(() => resolve(message.summary!))
        else if (message.type === 'error') finish(() => reject(errorFrom(message.error!, message.detail)))
      },
    )
    worker.on('error', (error: NodeJS.ErrnoException) =>
      finish(() => {
        onUnfinished()
        reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? passOutOfMemory() : error)
      }),
    )
    worker.on('exit', (code) =>
      finish(() => {
        onUnfinished()
        reject(new Error(`The prepare worker stopped unexpectedly (exit code ${code})`))
      }),
    )
  })
}

/**
 * The pass keeps every address (a few tens of bytes each) and a workbook's shared text: millions of
 * rows fit well within this. A file that needs more stops the pass, not the app.
 */
const PASS_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 3072 }

function passOutOfMemory(): UserFacingError {
  return new UserFacingError(
    'file_too_large',
    'Preparing this file took more memory than Splitsend allows, so it was stopped. Nothing was written.',
    'The file may be damaged, or larger than Splitsend can prepare at once: split it into smaller files, or ask for a new copy.',
  )
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
