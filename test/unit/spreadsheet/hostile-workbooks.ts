/**
 * Crafted workbooks, made by the tests (never kept as binaries): parts that unpack to far more than
 * they pack to, cells and rows beyond Excel's limits, shared text that isn't there, DOCTYPEs.
 * The zip is written here by hand, because a zip bomb's point is a packed stream no zip library
 * writes: a deflated piece repeated, so a part of gigabytes takes a megabyte and no time to make.
 */
import { crc32 } from 'node:zlib'
import { constants, deflateRawSync } from 'node:zlib'

/** One part of a zip: its bytes as stored, how, and the unpacked size the zip states. */
export interface ZipPart {
  name: string
  stored: Buffer
  method: 0 | 8
  statedSize: number
  crc: number
}

/** A part deflated as zip writers do. */
export function part(name: string, text: string): ZipPart {
  const bytes = Buffer.from(text, 'utf8')
  return { name, stored: deflateRawSync(bytes), method: 8, statedSize: bytes.length, crc: crc32(bytes) }
}

/**
 * A part made of `head`, then `middle` repeated `times` times, then `tail`: `middle` is deflated
 * once and its packed bytes repeated (a full flush makes each copy stand alone). The zip states
 * the true unpacked size unless `statedSize` says otherwise (a zip that lies).
 */
export function repeatedPart(
  name: string,
  { head, middle, times, tail }: { head: string; middle: string; times: number; tail: string },
  statedSize?: number,
): ZipPart {
  const flushed = (text: string): Buffer =>
    deflateRawSync(Buffer.from(text, 'utf8'), { finishFlush: constants.Z_FULL_FLUSH })
  const packedMiddle = flushed(middle)
  const stored = Buffer.concat([
    flushed(head),
    ...Array.from({ length: times }, () => packedMiddle),
    deflateRawSync(Buffer.from(tail, 'utf8')),
  ])
  const size = Buffer.byteLength(head) + Buffer.byteLength(middle) * times + Buffer.byteLength(tail)
  // Nothing checks a part's CRC here (yauzl doesn't): computing it over gigabytes would be the slow part.
  return { name, stored, method: 8, statedSize: statedSize ?? size, crc: 0 }
}

/** The bytes of a zip file holding `parts` (no zip64: stored and stated sizes under 4 GB). */
export function zipBytes(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const p of parts) {
    const name = Buffer.from(p.name, 'utf8')
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4) // version needed
    local.writeUInt16LE(0x0800, 6) // UTF-8 names
    local.writeUInt16LE(p.method, 8)
    local.writeUInt32LE(p.crc, 14)
    local.writeUInt32LE(p.stored.length, 18)
    local.writeUInt32LE(p.statedSize, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(p.method, 10)
    central.writeUInt32LE(p.crc, 16)
    central.writeUInt32LE(p.stored.length, 20)
    central.writeUInt32LE(p.statedSize, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, p.stored)
    centrals.push(central, name)
    offset += local.length + name.length + p.stored.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(parts.length, 8)
  end.writeUInt16LE(parts.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

export const SHEET_HEAD =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
export const SHEET_TAIL = '</sheetData></worksheet>'

/** A sheet's XML around the given rows. */
export function sheetXml(rows: string): string {
  return `${SHEET_HEAD}${rows}${SHEET_TAIL}`
}

/** An inline-string cell. */
export function textCell(reference: string, text: string): string {
  return `<c r="${reference}" t="inlineStr"><is><t>${text}</t></is></c>`
}

/** Two contacts, as sheet rows 2 and 3. */
export const CONTACT_DATA_ROWS =
  `<row r="2">${textCell('A2', 'ann@example.com')}<c r="B2"><v>1</v></c></row>` +
  `<row r="3">${textCell('A3', 'bob@example.com')}<c r="B3"><v>0</v></c></row>`

/** A contact list's first rows (Email, Flag; two contacts) as sheet rows, starting at row 1. */
export const CONTACT_ROWS = `<row r="1">${textCell('A1', 'Email')}${textCell('B1', 'Flag')}</row>${CONTACT_DATA_ROWS}`

/**
 * A workbook of one sheet, "Contacts": `sheet` is its XML (or a part already made), with styles
 * and shared strings when given. With `sheets`, the workbook lists that many sheets ("Contacts",
 * "Contacts 2"…), every one of them the same part.
 */
export function workbookBytes(parts: {
  sheet: string | ZipPart
  styles?: string | ZipPart
  sharedStrings?: string | ZipPart
  sheets?: number
}): Buffer {
  const sheets = Array.from(
    { length: parts.sheets ?? 1 },
    (_, i) => `<sheet name="Contacts${i === 0 ? '' : ` ${i + 1}`}" sheetId="${i + 1}" r:id="rId1"/>`,
  ).join('')
  const asPart = (name: string, value: string | ZipPart): ZipPart =>
    typeof value === 'string' ? part(name, value) : { ...value, name }
  return zipBytes([
    part(
      'xl/workbook.xml',
      `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheets}</sheets></workbook>`,
    ),
    part(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    asPart('xl/worksheets/sheet1.xml', parts.sheet),
    ...(parts.styles === undefined ? [] : [asPart('xl/styles.xml', parts.styles)]),
    ...(parts.sharedStrings === undefined ? [] : [asPart('xl/sharedStrings.xml', parts.sharedStrings)]),
  ])
}
