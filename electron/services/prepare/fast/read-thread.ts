import { MAX_EMAIL_LENGTH } from '../../../../shared/prepare/email'
import { NOT_PLAIN, PLAIN_LOWER, plainAddressKind, type AddressBytesOut } from '../plain-address'
import type { CsvParseSettings } from '../../spreadsheet/csv-parse'
import type { CsvReadOptions, CsvReadResult, CsvTextFile } from '../../spreadsheet/csv-read'
import { Utf8Positions, type Utf8PositionsNoted } from '../../spreadsheet/utf8-positions'
import { startWorker } from '../../worker-entry'
import type { FastCsvSink } from './csv-parser'
import { ADDRESS_NONE, ADDRESS_UNKNOWN, CsvRecordView, VIEW_CELL_STRIDE } from './record-view'

/**
 * Reading a large CSV file on a thread of its own. The read thread decodes and parses the file
 * (with the FastCsvParser, exactly as on one thread) and hands the records over in batches; this side
 * gives them to the sink in the same order, with the same arguments. A fast-path record crosses
 * as numbers — its cells' positions in the piece of decoded text the batch carries once — and is
 * given to the sink as a CsvRecordView over those numbers, so nothing is cut out of the text that
 * the sink does not ask for. Parsing then runs on one core while the sink's work (for the full
 * pass: the rules, the address table, the group lines) runs on the other; the read thread also
 * works out what the sink asked for that needs nothing but the record (RecordFactsRequest).
 */

/** What one batch holds, in the order the parser found it. */
export interface RecordBatch {
  type: 'records'
  /** The decoded text the batch's fast-path records are in. */
  text: string
  /** How far the file had been read when the batch was sent (for progress). */
  bytesRead: number
  /** Number of events. */
  count: number
  /**
   * Per event: its kind (see EVENT_*) and its row; for a record then the rest of its head (see
   * {@link EVENT_HEAD}) and {@link VIEW_CELL_STRIDE} numbers per cell.
   */
  numbers: Int32Array
  /** Per event: its start and end in the decoded text (see CsvSink.row). */
  spans: Float64Array
  /** The addresses of the records' facts (CsvRecordView.addressBytes). */
  addresses: Uint8Array
  /** The cells of each `row` event, in order. */
  rows: string[][]
  /** The raw line and the detail of each `malformed` event, in order. */
  strings: string[]
}

/** Messages from the read thread. */
export type ReadThreadMessage =
  | RecordBatch
  | {
      type: 'end'
      complete: boolean
      bytesRead: number
      charsRead?: number
      undecodable: boolean
      positions: Utf8PositionsNoted | null
    }
  | { type: 'failed'; message: string; stack: string }

export interface ReadThreadData {
  file: CsvTextFile
  settings: CsvParseSettings
  maxBytes?: number
  facts?: RecordFactsRequest
  /** Batches sent and not yet taken (one Int32 on a SharedArrayBuffer), to bound memory. */
  waiting: Int32Array
}

const EVENT_RECORD = 0
const EVENT_ROW = 1
const EVENT_MALFORMED = 2
/**
 * Numbers before a record's cells: kind, row, count, plain, then its facts: address length, hash,
 * where its bytes are, whether it is the cell as it stands, where the line starts and ends.
 */
const EVENT_HEAD = 10

/**
 * What the read thread works out for each fast-path record besides its cells, because it needs
 * nothing but the record (for the full Prepare pass: work taken off the thread that keeps the
 * address table). See the address and line fields of CsvRecordView.
 */
export interface RecordFactsRequest {
  /** The column whose plain address is worked out (see plainAddressKind). */
  addressColumn: number
  /** The cells of the output line, in order (the address column stands for the address); see CsvRecordView.isOnePiece. */
  lineColumns: number[]
  commaSeparated: boolean
}

/**
 * Batches that may wait to be taken before the read thread waits itself: a few MB of text and
 * positions at most, and enough that neither side waits for the other while both are busy.
 */
export const MAX_WAITING_BATCHES = 32

/**
 * A helper thread of the pass holds batches of records or lines, never the file: far less than
 * this. Like the pass's own worker, it stops there rather than take the process's memory.
 */
export const HELPER_THREAD_LIMITS = { maxOldGenerationSizeMb: 1024 }

