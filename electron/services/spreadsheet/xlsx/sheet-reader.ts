import { formatNumber, type NumberStyle } from './number-format'
import { createXmlParser } from './xml'
import type { Workbook, WorkbookSheet } from './workbook'

/**
 * Marks a shared-string cell whose text is not loaded yet (`\u0000` + index). XML text can never
 * contain U+0000, so the marker cannot collide with a real value.
 */
export const DEFERRED_STRING = '\u0000'

export interface SheetReadOptions {
  /** The workbook's shared strings, or 'defer' to get {@link DEFERRED_STRING} markers instead. */
  sharedStrings: readonly string[] | 'defer'
  signal?: AbortSignal
  /** Uncompressed bytes of sheet XML read so far, out of `total`. */
  onBytes?(done: number, total: number): void
}

/**
 * Streams the rows of one sheet in order. Each row comes with its Excel row number (from the
 * file, so skipped rows keep their numbers) and every cell as the text a person sees: cached
 * results for formulas, TRUE/FALSE for booleans, numbers through their number format. Cells that
 * only carry formatting don't count, so a stated dimension larger than the content changes nothing.
 * `onRow` returns false to stop.
 */
export async function readSheetRows(
  workbook: Workbook,
  sheet: WorkbookSheet,
  onRow: (cells: string[], row: number) => boolean | void,
  options: SheetReadOptions,
): Promise<void> {
  const { styles, date1904 } = workbook
  const strings = options.sharedStrings
  let stopped = false
  let rowNumber = 0
  let cells: string[] = []
  let column = -1
  let type = ''
  let style: NumberStyle | undefined
  let value = ''
  let hasValue = false
  let capture = false // inside <v> or the <t> of an inline string
  let inInline = false
  let inPhonetic = false

  const parser = createXmlParser({
    open: (name, attributes) => {
      switch (name) {
        case 'row':
          rowNumber = attributes.r ? Number(attributes.r) : rowNumber + 1
          cells = []
          column = -1
          break
        case 'c':
          column = attributes.r ? columnIndex(attributes.r) : column + 1
          type = attributes.t ?? 'n'
          style = attributes.s ? styles[Number(attributes.s)] : undefined
          value = ''
          hasValue = false
          break
        case 'v':
          capture = true
          hasValue = true
          break
        case 'is':
          inInline = true
          hasValue = true
          break
        case 'rPh':
          inPhonetic = true
          break
        case 't':
          if (inInline && !inPhonetic) capture = true
          break
      }
    },
    text: (text) => {
      if (capture) value += text
    },
    close: (name) => {
      switch (name) {
        case 'v':
        case 't':
          capture = false
          break
        case 'is':
          inInline = false
          break
        case 'rPh':
          inPhonetic = false
          break
        case 'c':
          if (hasValue) {
            const text = cellText(type, value, style, date1904, strings)
            if (text !== '') {
              while (cells.length < column) cells.push('')
              cells[column] = text
            }
          }
          break
        case 'row':
          if (!stopped && onRow(cells, rowNumber) === false) stopped = true
          break
      }
    },
  })

  const total = workbook.zip.size(sheet.part)
  await workbook.zip.streamText(
    sheet.part,
    (text) => {
      parser.write(text)
      return !stopped
    },
    options.onBytes ? (done) => options.onBytes!(done, total) : undefined,
    options.signal,
  )
  if (!stopped) parser.close()
}

function cellText(
  type: string,
  raw: string,
  style: NumberStyle | undefined,
  date1904: boolean,
  strings: readonly string[] | 'defer',
): string {
  switch (type) {
    case 's': {
      if (strings === 'defer') return `${DEFERRED_STRING}${raw.trim()}`
      return strings[Number(raw)] ?? ''
    }
    case 'b':
      return raw.trim() === '1' || raw.trim().toLowerCase() === 'true' ? 'TRUE' : 'FALSE'
    case 'inlineStr':
    case 'str':
    case 'e':
      return raw
    case 'd':
      return raw.replace(/T00:00:00(?:\.0+)?Z?$/, '')
    default:
      return style ? formatNumber(raw, style, date1904) : formatNumber(raw, { kind: 'general' }, date1904)
  }
}

/** `"C12"` → 2 (0-based column of a cell reference). */
export function columnIndex(reference: string): number {
  let index = 0
  for (let i = 0; i < reference.length; i++) {
    const code = reference.charCodeAt(i)
    if (code >= 65 && code <= 90) index = index * 26 + (code - 64)
    else if (code >= 97 && code <= 122) index = index * 26 + (code - 96)
    else break
  }
  return index - 1
}
