import Papa from 'papaparse'
import type { Delimiter } from '../../../shared/prepare/types'

/**
 * Incremental CSV parsing on top of papaparse's own parser: text goes in chunk by chunk, records
 * come out one by one with their Excel row number. Unlike a plain papaparse stream it never lets
 * one broken record take the rest of the file with it: a record papaparse reports as broken
 * (an unterminated or stray quote), or one that swallowed several lines, is reported as
 * malformed with its first line, and parsing starts again on the next line.
 */

export interface CsvSink {
  /**
   * A record. `start`/`end` are its position in the whole decoded text (characters), so it can be
   * found again later without parsing the file (see readCsvSpans). Return false to stop reading.
   * `plain`, when given, has bit i set (for i < 31) when cell i is sure to hold none of `"`, `,`,
   * CR and LF, so writing it as CSV needs no check (see {@link PLAIN_CELL_BITS}).
   */
  row(cells: string[], row: number, start: number, end: number, plain?: number): boolean | void
  /**
   * When given, takes the records the fast path reads instead of {@link row}: the same record,
   * before any of its cells has been cut out of the text, so a sink that needs only some cells
   * makes only those (see {@link CsvRecordView}). The view is reused for the next record.
   */
  record?(view: CsvRecordView, row: number, start: number, end: number): boolean | void
  /** A record that could not be read; `raw` is its first line. */
  malformed(raw: string, row: number, detail: string): boolean | void
}

export interface CsvParseSettings {
  delimiter: Delimiter
  newline: '\n' | '\r'
  /** Columns in the table; a multi-line record wider than this is taken as a quoting accident. */
  expectedWidth?: number
  /** False reads every record with papaparse, without the fast path (for tests that compare the two). */
  fastPath?: boolean
}

/** Cells a record's `plain` bit mask covers (see CsvSink.row). */
export const PLAIN_CELL_BITS = 31

/** A record longer than this (in characters) without ending is taken as an unterminated quote. */
export const MAX_RECORD_CHARS = 4 * 1024 * 1024

export class CsvChunkParser {
  private carry = ''
  /** Characters of decoded text before `carry`. */
  private base = 0
  private nextRow = 1
  private stopped = false

  constructor(
    private readonly settings: CsvParseSettings,
    private readonly sink: CsvSink,
  ) {}

  get rowsSeen(): number {
    return this.nextRow - 1
  }

  get isStopped(): boolean {
    return this.stopped
  }

  /** Feeds decoded text. */
  push(text: string): void {
    if (this.stopped) return
    // Joined rather than added: `a + b` makes a string of two parts, which every character read
    // (and there are several per character) has to look through; join makes one flat string.
    this.carry = this.carry.length === 0 ? text : [this.carry, text].join('')
    let consumed = this.parseAvailable(this.carry, false)
    while (!this.stopped && this.carry.length - consumed > MAX_RECORD_CHARS) {
      // One record has run on for megabytes: an opening quote that never closes.
      consumed = this.skipBrokenLine(this.carry, consumed, 'a quote (") opens a cell that is never closed')
      consumed = this.parseFrom(this.carry, consumed, false)
    }
    this.carry = this.carry.slice(consumed)
    this.base += consumed
  }

  /** Ends the input: the last record may have no line break after it. */
  end(): void {
    if (this.stopped) return
    const text = this.carry
    this.carry = ''
    if (text.length > 0) this.parseAvailable(text, true)
  }

  private parseAvailable(text: string, isLast: boolean): number {
    return this.parseFrom(text, 0, isLast)
  }

