import { statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { inspectSource } from '../../../electron/services/prepare/inspect'
import { prepareJob } from '../../../electron/services/prepare/pass'
import { openSource } from '../../../electron/services/spreadsheet/source'
import { tempDir, writeFile } from '../prepare/helpers'
import {
  CONTACT_DATA_ROWS,
  CONTACT_ROWS,
  part,
  repeatedPart,
  SHEET_HEAD,
  SHEET_TAIL,
  sheetXml,
  textCell,
  workbookBytes,
} from './hostile-workbooks'

const GIB = 1024 ** 3

/** Inspects the workbook and runs the full pass on it: both must fail the same plain way. */
async function expectRefused(bytes: Buffer, code: string, message: RegExp): Promise<void> {
  const path = writeFile('crafted.xlsx', bytes)
  const error = await inspectSource(path).catch((e: unknown) => e)
  if (process.env.B5_DEBUG) console.log(String(error))
  expect(error).toMatchObject({ code, message: expect.stringMatching(message) })
  const mapping = { emailColumn: 0, flagColumn: 1, fields: [] }
  await expect(prepareJob(path, { mapping, headerRow: 1 }, join(tempDir(), 'job'))).rejects.toMatchObject({
    code,
    message: expect.stringMatching(message),
  })
}

describe('numbers taken from a workbook are bounded as Excel bounds them', () => {
  it('a 1 KB workbook whose header cell is at column ZZZZZZZ is refused, not padded to millions of cells', async () => {
    const bytes = workbookBytes({
      sheet: sheetXml(`<row r="1">${textCell('A1', 'Email')}${textCell('ZZZZZZZ1', 'Flag')}</row>` + CONTACT_DATA_ROWS),
    })
    expect(bytes.length).toBeLessThan(1500)
    await expectRefused(
      bytes,
      'workbook_damaged',
      /damaged or too large \(row 1 of sheet “Contacts” has a cell at “ZZZZZZZ1”, past XFD, the last of a sheet's 16,384 columns/,
    )
  })

  it('column XFD is the last one read; XFE is beyond it', async () => {
    const withFlagAt = (reference: string): Buffer =>
      workbookBytes({
        sheet: sheetXml(`<row r="1">${textCell('A1', 'Email')}${textCell(reference, 'Flag')}</row>`),
      })
    const inspection = await inspectSource(writeFile('xfd.xlsx', withFlagAt('XFD1')))
    expect(inspection.columns).toHaveLength(16_384)
    expect(inspection.columns[16_383]!.name).toBe('Flag')
    await expect(inspectSource(writeFile('xfe.xlsx', withFlagAt('XFE1')))).rejects.toMatchObject({
      code: 'workbook_damaged',
    })
  })

  it.each([
    ['a row beyond 1,048,576', '1048577'],
    ['a row number that is not a number', 'twelve'],
  ])('%s is refused', async (_what, r) => {
    const bytes = workbookBytes({ sheet: sheetXml(`${CONTACT_ROWS}<row r="${r}">${textCell('A4', 'x')}</row>`) })
    await expectRefused(bytes, 'workbook_damaged', /past row 1,048,576, the last a sheet can have/)
  })

  it('a cell pointing at shared string 150,000,000 of a table of two is refused, in the preview and the pass', async () => {
    const bytes = workbookBytes({
      sheet: sheetXml(CONTACT_ROWS.replace(textCell('A3', 'bob@example.com'), '<c r="A3" t="s"><v>150000000</v></c>')),
      sharedStrings: '<sst><si><t>one</t></si><si><t>two</t></si></sst>',
    })
    await expectRefused(
      bytes,
      'workbook_damaged',
      /row 3 of sheet “Contacts” refers to shared text number 150000000, but the workbook holds 2/,
    )
  })
})

describe('parts that unpack to far more than they pack to are refused while they unpack', () => {
  it('a sheet that unpacks to 1,000 times its size (a zip bomb) stops long before its gigabyte', async () => {
    const sheet = repeatedPart('sheet', {
      head: `${SHEET_HEAD}${CONTACT_ROWS}`,
      middle: '<x/>'.repeat(262_144),
      times: 1024,
      tail: SHEET_TAIL,
    })
    expect(sheet.statedSize).toBeGreaterThan(GIB)
    const bytes = workbookBytes({ sheet })
    expect(bytes.length).toBeLessThan(2 * 1024 * 1024)
    await expectRefused(bytes, 'workbook_damaged', /sheet1\.xml unpacks to more than 100 times its packed size/)
  })

  it('a styles part of gigabytes is refused (the ratio), and one of 100 MB at an ordinary ratio (the size cap)', async () => {
    const bomb = repeatedPart('styles', {
      head: '<styleSheet><cellXfs>',
      middle: '<xf numFmtId="0"/>'.repeat(65_536),
      times: 2048,
      tail: '</cellXfs></styleSheet>',
    })
    expect(bomb.statedSize).toBeGreaterThan(2 * GIB)
    await expectRefused(
      workbookBytes({ sheet: sheetXml(CONTACT_ROWS), styles: bomb }),
      'workbook_damaged',
      /styles\.xml unpacks to more than 100 times/,
    )
    // Formats that differ compress about as real ones do; 100 MB of them is still too much.
    const varied = Array.from({ length: 40_000 }, (_, i) => `<xf numFmtId="${i % 200}" fontId="${i}"/>`).join('')
    const large = repeatedPart('styles', {
      head: '<styleSheet><cellXfs>',
      middle: varied,
      times: 100,
      tail: '</cellXfs></styleSheet>',
    })
    expect(large.statedSize).toBeGreaterThan(100_000_000)
    expect(large.statedSize / large.stored.length).toBeLessThan(100)
    await expectRefused(
      workbookBytes({ sheet: sheetXml(CONTACT_ROWS), styles: large }),
      'workbook_damaged',
      /styles\.xml unpacks to more than 64 MB/,
    )
  })

  it('a shared-strings part of gigabytes is refused', async () => {
    const bytes = workbookBytes({
      sheet: sheetXml(CONTACT_ROWS.replace(textCell('A3', 'bob@example.com'), '<c r="A3" t="s"><v>150000000</v></c>')),
      sharedStrings: repeatedPart('sst', {
        head: '<sst>',
        middle: '<si><t>a</t></si>'.repeat(65_536),
        times: 1024,
        tail: '</sst>',
      }),
    })
    await expectRefused(bytes, 'workbook_damaged', /sharedStrings\.xml unpacks to more than 100 times/)
  })

  it('a zip that states a small size for a part that unpacks to more is damaged', async () => {
    const sheet = repeatedPart(
      'sheet',
      { head: `${SHEET_HEAD}${CONTACT_ROWS}`, middle: '<x/>', times: 100, tail: SHEET_TAIL },
      100,
    )
    await expectRefused(workbookBytes({ sheet }), 'workbook_damaged', /sheet1\.xml is damaged/)
  })
})

describe('a workbook of many sheets', () => {
  it('is looked through for data within a bound: a sheet past it is taken to hold data', async () => {
    // Each sheet: about 400 KB of empty rows, the same part listed 100 times.
    const rows = Array.from({ length: 25_000 }, (_, i) => `<row r="${i + 1}"/>`).join('')
    const path = writeFile('sheets.xlsx', workbookBytes({ sheet: sheetXml(rows), sheets: 100 }))
    const source = await openSource(path)
    try {
      const withData = source.sheets!.filter((s) => s.hasData).length
      // 16 MB were looked through: about 40 sheets found empty, the rest not looked at.
      expect(withData).toBeGreaterThan(40)
      expect(withData).toBeLessThan(100)
      expect(source.sheets![0]!.hasData).toBe(false)
    } finally {
      source.close()
    }
  })
})

describe('XML that no spreadsheet program writes', () => {
  it('a DOCTYPE gets its own message, in any part', async () => {
    const doctype = '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'
    await expectRefused(
      workbookBytes({ sheet: `${doctype}${sheetXml(CONTACT_ROWS).replace(/^<\?xml[^>]*>\n/, '')}` }),
      'workbook_doctype',
      /document type declaration \(DOCTYPE\), which Excel never writes/,
    )
    await expectRefused(
      workbookBytes({ sheet: sheetXml(CONTACT_ROWS), styles: `${doctype}<styleSheet/>` }),
      'workbook_doctype',
      /DOCTYPE/,
    )
  })

  it('a cell longer than any spreadsheet holds gets its own message, before the parser gathers it', async () => {
    // Text that packs as text does, so the unpacking limits let it through: 1.5 million characters.
    const words = Array.from({ length: 250_000 }, (_, i) => (i * 7919).toString(36)).join(' ')
    const long = sheetXml(`${CONTACT_ROWS}<row r="4">${textCell('A4', words)}</row>`)
    await expectRefused(
      workbookBytes({ sheet: long }),
      'cell_too_long',
      /a cell \(in row 4 of sheet “Contacts”\) holding more than a million characters/,
    )
    // Rich text in many runs adds up the same way.
    const runs = `<r><t>${words.slice(0, 60_000)}</t></r>`
    const rich = sheetXml(`${CONTACT_ROWS}<row r="4"><c r="A4" t="inlineStr"><is>${runs.repeat(20)}</is></c></row>`)
    await expectRefused(workbookBytes({ sheet: rich }), 'cell_too_long', /row 4 of sheet “Contacts”/)
    // And in the shared text.
    const shared = sheetXml(CONTACT_ROWS.replace(textCell('A3', 'bob@example.com'), '<c r="A3" t="s"><v>0</v></c>'))
    await expectRefused(
      workbookBytes({ sheet: shared, sharedStrings: `<sst><si><t>${words}</t></si></sst>` }),
      'cell_too_long',
      /in its shared text/,
    )
  })

  it('600 million characters without markup (more than V8 can hold in a string) stop at the first million', async () => {
    // Packed about 80 to 1, as text that is not a bomb may be: 7 MB for 600 MB of one attribute.
    let middle = ''
    for (let seed = 1; middle.length < 1 << 20; seed = (seed * 48271) % 2147483647)
      middle += 'x'.repeat(600) + seed.toString(36)
    const sheet = repeatedPart('sheet', {
      head: `${SHEET_HEAD}${CONTACT_ROWS}<row r="4"><c r="A4" t="inlineStr" x="`,
      middle: middle.slice(0, 1 << 20),
      times: 600,
      tail: `"><is><t>a</t></is></c></row>${SHEET_TAIL}`,
    })
    expect(sheet.statedSize).toBeGreaterThan(2 ** 29)
    await expectRefused(workbookBytes({ sheet }), 'cell_too_long', /row 4 of sheet “Contacts”/)
  })

  it('broken XML is a damaged workbook, not an unexpected error', async () => {
    await expectRefused(
      workbookBytes({ sheet: sheetXml(CONTACT_ROWS).replace('</sheetData>', '</sheetDta>') }),
      'workbook_damaged',
      /the XML of row 3 of sheet “Contacts” is broken/,
    )
  })

  it('a number format with 150 decimals is read (Excel shows at most 30)', async () => {
    const bytes = workbookBytes({
      sheet: sheetXml(
        `${CONTACT_ROWS}<row r="4">${textCell('A4', 'cy@example.com')}<c r="B4" s="1"><v>1</v></c></row>`,
      ),
      styles: `<styleSheet><numFmts><numFmt numFmtId="164" formatCode="0.${'0'.repeat(150)}"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>`,
    })
    const inspection = await inspectSource(writeFile('decimals.xlsx', bytes))
    expect(inspection.previewRows[2]!.cells[1]).toBe(`1.${'0'.repeat(30)}`)
  })

  it('an ordinary workbook made the same way reads as before', async () => {
    const path = writeFile('fine.xlsx', workbookBytes({ sheet: sheetXml(CONTACT_ROWS), styles: '<styleSheet/>' }))
    expect(statSync(path).size).toBeGreaterThan(0)
    const inspection = await inspectSource(path)
    expect(inspection.previewRows.map((r) => r.cells)).toEqual([
      ['ann@example.com', '1'],
      ['bob@example.com', '0'],
    ])
    expect(part('x', 'y').statedSize).toBe(1)
  })
})
