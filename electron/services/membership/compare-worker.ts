/**
 * Worker-thread entry of the membership comparison (its cost grows with the file and the lists, so
 * it never runs on the Electron main process). Built as its own entry (`out/main/membership-compare-worker.js`).
 * Messages out: {type:'done', record} | {type:'error', error, detail?}.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { toErrorData } from '../../../shared/errors'
import { compareMembership, type CompareInput } from './compare'

const port = parentPort!
compareMembership(workerData as CompareInput).then(
  (record) => port.postMessage({ type: 'done', record }),
  (error: unknown) => {
    const data = toErrorData(error)
    port.postMessage({
      type: 'error',
      error: data,
      detail: data.code === 'unexpected' ? String((error as Error)?.stack ?? error) : undefined,
    })
  },
)