  /** Parses `text` from `start`; returns how far it got (the start of an unfinished record). */
  private parseFrom(text: string, start: number, isLast: boolean): number {
    let offset = start
    for (;;) {
      if (!isLast && this.settings.fastPath !== false) {
        // The usual records are read by the fast path; papaparse takes over (for the rest of this
        // piece of text) from the first record the fast path is not sure about.
        offset = this.parsePlain(text, offset)
        if (this.stopped) return text.length
        if (this.plainIncomplete) return offset
      }
      const input = offset === 0 ? text : text.slice(offset)
      let rowStart = 0
      let broken: { at: number; detail: string } | null = null
      const { newline, expectedWidth } = this.settings
      const parser: Papa.Parser = new Papa.Parser({
        delimiter: this.settings.delimiter,
        newline,
        step: (results: { data: string[][]; errors: Array<{ code: string }>; meta: { cursor: number } }) => {
          const cells = results.data[0]!
          const end = results.meta.cursor
          const detail =
            results.errors.length > 0
              ? describeError(results.errors[0]!.code)
              : expectedWidth && cells.length > expectedWidth && spansLines(cells)
                ? 'a quote (") seems to be missing, so several lines ran together'
                : null
          if (detail) {
            broken = { at: rowStart, detail }
            parser.abort()
            return
          }
          const start = rowStart
          rowStart = end
          if (newline === '\n') {
            const last = cells.length - 1
            const lastCell = cells[last]!
            if (lastCell.charCodeAt(lastCell.length - 1) === 13) cells[last] = lastCell.slice(0, -1)
          }
          const base = this.base + offset
          if (this.sink.row(cells, this.nextRow++, base + start, base + end) === false) {
            this.stopped = true
            parser.abort()
          }
        },
      })
      const result = parser.parse(input, 0, !isLast) as { meta: { cursor: number } }
      if (this.stopped) return text.length
      if (broken === null) return offset + (isLast ? input.length : result.meta.cursor)
      const { at, detail } = broken as { at: number; detail: string }
      offset = this.skipBrokenLine(text, offset + at, detail)
      if (this.stopped || offset >= text.length) return text.length
    }
  }

  /** The record the fast path is reading. */
  private readonly view = new CsvRecordView()

  /** Whether the last {@link parsePlain} stopped at a record that the text does not finish. */
  private plainIncomplete = false

  /**
   * The fast path: reads well-formed records from `start` for as long as each one is certain to
   * come out of papaparse exactly the same (cells, span, errors): unquoted cells, and quoted cells
   * whose closing quote is followed at once by the delimiter or the line break (`""` inside is a
   * quote). Returns where it stopped: the end of the complete records, with
   * {@link plainIncomplete} set, or the start of the first record it leaves to papaparse (such as
   * one with a stray quote, or spaces after a closing quote). Only for text that is not the last.
   */
  private parsePlain(text: string, start: number): number {
    this.plainIncomplete = false
    const length = text.length
    const delimiter = this.settings.delimiter.charCodeAt(0)
    const crlf = this.settings.newline === '\n'
    const newline = crlf ? 10 : 13
    const expectedWidth = this.settings.expectedWidth
    const delimiterText = this.settings.delimiter
    const newlineText = this.settings.newline
    // The characters an output cell must be quoted for, other than the delimiter and line break
    // (which an unquoted cell cannot hold), and where each next occurs (-1: nowhere further).
    const specials = ['"', ',', '\r', '\n'].filter((c) => c !== delimiterText && c !== newlineText)
    const nextSpecial = specials.map((c) => text.indexOf(c, start))
    /** Which of them is the CR of a CRLF line break, which the last cell loses (-1: none). */
    const crlfSpecial = crlf ? specials.indexOf('\r') : -1
    /** No special character is at or after the current cell's start and before this. */
    let clearBefore = -1
    let nextDelimiter = text.indexOf(delimiterText, start)
    let nextNewline = text.indexOf(newlineText, start)
    let position = start
    const view = this.view
    view.text = text
    view.textNumber++
    record: while (position < length) {
      const recordStart = position
      view.count = 0
      let plain = 0
      let at = position
      let end: number
      for (;;) {
        // One cell, starting at `at`.
        if (text.charCodeAt(at) === 34 /* " */) {
          let quote = at
          let escaped = false
          for (;;) {
            quote = text.indexOf('"', quote + 1)
            if (quote === -1 || quote >= length - 1) {
              this.plainIncomplete = true
              return recordStart
            }
            if (text.charCodeAt(quote + 1) === 34) {
              escaped = true
              quote++
              continue
            }
            break
          }
          const after = text.charCodeAt(quote + 1)
          view.add(at + 1, quote, escaped ? QUOTED_WITH_QUOTES : QUOTED)
          if (after === delimiter) {
            at = quote + 2
            continue
          }
          if (after === newline) {
            end = quote + 2
            break
          }
          if (crlf && after === 13) {
            if (quote + 2 >= length) {
              this.plainIncomplete = true
              return recordStart
            }
            if (text.charCodeAt(quote + 2) === 10) {
              end = quote + 3
              break
            }
          }
          return recordStart // anything else after a closing quote: papaparse decides
        }
        // An unquoted cell: up to the next delimiter or line break, whichever comes first.
        if (nextDelimiter !== -1 && nextDelimiter < at) nextDelimiter = text.indexOf(delimiterText, at)
        if (nextNewline < at) {
          nextNewline = text.indexOf(newlineText, at)
          if (nextNewline === -1) {
            this.plainIncomplete = true
            return recordStart
          }
        }
        const isLast = nextDelimiter === -1 || nextNewline < nextDelimiter
        const i = isLast ? nextNewline : nextDelimiter
        // Plain unless it holds one of the characters CSV output must quote (a CRLF's CR aside).
        // Usually none occurs before the cell's end: one comparison says so.
        let special = false
        if (i > clearBefore) {
          clearBefore = length
          for (let k = 0; k < specials.length; k++) {
            let next = nextSpecial[k]!
            if (next !== -1 && next < at) next = nextSpecial[k] = text.indexOf(specials[k]!, at)
            if (next === -1) continue
            if (next < clearBefore) clearBefore = next
            if (next < i && !(k === crlfSpecial && isLast && next === i - 1)) special = true
          }
        }
        if (!special && view.count < PLAIN_CELL_BITS) plain |= 1 << view.count
        view.add(at, i, UNQUOTED)
        if (!isLast) {
          at = i + 1
          continue
        }
        end = i + 1
        break
      }
      position = end
      // A record wider than the table that holds a line feed (which can only be inside a cell,
      // before its own line break) is taken as lines that ran together.
      if (expectedWidth && view.count > expectedWidth && holdsLineFeed(text, recordStart, end - 1)) {
        position = this.skipBrokenLine(
          text,
          recordStart,
          'a quote (") seems to be missing, so several lines ran together',
        )
        if (this.stopped) return length
        // Back to the line after the record's first: where the next characters are is found again.
        nextDelimiter = text.indexOf(delimiterText, position)
        nextNewline = text.indexOf(newlineText, position)
        for (let k = 0; k < specials.length; k++) nextSpecial[k] = text.indexOf(specials[k]!, position)
        clearBefore = -1
        continue record
      }
      if (crlf) view.dropFinalCarriageReturn()
      view.plain = plain
      const row = this.nextRow++
      const goOn = this.sink.record
        ? this.sink.record(view, row, this.base + recordStart, this.base + end)
        : this.sink.row(view.cells(), row, this.base + recordStart, this.base + end, plain)
      if (goOn === false) {
        this.stopped = true
        return length
      }
    }
    this.plainIncomplete = true
    return position
  }

