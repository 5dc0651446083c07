import { CsvChunkParser, type CsvParseSettings, type CsvSink } from '../../spreadsheet/csv-parse'
import { CsvRecordView, PLAIN_CELL_BITS, QUOTED, QUOTED_WITH_QUOTES, UNQUOTED } from './record-view'

/** What the fast path gives its records to: a {@link CsvSink} that may take them as views. */
export interface FastCsvSink extends CsvSink {
  /**
   * A record, as CsvSink.row. `plain`, when given, has bit i set (for i < {@link PLAIN_CELL_BITS})
   * when cell i is sure to hold none of `"`, `,`, CR and LF, so writing it as CSV needs no check.
   */
  row(cells: string[], row: number, start: number, end: number, plain?: number): boolean | void
  /**
   * When given, takes the records the fast path reads instead of {@link row}: the same record,
   * before any of its cells has been cut out of the text, so a sink that needs only some cells
   * makes only those (see {@link CsvRecordView}). The view is reused for the next record.
   */
  record?(view: CsvRecordView, row: number, start: number, end: number): boolean | void
}

/**
 * The CSV parser with the fast path: the usual records are read here, as positions in the text
 * (see {@link CsvRecordView}), and only the rest by papaparse. Every record comes out exactly as
 * the plain {@link CsvChunkParser} gives it (tests compare the two on generated text).
 */
export class FastCsvParser extends CsvChunkParser {
  constructor(
    settings: CsvParseSettings,
    private readonly records: FastCsvSink,
  ) {
    super(settings, records)
  }

  /** The record the fast path is reading. */
  private readonly view = new CsvRecordView()

  /**
   * The fast path: reads well-formed records from `start` for as long as each one is certain to
   * come out of papaparse exactly the same (cells, span, errors): unquoted cells, and quoted cells
   * whose closing quote is followed at once by the delimiter or the line break (`""` inside is a
   * quote). Returns where it stopped: the end of the complete records, with
   * {@link usualIncomplete} set, or the start of the first record it leaves to papaparse (such as
   * one with a stray quote, or spaces after a closing quote). Only for text that is not the last.
   */
  protected override readUsualRecords(text: string, start: number): number {
    this.usualIncomplete = false
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
              this.usualIncomplete = true
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
              this.usualIncomplete = true
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
            this.usualIncomplete = true
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
      const goOn = this.records.record
        ? this.records.record(view, row, this.base + recordStart, this.base + end)
        : this.records.row(view.cells(), row, this.base + recordStart, this.base + end, plain)
      if (goOn === false) {
        this.stopped = true
        return length
      }
    }
    this.usualIncomplete = true
    return position
  }
}

function holdsLineFeed(text: string, from: number, to: number): boolean {
  const at = text.indexOf('\n', from)
  return at !== -1 && at < to
}
