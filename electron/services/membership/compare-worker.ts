/**
 * Worker-thread entry of the membership comparison (its cost grows with the file and the lists, so
 * it never runs on the Electron main process). Built as its own entry (`out/main/membership-compare-worker.js`).
 * Starts on the file's groups at once; messages in: {type:'begin'|'end', group} and
 * {type:'piece', group, bytes} (an export as it downloads; each piece answered {type:'taken', bytes, buffer}, its
 * buffer handed back to be used again),
 * {type:'export', group, file} | {type:'finish'}; out: {type:'done', record} | {type:'error', error, detail?}.
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
type Message =
  | { type: 'begin' | 'end'; group: GroupKey }
  | { type: 'piece'; group: GroupKey; bytes: Uint8Array }
  | { type: 'export'; group: GroupKey; file: ExportFile }
  | { type: 'finish' }

port.on('message', (message: Message) => {
  if (message.type === 'piece') {
    comparison?.pushExport(message.group, message.bytes)
    // After: the download keeps pace with the reading. The piece's buffer goes back to be used again.
    const buffer = message.bytes.buffer as ArrayBuffer
    port.postMessage({ type: 'taken', bytes: message.bytes.length, buffer }, [buffer])
    return
  }
  if (!comparison) return
  switch (message.type) {
    case 'begin':
      return comparison.beginExport(message.group)
    case 'end':
      return comparison.endExport(message.group)
    case 'export': {
      const add = comparison.addExport(message.group, message.file)
      add.catch(() => undefined) // reported by finish
      adding.push(add)
      return
    }
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
