/**
 * Worker-thread entry of the membership comparison (its cost grows with the file and the lists, so
 * it never runs on the Electron main process). Built as its own entry (`out/main/membership-compare-worker.js`).
 * Two kinds, by `workerData`:
 * - `{comparison}`: says where the buckets are ({type:'ready', buckets}), partitions the file's
 *   groups, then takes {type:'export', group, file, source?} (`source`: bucket files an export's own
 *   worker wrote) and {type:'finish'}; answers {type:'done', record};
 * - `{partition}`: one export as it downloads, {type:'piece', bytes} (each answered {type:'taken',
 *   bytes}) then {type:'end'}; answers {type:'partitioned'} once its bucket files are written.
 * Either answers {type:'error', error, detail?} when it fails.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { errorMessage } from '../kept-worker'
import type { GroupKey } from '../../../shared/ids'
import { Comparison, ExportPartition, type BucketPlace, type ComparisonStart, type ExportFile } from './compare'

const port = parentPort!
const fail = (error: unknown): void => port.postMessage({ type: 'error', ...errorMessage(error) })
const data = workerData as
  | { comparison: ComparisonStart }
  | { partition: { place: BucketPlace; source: string; listName: string; group: GroupKey } }

if ('partition' in data) partitionExport(data.partition)
else compare(data.comparison)

function partitionExport({
  place,
  source,
  listName,
  group,
}: Extract<typeof data, { partition: unknown }>['partition']) {
  const partition = new ExportPartition(place, source, listName, group)
  port.on('message', (message: { type: 'piece'; bytes: Uint8Array } | { type: 'end' }) => {
    if (message.type === 'piece') {
      partition.push(message.bytes)
      port.postMessage({ type: 'taken', bytes: message.bytes.length }) // after: the download keeps pace
      return
    }
    try {
      partition.end()
      port.postMessage({ type: 'partitioned' })
    } catch (error) {
      fail(error)
    }
  })
}

function compare(start: ComparisonStart): void {
  let comparison: Comparison
  try {
    comparison = new Comparison(start, { groupsLater: true })
    port.postMessage({ type: 'ready', buckets: comparison.buckets })
    comparison.partitionGroups()
  } catch (error) {
    fail(error)
    return
  }
  const adding: Array<Promise<void>> = []
  type Message = { type: 'export'; group: GroupKey; file: ExportFile; source?: string } | { type: 'finish' }
  port.on('message', (message: Message) => {
    if (message.type === 'export') {
      const add = message.source
        ? Promise.resolve().then(() => comparison.addPartitionedExport(message.group, message.file, message.source!))
        : comparison.addExport(message.group, message.file)
      add.catch(() => undefined) // reported by finish
      adding.push(add)
      return
    }
    Promise.all(adding)
      .then(() => comparison.finish())
      .then(
        (record) => port.postMessage({ type: 'done', record }),
        (error: unknown) => {
          comparison.dispose()
          fail(error)
        },
      )
  })
}