  /** Reports the line starting at `start` as malformed; returns where the next line starts. */
  private skipBrokenLine(text: string, start: number, detail: string): number {
    const lineEnd = text.indexOf(this.settings.newline, start)
    const end = lineEnd === -1 ? text.length : lineEnd
    let raw = text.slice(start, end)
    if (raw.endsWith('\r')) raw = raw.slice(0, -1)
    if (this.sink.malformed(raw, this.nextRow++, detail) === false) this.stopped = true
    return lineEnd === -1 ? text.length : lineEnd + 1
  }
}

/** Parses one record's text (as cut out with its start/end) into cells, exactly as the stream did. */
export function parseRecordText(text: string, settings: CsvParseSettings): string[] {
  let cells: string[] = []
  const parser = new CsvChunkParser(settings, {
    row(parsed) {
      cells = parsed.slice()
      return false
    },
    malformed(raw) {
      cells = [raw]
      return false
    },
  })
  parser.push(text)
  parser.end()
  return cells
}

/**
 * {@link parseRecordText} for many records at once, with one parser: each record's text ends
 * where the next one's starts (a record is never changed by what comes before or after it).
 */
export function parseRecordTexts(texts: readonly string[], settings: CsvParseSettings): string[][] {
  const records: string[][] = []
  const parser = new CsvChunkParser(settings, {
    row(cells) {
      records.push(cells.slice())
    },
    malformed(raw) {
      records.push([raw])
    },
  })
  for (const text of texts) {
    parser.push(text)
    // The last record of a file may have no line break of its own.
    if (!text.endsWith(settings.newline)) parser.push(settings.newline)
  }
  parser.end()
  // One record per text, or else (never expected) each text on its own.
  return records.length === texts.length ? records : texts.map((text) => parseRecordText(text, settings))
}

