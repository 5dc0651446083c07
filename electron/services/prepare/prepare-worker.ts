/**
 * Worker-thread entry of the Prepare work that grows with a file's size, so the Electron main
 * process stays responsive: the full pass, and the copies "Save prepared files…" makes. Built as
 * its own entry (`out/main/prepare-worker.js`).
 * Messages out: {type:'progress', progress} | {type:'done', summary | result} | {type:'error', error}.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { errorMessage } from '../kept-worker'
import type { PrepareOptions } from '../../../shared/prepare/schemas'
import { writePreparedCopies, type PreparedCopy } from './copies'
import { prepareJob } from './pass'

export type PrepareWorkerInput =
  | { task: 'pass'; path: string; options: PrepareOptions; outDir: string }
  /** Writes the copies into `folder`; done with their names. */
  | { task: 'copies'; jobDir: string; folder: string; copies: PreparedCopy[] }

const input = workerData as PrepareWorkerInput
const port = parentPort!

async function work(): Promise<unknown> {
  switch (input.task) {
    case 'pass':
      return prepareJob(input.path, input.options, input.outDir, {
        onProgress: (progress) => port.postMessage({ type: 'progress', progress }),
      })
    case 'copies':
      return writePreparedCopies(input.jobDir, input.folder, input.copies)
  }
}

work().then(
  (result) => port.postMessage({ type: 'done', summary: result }),
  // Unexpected errors keep their details for the log; the person sees the plain message.
  (error: unknown) => port.postMessage({ type: 'error', ...errorMessage(error) }),
)
