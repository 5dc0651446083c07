/** Cells a record's `plain` bit mask covers (see CsvRecordView.plain). */
export const PLAIN_CELL_BITS = 31

const DOUBLED_QUOTES = /""/g

/** How a cell of a {@link CsvRecordView} is written in the file (bits). */
export const UNQUOTED = 0
export const QUOTED = 1
/** With quotes inside its quotes (written `""`). */
export const QUOTED_WITH_QUOTES = QUOTED | 2
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
 * (see read-thread.ts).
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
  // in read-thread.ts). Without a read thread: ADDRESS_UNKNOWN and no line.
  /** Length of the plain address of the address column (see plainAddressKind), ADDRESS_NONE, or ADDRESS_UNKNOWN. */
  addressLength = ADDRESS_UNKNOWN
  /** The address, lower-cased, one byte per character, at addressBytes[addressFrom..+addressLength). */
  addressBytes: Uint8Array = NO_BYTES
  addressFrom = 0
  /** Its hash (see ../address-table.ts). */
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

  /**
   * At least as long as cell i's value, trimmed (in UTF-16 units): its text in the file, quotes
   * still doubled. A value this short is certainly within a length limit. 0 beyond the last cell.
   */
  lengthAtMost(i: number): number {
    if (i >= this.count) return 0
    const at = this.offset + i * VIEW_CELL_STRIDE
    return this.positions[at + 1]! - this.positions[at]!
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