const DOUBLED_QUOTES = /""/g

function holdsLineFeed(text: string, from: number, to: number): boolean {
  const at = text.indexOf('\n', from)
  return at !== -1 && at < to
}

/** How a cell of a {@link CsvRecordView} is written in the file (bits). */
const UNQUOTED = 0
const QUOTED = 1
/** With quotes inside its quotes (written `""`). */
const QUOTED_WITH_QUOTES = QUOTED | 2
/** Its value lost a final CR, the CR of a CRLF line break. */
const CUT = 4

/** See CsvRecordView.addressLength. */
export const ADDRESS_UNKNOWN = -2
export const ADDRESS_NONE = -1
const NO_BYTES = new Uint8Array(0)

/** Numbers per cell in a {@link CsvRecordView}'s `positions`: value start, value end, kind. */
export const VIEW_CELL_STRIDE = 3

/**
 * A record read by the fast path, kept as positions in the text it was read from. Its cells are
 * the ones papaparse would give ({@link cell}, {@link cells}); the view can also tell when a cell
 * would be written to comma-separated output exactly as it stands in the file
 * ({@link isWrittenAsIs}), so neighbouring cells can be copied as one piece of text.
 *
 * The positions are packed in one array ({@link VIEW_CELL_STRIDE} numbers per cell from
 * {@link offset}), so a record can be handed to another thread and looked at there as it is
 * (see csv-read-thread.ts).
 */
export class CsvRecordView {
  /** The decoded text the record is in. */
  text = ''
  /** Changes when {@link text} is set, so a reader can tell a new text without comparing texts. */
  textNumber = 0
  /** Number of cells. */
  count = 0
  /** Bit i set (i < {@link PLAIN_CELL_BITS}) when cell i is unquoted and holds none of `"`, `,`, CR and LF. */
  plain = 0
  /** Per cell: where its value starts and ends in {@link text} (with `""` still doubled), and its kind. */
  positions: Int32Array = new Int32Array(16 * VIEW_CELL_STRIDE)
  /** Where the record's first cell is in {@link positions}. */
  offset = 0

  // What a read thread worked out for the record besides its cells, when asked (see RecordFactsRequest
  // in csv-read-thread.ts). Without a read thread: ADDRESS_UNKNOWN and no line.
  /** Length of the plain address of the address column (see plainAddressKind), ADDRESS_NONE, or ADDRESS_UNKNOWN. */
  addressLength = ADDRESS_UNKNOWN
  /** The address, lower-cased, one byte per character, at addressBytes[addressFrom..+addressLength). */
  addressBytes: Uint8Array = NO_BYTES
  addressFrom = 0
  /** Its hash (see address-hash.ts). */
  addressHash = 0
  /** Whether the address is the cell's text as it stands (nothing to lower-case). */
  addressAsIs = false
  /** When the record's output line is one piece of {@link text} (see {@link isOnePiece}): where; else -1. */
  lineStart = -1
  lineEnd = -1

  /** Adds a cell whose value is text[valueStart..valueEnd) (with `""` still doubled). */
  add(valueStart: number, valueEnd: number, kind: number): void {
    const at = this.offset + this.count++ * VIEW_CELL_STRIDE
    if (at + VIEW_CELL_STRIDE > this.positions.length) this.grow()
    const cells = this.positions
    cells[at] = valueStart
    cells[at + 1] = valueEnd
    cells[at + 2] = kind
  }

  /** The last cell loses a final CR: the CR of a CRLF line break (papaparse splits at the LF). */
  dropFinalCarriageReturn(): void {
    const at = this.offset + (this.count - 1) * VIEW_CELL_STRIDE
    const cells = this.positions
    const end = cells[at + 1]!
    if (end > cells[at]! && this.text.charCodeAt(end - 1) === 13) {
      cells[at + 1] = end - 1
      cells[at + 2]! |= CUT
    }
  }

  /** Cell i's value; '' beyond the last cell. */
  cell(i: number): string {
    if (i >= this.count) return ''
    const at = this.offset + i * VIEW_CELL_STRIDE
    const cells = this.positions
    const value = this.text.slice(cells[at]!, cells[at + 1]!)
    return (cells[at + 2]! & QUOTED_WITH_QUOTES) === QUOTED_WITH_QUOTES ? value.replace(DOUBLED_QUOTES, '"') : value
  }

