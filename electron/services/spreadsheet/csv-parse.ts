import Papa from 'papaparse'
import type { Delimiter } from '../../../shared/prepare/schemas'

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
   * found again later without parsing the file (see parseRecordTexts). Return false to stop reading.
   */
  row(cells: string[], row: number, start: number, end: number): boolean | void
  /** A record that could not be read; `raw` is its first line. */
  malformed(raw: string, row: number, detail: string): boolean | void
}

export interface CsvParseSettings {
  delimiter: Delimiter
  newline: '\n' | '\r'
  /** Columns in the table; a multi-line record wider than this is taken as a quoting accident. */
  expectedWidth?: number
}

/** A record longer than this (in characters) without ending is taken as an unterminated quote. */
export const MAX_RECORD_CHARS = 4 * 1024 * 1024

export class CsvChunkParser {
  private carry = ''
  /** Characters of decoded text before `carry`. */
  protected base = 0
  protected nextRow = 1
  protected stopped = false

  constructor(
    protected readonly settings: CsvParseSettings,
    protected readonly sink: CsvSink,
  ) {}

  get isStopped(): boolean {
    return this.stopped
  }

  /** Feeds decoded text. */
  push(text: string): void {
    if (this.stopped) return
    const rest = this.skipRestOfLine(text)
    if (rest.length === 0) return
    // Joined rather than added: `a + b` makes a string of two parts, which every character read
    // (and there are several per character) has to look through; join makes one flat string.
    this.carry = this.carry.length === 0 ? rest : [this.carry, rest].join('')
    let consumed = this.parseAvailable(this.carry, false)
    while (!this.stopped && this.carry.length - consumed > MAX_RECORD_CHARS) {
      // One record has run on for megabytes: an opening quote that never closes, or one very long line.
      const lineEnd = this.carry.indexOf(this.settings.newline, consumed)
      const detail =
        lineEnd === -1
          ? `the line is longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters, more than one row can hold`
          : 'a quote (") opens a cell that is never closed'
      consumed = this.skipBrokenLine(this.carry, consumed, detail)
      // The line goes on in text still to come: all of it is this one malformed row.
      if (lineEnd === -1) this.skippingLine = true
      consumed = this.parseFrom(this.carry, consumed, false)
    }
    this.carry = this.carry.slice(consumed)
    this.base += consumed
  }

  /** The rest of a line reported as malformed, still coming in: not a row of its own. */
  private skippingLine = false

  /** Drops the start of `text` that ends the line being skipped; returns what follows it. */
  private skipRestOfLine(text: string): string {
    if (!this.skippingLine) return text
    const lineEnd = text.indexOf(this.settings.newline)
    const skipped = lineEnd === -1 ? text.length : lineEnd + 1
    this.skippingLine = lineEnd === -1
    this.base += skipped
    return skipped === 0 ? text : text.slice(skipped)
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
      if (!isLast) {
        // A faster reader may take the usual records first; papaparse takes over (for the rest of
        // this piece of text) from the first record it is not sure about.
        offset = this.readUsualRecords(text, offset)
        if (this.stopped) return text.length
        if (this.usualIncomplete) return offset
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

  /**
   * Where a faster reader of the usual records plugs in (see prepare/fast/csv-parser.ts): reads
   * records from `start` for as long as each is sure to come out of papaparse exactly the same, and
   * returns where it stopped, setting {@link usualIncomplete} when that is a record the text does
   * not finish. This parser leaves every record to papaparse.
   */
  protected readUsualRecords(_text: string, start: number): number {
    return start
  }

  /** Whether the last {@link readUsualRecords} stopped at a record that the text does not finish. */
  protected usualIncomplete = false

  /** Reports the line starting at `start` as malformed; returns where the next line starts. */
  protected skipBrokenLine(text: string, start: number, detail: string): number {
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
