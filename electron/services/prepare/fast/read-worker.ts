/**
 * Worker-thread entry that reads and parses a large CSV file for another thread (see
 * read-thread.ts). Built as its own entry (`out/main/csv-read-worker.js`).
 * Messages out: RecordBatch… then one `end`, or one `failed`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { readCsvWith } from '../../spreadsheet/csv-read'
import { FastCsvParser } from './csv-parser'
import {
  BatchWriter,
  MAX_WAITING_BATCHES,
  type ReadThreadData,
  type ReadThreadMessage,
  type RecordBatch,
} from './read-thread'

const { file, settings, maxBytes, waiting, facts } = workerData as ReadThreadData
const port = parentPort!
const post = (message: ReadThreadMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer)

/** Sends a batch, first waiting while the other side has enough to do (so memory stays bounded). */
function send(batch: RecordBatch): void {
  for (;;) {
    const queued = Atomics.load(waiting, 0)
    if (queued < MAX_WAITING_BATCHES) break
    Atomics.wait(waiting, 0, queued, 1000)
  }
  Atomics.add(waiting, 0, 1)
  post(batch, [
    batch.numbers.buffer as ArrayBuffer,
    batch.spans.buffer as ArrayBuffer,
    batch.addresses.buffer as ArrayBuffer,
  ])
}

const batches = new BatchWriter(send, facts)
readCsvWith(new FastCsvParser(settings, batches), file, {
  ...(maxBytes ? { maxBytes } : {}),
  // Called after each piece of text has been parsed: a batch per piece.
  onProgress(bytesRead) {
    batches.bytesRead = bytesRead
    batches.flush()
  },
}).then(
  ({ complete, bytesRead, charsRead, undecodable, positions }) => {
    batches.flush()
    post({
      type: 'end',
      complete,
      bytesRead,
      ...(charsRead !== undefined ? { charsRead } : {}),
      undecodable,
      positions: positions ? positions.noted() : null,
    })
  },
  (error: unknown) =>
    post({
      type: 'failed',
      message: String((error as Error)?.message ?? error),
      stack: String((error as Error)?.stack ?? error),
    }),
)
