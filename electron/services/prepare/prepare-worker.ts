/**
 * Worker-thread entry of the full Prepare pass, so the Electron main process stays responsive
 * while a large file is read. Built as its own entry (`out/main/prepare-worker.js`).
 * Messages out: {type:'progress', progress} | {type:'done', summary} | {type:'error', error}.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { errorMessage } from '../kept-worker'
import type { PrepareOptions } from '../../../shared/prepare/schemas'
import { prepareJob } from './pass'

export interface PrepareWorkerInput {
  path: string
  options: PrepareOptions
  outDir: string
}

const input = workerData as PrepareWorkerInput
const port = parentPort!

prepareJob(input.path, input.options, input.outDir, {
  onProgress: (progress) => port.postMessage({ type: 'progress', progress }),
}).then(
  (summary) => port.postMessage({ type: 'done', summary }),
  // Unexpected errors keep their details for the log; the person sees the plain message.
  (error: unknown) => port.postMessage({ type: 'error', ...errorMessage(error) }),
)