/** Reads a CSV file as the read thread does: with `facts`, the thread works them out for each record. */
export function readCsvInThread(
  file: CsvTextFile,
  settings: CsvParseSettings,
  sink: FastCsvSink,
  read: CsvReadOptions & { facts?: RecordFactsRequest } = {},
): Promise<CsvReadResult> {
  const waiting = new Int32Array(new SharedArrayBuffer(4))
  const workerData: ReadThreadData = {
    file,
    settings,
    waiting,
    ...(read.maxBytes ? { maxBytes: read.maxBytes } : {}),
    ...(read.facts ? { facts: read.facts } : {}),
  }
  const worker = startWorker('csv-read-worker', 'electron/services/prepare/fast/read-worker.ts', {
    workerData,
    resourceLimits: HELPER_THREAD_LIMITS,
  })
  const view = new CsvRecordView()
  let bytesRead = 0
  return new Promise<CsvReadResult>((resolve, reject) => {
    let settled = false
    const finish = (outcome: () => void): void => {
      if (settled) return
      settled = true
      read.signal?.removeEventListener('abort', onAbort)
      worker.removeAllListeners('message')
      void worker.terminate()
      outcome()
    }
    const onAbort = (): void => finish(() => reject(read.signal!.reason))
    read.signal?.addEventListener('abort', onAbort, { once: true })
    worker.on('message', (message: ReadThreadMessage) => {
      if (settled) return
      try {
        if (message.type === 'records') {
          const goOn = replay(message, view, sink)
          bytesRead = message.bytesRead
          Atomics.sub(waiting, 0, 1)
          Atomics.notify(waiting, 0)
          if (!goOn) return finish(() => resolve({ complete: false, bytesRead, undecodable: false, positions: null }))
          read.onProgress?.(bytesRead, file.sizeBytes)
        } else if (message.type === 'end') {
          const { complete, undecodable, positions, charsRead } = message
          finish(() =>
            resolve({
              complete,
              bytesRead: message.bytesRead,
              ...(charsRead !== undefined ? { charsRead } : {}),
              undecodable,
              positions: positions ? Utf8Positions.fromNoted(positions) : null,
            }),
          )
        } else {
          const error = new Error(message.message)
          error.stack = message.stack
          finish(() => reject(error))
        }
      } catch (error) {
        finish(() => reject(error))
      }
    })
    worker.on('error', (error) => finish(() => reject(error)))
    worker.on('exit', (code) =>
      finish(() => reject(new Error(`The CSV read thread stopped unexpectedly (exit code ${code})`))),
    )
  })
}

/** Gives a batch's events to the sink; false when the sink asked to stop. */
function replay(batch: RecordBatch, view: CsvRecordView, sink: FastCsvSink): boolean {
  const { numbers, spans, rows, strings } = batch
  view.text = batch.text
  view.textNumber++
  view.positions = numbers
  view.addressBytes = batch.addresses
  let at = 0
  let nextRow = 0
  let nextString = 0
  for (let event = 0; event < batch.count; event++) {
    const kind = numbers[at]!
    const row = numbers[at + 1]!
    const start = spans[2 * event]!
    const end = spans[2 * event + 1]!
    let goOn: boolean | void
    if (kind === EVENT_RECORD) {
      const count = numbers[at + 2]!
      view.count = count
      view.plain = numbers[at + 3]!
      view.addressLength = numbers[at + 4]!
      view.addressHash = numbers[at + 5]!
      view.addressFrom = numbers[at + 6]!
      view.addressAsIs = numbers[at + 7] === 1
      view.lineStart = numbers[at + 8]!
      view.lineEnd = numbers[at + 9]!
      view.offset = at + EVENT_HEAD
      at += EVENT_HEAD + count * VIEW_CELL_STRIDE
      goOn = sink.record ? sink.record(view, row, start, end) : sink.row(view.cells(), row, start, end, view.plain)
    } else {
      at += 2
      if (kind === EVENT_ROW) goOn = sink.row(rows[nextRow++]!, row, start, end)
      else {
        goOn = sink.malformed(strings[nextString]!, row, strings[nextString + 1]!)
        nextString += 2
      }
    }
    if (goOn === false) return false
  }
  return true
}

/** Collects the parser's events into batches (the read thread's side). */
export class BatchWriter implements FastCsvSink {
  private batch = newBatch()
  private numbers = new Int32Array(64 * 1024)
  private spans = new Float64Array(8 * 1024)
  private at = 0
  private textNumber = -1
  bytesRead = 0

  private addresses = new Uint8Array(64 * 1024)
  private addressesUsed = 0
  /** Where plainAddressKind writes the address of the record at hand. */
  private readonly address: AddressBytesOut = { bytes: this.addresses, at: 0, hash: 0 }

