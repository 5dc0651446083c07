import type { Worker } from 'node:worker_threads'
import type { GroupKey } from '../../../../shared/ids'
import { startWorker } from '../../worker-entry'
import { LocalGroupFiles, type GroupFilePaths, type GroupFiles } from '../group-files'
import { HELPER_THREAD_LIMITS } from './read-thread'

/**
 * The group files written with a helper thread. With a writer thread of their own
 * ({@link ThreadGroupFiles}) the lines are handed over in batches, and the UTF-8 encoding, the
 * index entries, the writes, and at the end taking the conflict rows out, run on the second core.
 * The bytes are the same as written here: the thread (group-files-worker.ts) writes each line with
 * the same IndexedCsvWriter and takes rows out with the same dropRecords.
 */

/** A batch of lines, all in the order written. */
export interface LineBatch {
  type: 'lines'
  lines: string[]
  /** {@link LINE_NUMBERS} numbers per line: the file it goes to and the source row it was found on. */
  entries: Int32Array
}

/** Numbers per line in a LineBatch's `entries`. */
export const LINE_NUMBERS = 2

/** Messages to the writer thread, in order on one port. */
export type WriterMessage =
  | { type: 'open'; paths: GroupFilePaths[]; preamble: string }
  | LineBatch
  /** Close every file, then take out the records `drop` lists, by file number. */
  | { type: 'close'; drop: Array<readonly number[]> }
  /** Only take records out of files written elsewhere (the thread's one message then). */
  | { type: 'drop'; paths: GroupFilePaths[]; drop: Array<readonly number[]> }

/** The writer thread's one answer, to `close`, once done: the first error it met, if any. */
export interface WriterClosed {
  type: 'closed'
  error: string | null
}

export interface WriterThreadData {
  /** Batches handed over and not yet written (one Int32 on a SharedArrayBuffer). */
  waiting: Int32Array
}

/**
 * Lines per batch at most. Batches are large so that they are few: each one wakes the writer
 * thread, and on a busy machine waking a thread can cost the one that wakes it its turn.
 */
const BATCH_LINES = 16384
/** Characters of lines per batch at most. */
const BATCH_CHARS = 1024 * 1024
/**
 * Batches that may wait for the writer thread before the pass waits for it: enough for the
 * thread's start, a few tens of MB at most when the disk is slow.
 */
const MAX_WAITING_BATCHES = 16
/** How long the pass waits for room in the queue before it takes the writer thread for stuck. */
const STALL_MS = 60_000

const FILE_NUMBER: Record<GroupKey, number> = { '0': 0, '1': 1 }

/** The group files written by a writer thread of their own. */
export class ThreadGroupFiles implements GroupFiles {
  readonly counts: Record<GroupKey, number> = { '0': 0, '1': 0 }
  private readonly waiting = new Int32Array(new SharedArrayBuffer(4))
  private readonly worker: Worker
  private readonly closed: Promise<string | null>
  private batch = newBatch()
  private readonly entries = new Int32Array(BATCH_LINES * LINE_NUMBERS)
  private batchChars = 0

  constructor(paths: Record<GroupKey, GroupFilePaths>, preamble: string) {
    const workerData: WriterThreadData = { waiting: this.waiting }
    this.worker = startWorker('group-files-worker', 'electron/services/prepare/fast/group-files-worker.ts', {
      workerData,
      resourceLimits: HELPER_THREAD_LIMITS,
    })
    this.closed = answerOf(this.worker)
    this.post({ type: 'open', paths: [paths['0'], paths['1']], preamble })
  }

  addLine(key: GroupKey, line: string, row: number): void {
    if (this.batch.lines.length === BATCH_LINES || this.batchChars >= BATCH_CHARS) this.send()
    const at = this.batch.lines.length * LINE_NUMBERS
    this.entries[at] = FILE_NUMBER[key]
    this.entries[at + 1] = row
    this.batch.lines.push(line)
    this.batchChars += line.length
    this.counts[key]++
  }

  async close(drop: Record<GroupKey, readonly number[]>): Promise<void> {
    this.send()
    this.post({ type: 'close', drop: [drop['0'], drop['1']] })
    const error = await this.closed
    if (error !== null) throw new Error(`Writing the group files failed: ${error}`)
  }

  async abort(): Promise<void> {
    await this.worker.terminate()
  }

  /** Hands the batch over; first waits while too many are queued, so memory stays bounded when the disk is slow. */
  private send(): void {
    const batch = this.batch
    if (batch.lines.length === 0) return
    this.waitForRoom()
    Atomics.add(this.waiting, 0, 1)
    // The entries written so far, copied: the one working array is used again.
    batch.entries = this.entries.slice(0, batch.lines.length * LINE_NUMBERS)
    this.worker.postMessage(batch, [batch.entries.buffer as ArrayBuffer])
    this.batch = newBatch()
    this.batchChars = 0
  }

  private post(message: WriterMessage): void {
    this.worker.postMessage(message)
  }

  private waitForRoom(): void {
    let stalled = 0
    for (;;) {
      const waiting = Atomics.load(this.waiting, 0)
      if (waiting < MAX_WAITING_BATCHES) return
      // Blocks this thread only; the writer thread wakes it after each batch.
      if (Atomics.wait(this.waiting, 0, waiting, 1000) !== 'timed-out') stalled = 0
      else if ((stalled += 1000) >= STALL_MS) throw new Error('The group file writer stopped responding')
    }
  }
}

/** The writer thread's one answer (see WriterClosed): the error it reports, or one for a thread that failed or stopped. */
function answerOf(worker: Worker): Promise<string | null> {
  return new Promise((resolve) => {
    worker.on('message', (message: WriterClosed) => resolve(message.error))
    worker.on('error', (error) => resolve(String(error?.stack ?? error)))
    worker.on('exit', (code) => resolve(`The group file writer stopped unexpectedly (exit code ${code})`))
  })
}

/**
 * The group files written on the pass's own thread, but the conflict rows are taken out by a
 * thread started for it at the end: for a large source that moves most of both files, while the
 * pass writes problems.csv.
 */
export class GroupFilesDroppedOnThread extends LocalGroupFiles {
  private dropping: DropThread | null = null

  override async abort(): Promise<void> {
    await super.abort()
    await this.dropping?.stop()
  }

  protected override dropRecords(drop: Record<GroupKey, readonly number[]>): Promise<void> {
    this.dropping = new DropThread([this.paths['0'], this.paths['1']], [drop['0'], drop['1']])
    return this.dropping.done
  }
}

/** The writer thread started only to take records out of group files written on the pass's thread. */
class DropThread {
  private readonly worker: Worker
  readonly done: Promise<void>

  constructor(paths: GroupFilePaths[], drop: Array<readonly number[]>) {
    const workerData: WriterThreadData = { waiting: new Int32Array(new SharedArrayBuffer(4)) }
    this.worker = startWorker('group-files-worker', 'electron/services/prepare/fast/group-files-worker.ts', {
      workerData,
      resourceLimits: HELPER_THREAD_LIMITS,
    })
    this.done = answerOf(this.worker).then((error) => {
      if (error !== null) throw new Error(`Taking the conflicting rows out of the group files failed: ${error}`)
    })
    this.done.catch(() => {}) // thrown where it is awaited
    const message: WriterMessage = { type: 'drop', paths, drop }
    this.worker.postMessage(message)
  }

  async stop(): Promise<void> {
    await this.worker.terminate()
  }
}

function newBatch(): LineBatch {
  return { type: 'lines', lines: [], entries: new Int32Array(0) }
}