  /** Every cell's value, in a new array. */
  cells(): string[] {
    const cells = new Array<string>(this.count)
    for (let i = 0; i < this.count; i++) cells[i] = this.cell(i)
    return cells
  }

  /**
   * Whether cell i, trimmed and written to comma-separated output (quoted only when it holds `"`,
   * `,`, CR or LF), is exactly its text in the file: {@link rawStart}..{@link rawEnd}. Then the
   * value has no space to trim at either end, and it is quoted in the file just when it must be,
   * with its quotes doubled. False when unsure.
   */
  isWrittenAsIs(i: number): boolean {
    if (i >= this.count) return false
    const at = this.offset + i * VIEW_CELL_STRIDE
    const cells = this.positions
    const start = cells[at]!
    const end = cells[at + 1]!
    const kind = cells[at + 2]!
    if (
      start < end &&
      !(isPrintableAscii(this.text.charCodeAt(start)) && isPrintableAscii(this.text.charCodeAt(end - 1)))
    )
      return false
    // An unquoted cell's value is its text (a CRLF's CR is not part of either).
    if ((kind & QUOTED) === 0)
      return i < PLAIN_CELL_BITS ? ((this.plain >>> i) & 1) === 1 : !this.holdsSpecial(start, end)
    // A quoted one's text is `"` + value + `"`: right when the value must be quoted.
    if (kind & CUT) return false
    return kind === QUOTED_WITH_QUOTES || this.holdsSpecial(start, end)
  }

  /** Where cell i's value starts in {@link text} (quotes inside still doubled). */
  valueStart(i: number): number {
    return this.positions[this.offset + i * VIEW_CELL_STRIDE]!
  }

  /** Where cell i's value ends in {@link text}. */
  valueEnd(i: number): number {
    return this.positions[this.offset + i * VIEW_CELL_STRIDE + 1]!
  }

  /**
   * Whether the cells `columns`, each trimmed and written to CSV output one after the other, are
   * exactly one piece of {@link text}: each written as it stands ({@link isWrittenAsIs}) and, with
   * more than one, neighbours in a comma-separated file. The piece is rawStart(first)..rawEnd(last).
   */
  isOnePiece(columns: readonly number[], commaSeparated: boolean): boolean {
    if (columns.length === 0) return false
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i]!
      if (!this.isWrittenAsIs(column)) return false
      if (i > 0 && !(commaSeparated && column === columns[i - 1]! + 1)) return false
    }
    return true
  }

  /** Where cell i's text starts in {@link text}: its opening quote when quoted. */
  rawStart(i: number): number {
    const at = this.offset + i * VIEW_CELL_STRIDE
    return this.positions[at + 2]! & QUOTED ? this.positions[at]! - 1 : this.positions[at]!
  }

  /** Where cell i's text ends in {@link text}: after its closing quote when quoted. */
  rawEnd(i: number): number {
    const at = this.offset + i * VIEW_CELL_STRIDE
    return this.positions[at + 2]! & QUOTED ? this.positions[at + 1]! + 1 : this.positions[at + 1]!
  }

  private holdsSpecial(start: number, end: number): boolean {
    for (let at = start; at < end; at++) {
      const c = this.text.charCodeAt(at)
      if (c === 34 || c === 44 || c === 13 || c === 10) return true
    }
    return false
  }

  private grow(): void {
    const cells = new Int32Array(this.positions.length * 2)
    cells.set(this.positions)
    this.positions = cells
  }
}

/** Neither a space nor a control character nor beyond ASCII: no trimming can remove it. */
function isPrintableAscii(code: number): boolean {
  return code > 32 && code < 127
}

function spansLines(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.includes('\n')) return true
  return false
}

function describeError(code: string): string {
  if (code === 'MissingQuotes') return 'a quote (") opens a cell that is never closed'
  if (code === 'InvalidQuotes') return 'a quote (") is in the wrong place inside a cell'
  return 'its cells are not separated the way the rest of the file is'
}

/** The line break of a text: `\n` (also covers `\r\n`, whose `\r` is dropped) or old Mac `\r`. */
export function detectNewline(sample: string): '\n' | '\r' {
  return sample.includes('\n') || !sample.includes('\r') ? '\n' : '\r'
}
