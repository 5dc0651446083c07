/**
 * Worker-thread entry of the membership comparison (its cost grows with the file and the lists, so
 * it never runs on the Electron main process). Built as its own entry (`out/main/membership-compare-worker.js`).
 * Starts on the file's groups at once; messages in: {type:'export', group, file} | {type:'finish'};
 * out: {type:'done', record} | {type:'error', error, detail?}.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { errorMessage } from '../kept-worker'
import type { GroupKey } from '../../../shared/ids'
import { Comparison, type ComparisonStart, type ExportFile } from './compare'

const port = parentPort!
const fail = (error: unknown): void => port.postMessage({ type: 'error', ...errorMessage(error) })

let comparison: Comparison | undefined
try {
  comparison = new Comparison(workerData as ComparisonStart)
} catch (error) {
  fail(error)
}
const adding: Array<Promise<void>> = []
port.on('message', (message: { type: 'export'; group: GroupKey; file: ExportFile } | { type: 'finish' }) => {
  if (!comparison) return
  if (message.type === 'export') {
    const add = comparison.addExport(message.group, message.file)
    add.catch(() => undefined) // reported by finish
    adding.push(add)
    return
  }
  Promise.all(adding)
    .then(() => comparison!.finish())
    .then(
      (record) => port.postMessage({ type: 'done', record }),
      (error: unknown) => {
        comparison!.dispose()
        fail(error)
      },
    )
})