  constructor(
    private readonly send: (batch: RecordBatch) => void,
    private readonly facts?: RecordFactsRequest,
  ) {}

  record(view: CsvRecordView, row: number, start: number, end: number): void {
    if (view.textNumber !== this.textNumber) {
      // One text per batch.
      if (this.textNumber !== -1) this.flush()
      this.textNumber = view.textNumber
      this.batch.text = view.text
    }
    const cellNumbers = view.count * VIEW_CELL_STRIDE
    const at = this.room(EVENT_HEAD + cellNumbers)
    const numbers = this.numbers
    numbers[at] = EVENT_RECORD
    numbers[at + 1] = row
    numbers[at + 2] = view.count
    numbers[at + 3] = view.plain
    this.addFacts(view, at)
    const positions = view.positions
    for (let i = 0, from = view.offset, to = at + EVENT_HEAD; i < cellNumbers; i++)
      numbers[to + i] = positions[from + i]!
    this.span(start, end)
  }

  row(cells: string[], row: number, start: number, end: number): void {
    const at = this.room(2)
    this.numbers[at] = EVENT_ROW
    this.numbers[at + 1] = row
    this.batch.rows.push(cells)
    this.span(start, end)
  }

  malformed(raw: string, row: number, detail: string): void {
    const at = this.room(2)
    this.numbers[at] = EVENT_MALFORMED
    this.numbers[at + 1] = row
    this.batch.strings.push(raw, detail)
    this.span(0, 0)
  }

  /** Works out the record's facts (see RecordFactsRequest) into its numbers at `at`. */
  private addFacts(view: CsvRecordView, at: number): void {
    const numbers = this.numbers
    numbers[at + 4] = ADDRESS_UNKNOWN
    numbers[at + 8] = -1
    const facts = this.facts
    if (!facts) return
    const column = facts.addressColumn
    const start = column < view.count ? view.valueStart(column) : 0
    const end = column < view.count ? view.valueEnd(column) : 0
    if (this.addressesUsed + MAX_EMAIL_LENGTH > this.addresses.length) {
      const addresses = new Uint8Array(this.addresses.length * 2)
      addresses.set(this.addresses.subarray(0, this.addressesUsed))
      this.addresses = addresses
      this.address.bytes = addresses
    }
    const from = this.addressesUsed
    this.address.at = from
    const kind = plainAddressKind(view.text, start, end, this.address)
    if (kind === NOT_PLAIN) {
      numbers[at + 4] = ADDRESS_NONE
      return
    }
    const length = end - start
    numbers[at + 4] = length
    numbers[at + 5] = this.address.hash
    numbers[at + 6] = from
    this.addressesUsed += length
    const asIs = kind === PLAIN_LOWER
    numbers[at + 7] = asIs ? 1 : 0
    if (asIs && view.isOnePiece(facts.lineColumns, facts.commaSeparated)) {
      const last = facts.lineColumns[facts.lineColumns.length - 1]!
      numbers[at + 8] = view.rawStart(facts.lineColumns[0]!)
      numbers[at + 9] = view.rawEnd(last)
    }
  }

  /** Sends what has been collected. */
  flush(): void {
    const batch = this.batch
    if (batch.count === 0) return
    batch.numbers = this.numbers.slice(0, this.at)
    batch.spans = this.spans.slice(0, 2 * batch.count)
    batch.bytesRead = this.bytesRead
    batch.addresses = this.addresses.slice(0, this.addressesUsed)
    this.addressesUsed = 0
    this.send(batch)
    this.batch = newBatch()
    this.at = 0
    this.textNumber = -1
  }

  /** Makes room for `size` more numbers; returns where they go. */
  private room(size: number): number {
    if (this.at + size > this.numbers.length) {
      const numbers = new Int32Array(Math.max(this.numbers.length * 2, this.at + size))
      numbers.set(this.numbers.subarray(0, this.at))
      this.numbers = numbers
    }
    const at = this.at
    this.at += size
    return at
  }

  private span(start: number, end: number): void {
    const i = this.batch.count++
    if (2 * i + 2 > this.spans.length) {
      const spans = new Float64Array(this.spans.length * 2)
      spans.set(this.spans)
      this.spans = spans
    }
    this.spans[2 * i] = start
    this.spans[2 * i + 1] = end
  }
}

function newBatch(): RecordBatch {
  return {
    type: 'records',
    text: '',
    bytesRead: 0,
    count: 0,
    numbers: new Int32Array(0),
    spans: new Float64Array(0),
    addresses: new Uint8Array(0),
    rows: [],
    strings: [],
  }
}
