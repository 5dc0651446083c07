/**
 * Worker-thread entry that writes the group files of a large Prepare pass (see group-files-thread.ts).
 * Built as its own entry (`out/main/group-files-worker.js`).
 * Messages in: WriterMessage, in order. Message out: one WriterClosed, after `close` (or `drop`).
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { GroupFilePaths } from '../group-files'
import { dropRecords, IndexedCsvWriter } from '../job-files'
import {
  LINE_NUMBERS,
  type LineBatch,
  type WriterClosed,
  type WriterMessage,
  type WriterThreadData,
} from './group-files-thread'

const { waiting } = workerData as WriterThreadData
const port = parentPort!
let files: IndexedCsvWriter[] = []
let paths: GroupFilePaths[] = []
/** The first failure; after it nothing more is written, but batches are still taken off the queue. */
let failure: string | null = null

port.on('message', (message: WriterMessage) => {
  if (failure === null) {
    try {
      handle(message)
    } catch (error) {
      failure = String((error as Error)?.stack ?? error)
    }
  }
  if (message.type === 'lines') {
    Atomics.sub(waiting, 0, 1)
    Atomics.notify(waiting, 0)
  } else if (message.type === 'close' || message.type === 'drop') {
    if (failure !== null) closeQuietly()
    const answer: WriterClosed = { type: 'closed', error: failure }
    port.postMessage(answer)
    port.close()
  }
})

function handle(message: WriterMessage): void {
  if (message.type === 'open') {
    paths = message.paths
    files = paths.map((path) => new IndexedCsvWriter(path.csv, path.index, message.preamble))
  } else if (message.type === 'lines') writeLines(message)
  else if (message.type === 'drop')
    message.drop.forEach((records, file) => dropRecords(message.paths[file]!.csv, message.paths[file]!.index, records))
  else {
    for (const file of files) file.close()
    files = []
    message.drop.forEach((records, file) => dropRecords(paths[file]!.csv, paths[file]!.index, records))
  }
}

function writeLines({ lines, entries }: LineBatch): void {
  for (let i = 0, at = 0; i < lines.length; i++, at += LINE_NUMBERS)
    files[entries[at]!]!.addLine(lines[i]!, entries[at + 1]!)
}

/** Closes the files after a failure (the pass removes them). */
function closeQuietly(): void {
  for (const file of files) {
    try {
      file.close()
    } catch {
      // Already failing: the first error is the one reported.
    }
  }
}
