import { MAX_COLUMNS, MAX_ROW_NUMBER } from '../../../../shared/prepare/schemas'
import { describeWorkbookDamage, WorkbookDamage } from './damage'
import { formatNumber, type NumberStyle } from './number-format'
import { createXmlParser, MAX_XML_RUN_CHARS } from './xml'
import { MAX_SHEET_BYTES, type Workbook, type WorkbookSheet } from './workbook'

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
  /** Stop after this many bytes of the sheet's XML (its rows so far are given). */
  maxBytes?: number
}

/**
 * Streams the rows of one sheet in order. Each row comes with its Excel row number (from the
 * file, so skipped rows keep their numbers) and every cell as the text a person sees: cached
 * results for formulas, TRUE/FALSE for booleans, numbers through their number format. Cells that
 * only carry formatting don't count, so a stated dimension larger than the content changes nothing.
 * `onRow` returns false to stop. Resolves with whether the read was cut at `maxBytes`.
 */
export async function readSheetRows(
  workbook: Workbook,
  sheet: WorkbookSheet,
  onRow: (cells: string[], row: number) => boolean | void,
  options: SheetReadOptions,
): Promise<{ cut: boolean }> {
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

  const where = (): string => `row ${rowNumber.toLocaleString('en-US')} of sheet “${sheet.name}”`
  const parser = createXmlParser({
    open: (name, attributes) => {
      switch (name) {
        case 'row':
          rowNumber = attributes.r ? rowNumberOf(attributes.r) : rowNumber + 1
          if (rowNumber > MAX_ROW_NUMBER) throw beyondLastRow()
          cells = []
          column = -1
          break
        case 'c': {
          // A cell without a reference (or one without letters) is the next one along.
          const stated = attributes.r ? columnIndex(attributes.r) : -1
          column = stated >= 0 ? stated : column + 1
          if (column >= MAX_COLUMNS) throw beyondLastColumn(attributes.r, where())
          type = attributes.t ?? 'n'
          style = attributes.s ? styles[Number(attributes.s)] : undefined
          value = ''
          hasValue = false
          break
        }
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
      if (!capture) return
      // An inline string's rich text comes in runs: their sum is bounded like one run.
      if (value.length + text.length > MAX_XML_RUN_CHARS) throw new WorkbookDamage('cell')
      value += text
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
            const text = cellText(type, value, style, date1904, strings, workbook, where)
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
  let bytes = 0
  let cut = false
  try {
    await workbook.zip.streamText(
      sheet.part,
      MAX_SHEET_BYTES,
      (text) => {
        parser.write(text)
        cut = !stopped && options.maxBytes !== undefined && bytes >= options.maxBytes
        return !stopped && !cut
      },
      (done) => {
        bytes = done
        options.onBytes?.(done, total)
      },
      options.signal,
    )
    if (!stopped && !cut) parser.close()
    return { cut }
  } catch (error) {
    throw describeWorkbookDamage(error, workbook.fileName, rowNumber > 0 ? where() : `sheet “${sheet.name}”`)
  }
}

/** A row's `r`: a whole number from 1 to Excel's last row. */
function rowNumberOf(text: string): number {
  const row = /^\s*\d{1,8}\s*$/.test(text) ? Number(text) : Number.NaN
  if (row >= 1 && row <= MAX_ROW_NUMBER) return row
  throw beyondLastRow(text)
}

function beyondLastRow(text?: string): WorkbookDamage {
  const what = text === undefined ? 'more rows' : `a row numbered “${text.slice(0, 20)}”`
  return new WorkbookDamage(
    'damaged',
    `a sheet has ${what}, past row ${MAX_ROW_NUMBER.toLocaleString('en-US')}, the last a sheet can have`,
  )
}

function beyondLastColumn(reference: string | undefined, where: string): WorkbookDamage {
  const cell = reference === undefined ? 'a cell' : `a cell at “${reference.slice(0, 20)}”`
  return new WorkbookDamage(
    'damaged',
    `${where} has ${cell}, past XFD, the last of a sheet's ${MAX_COLUMNS.toLocaleString('en-US')} columns`,
  )
}

function cellText(
  type: string,
  raw: string,
  style: NumberStyle | undefined,
  date1904: boolean,
  strings: readonly string[] | 'defer',
  workbook: Workbook,
  where: () => string,
): string {
  switch (type) {
    case 's': {
      if (strings === 'defer') return `${DEFERRED_STRING}${raw.trim()}`
      return workbook.sharedString(strings, raw, where)
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

/**
 * `"C12"` → 2 (0-based column of a cell reference). Counting stops past Excel's last column, so a
 * reference of any length gives a number that says "too far"; one without letters gives -1.
 */
function columnIndex(reference: string): number {
  let index = 0
  for (let i = 0; i < reference.length && index <= MAX_COLUMNS; i++) {
    const code = reference.charCodeAt(i)
    if (code >= 65 && code <= 90) index = index * 26 + (code - 64)
    else if (code >= 97 && code <= 122) index = index * 26 + (code - 96)
    else break
  }
  return index - 1
}
