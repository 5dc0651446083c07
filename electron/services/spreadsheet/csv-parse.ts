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
    this.carry = this.carry.length === 0 ? text : this.carry + text
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
          const detail = results.errors.length > 0 ? describeError(results.errors[0]!.code) : expectedWidth && cells.length > expectedWidth && spansLines(cells) ? 'a quote (") seems to be missing, so several lines ran together' : null
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
    let nextDelimiter = text.indexOf(delimiterText, start)
    let nextNewline = text.indexOf(newlineText, start)
    let position = start
    record: while (position < length) {
      const recordStart = position
      const cells: string[] = []
      let plain = 0
      let at = position
      let end = -1
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
          const value = escaped ? text.slice(at + 1, quote).replace(DOUBLED_QUOTES, '"') : text.slice(at + 1, quote)
          const after = text.charCodeAt(quote + 1)
          cells.push(value)
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
        let special = false
        for (let k = 0; k < specials.length; k++) {
          let next = nextSpecial[k]!
          if (next !== -1 && next < at) next = nextSpecial[k] = text.indexOf(specials[k]!, at)
          if (next !== -1 && next < i && !(k === crlfSpecial && isLast && next === i - 1)) {
            special = true
            break
          }
        }
        if (!special && cells.length < PLAIN_CELL_BITS) plain |= 1 << cells.length
        cells.push(text.slice(at, i))
        if (!isLast) {
          at = i + 1
          continue
        }
        end = i + 1
        break
      }
      position = end
      if (expectedWidth && cells.length > expectedWidth && spansLines(cells)) {
        position = this.skipBrokenLine(text, recordStart, 'a quote (") seems to be missing, so several lines ran together')
        if (this.stopped) return length
        // Back to the line after the record's first: where the next characters are is found again.
        nextDelimiter = text.indexOf(delimiterText, position)
        nextNewline = text.indexOf(newlineText, position)
        for (let k = 0; k < specials.length; k++) nextSpecial[k] = text.indexOf(specials[k]!, position)
        continue record
      }
      if (crlf) {
        const last = cells.length - 1
        const lastCell = cells[last]!
        if (lastCell.charCodeAt(lastCell.length - 1) === 13) cells[last] = lastCell.slice(0, -1)
      }
      if (this.sink.row(cells, this.nextRow++, this.base + recordStart, this.base + end, plain) === false) {
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

const DOUBLED_QUOTES = /""/g

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
