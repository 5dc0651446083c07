import Papa from 'papaparse'
import { CC_LIMITS } from '../constant-contact/limits'
import type { ImportItem } from './records'

/**
 * How many elements of the top-level `import_data` array end within the first `limitBytes` bytes of
 * a raw JSON body. Constant Contact imports "only the contacts contained in the first 4 MB" and
 * drops the rest without an error; this finds that cut on the bytes the client actually sent.
 * It scans bytes, not characters: every byte that matters here (quotes, backslashes, brackets) is
 * ASCII, and UTF-8 never reuses those values inside a multi-byte character.
 */
export function importDataElementsWithin(raw: Uint8Array, limitBytes: number): number {
  const QUOTE = 0x22,
    BACKSLASH = 0x5c,
    COLON = 0x3a,
    COMMA = 0x2c
  const OPEN_BRACE = 0x7b,
    CLOSE_BRACE = 0x7d,
    OPEN_BRACKET = 0x5b,
    CLOSE_BRACKET = 0x5d
  let depth = 0
  let inString = false
  let stringStart = -1
  let lastKey = ''
  let lastStringAtDepth1 = ''
  let inImportData = false
  let count = 0
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!
    if (inString) {
      if (b === BACKSLASH) i++
      else if (b === QUOTE) {
        inString = false
        if (depth === 1) lastStringAtDepth1 = Buffer.from(raw.subarray(stringStart, i)).toString('utf8')
        // A bare string element (not a contact object, but it still takes its place in the array).
        if (inImportData && depth === 2 && i < limitBytes) count++
      }
      continue
    }
    switch (b) {
      case QUOTE:
        inString = true
        stringStart = i + 1
        break
      case COLON:
        if (depth === 1) lastKey = lastStringAtDepth1
        break
      case OPEN_BRACE:
      case OPEN_BRACKET:
        depth++
        if (b === OPEN_BRACKET && depth === 2 && lastKey === 'import_data') inImportData = true
        break
      case CLOSE_BRACE:
      case CLOSE_BRACKET:
        depth--
        if (inImportData && depth === 2 && b === CLOSE_BRACE) {
          // an object element ended at byte i
          if (i < limitBytes) count++
        }
        if (inImportData && depth === 1) {
          inImportData = false
          lastKey = ''
        }
        break
      case COMMA:
        if (depth === 1) lastKey = ''
        break
      default:
        break
    }
  }
  return count
}

/** The contacts of a JSON import that Constant Contact actually takes: the first 40,000 within 4 MB. */
export function acceptedJsonImportItems(raw: Uint8Array, importData: unknown[]): unknown[] {
  const withinBytes =
    raw.length <= CC_LIMITS.importMaxBytes ? importData.length : importDataElementsWithin(raw, CC_LIMITS.importMaxBytes)
  return importData.slice(0, Math.min(withinBytes, CC_LIMITS.importMaxContacts))
}

/**
 * The contacts of a CSV import Constant Contact takes: lines within the first 4 MB of the file and
 * the first 40,000 lines (header included). Returns one record per data row, keyed by header.
 */
export function acceptedCsvImportItems(file: Uint8Array): { items: ImportItem[]; headers: string[] } {
  let bytes = file
  if (bytes.length > CC_LIMITS.importMaxBytes) {
    // Keep only complete lines inside the limit.
    const cut = bytes.subarray(0, CC_LIMITS.importMaxBytes)
    const lastNewline = cut.lastIndexOf(0x0a)
    bytes = lastNewline >= 0 ? cut.subarray(0, lastNewline + 1) : new Uint8Array()
  }
  const text = Buffer.from(bytes)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true })
  const rows = parsed.data.slice(0, CC_LIMITS.fileImportMaxLines)
  const headers = (rows[0] ?? []).map((h) => h.trim())
  const items = rows.slice(1).map((row) => {
    const item: ImportItem = {}
    headers.forEach((header, index) => {
      const value = row[index]
      if (header && value !== undefined && value !== '') item[header] = value
    })
    return item
  })
  return { items, headers }
}
