import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readSpreadsheetOverview } from '../../../electron/services/spreadsheet/header-reader'

const dir = mkdtempSync(join(tmpdir(), 'splitsend-headers-'))
let counter = 0
function fileWith(content: string | Buffer, name = `f${counter++}.csv`) {
  const path = join(dir, name)
  writeFileSync(path, content)
  return { fileId: `file${String(counter).padStart(8, '0')}`, name, path }
}

describe('the CSV header reader', () => {
  it('reads headers and counts data rows of a plain comma file', async () => {
    const overview = await readSpreadsheetOverview(fileWith('email,flag,name\na@x.com,1,Ann\nb@x.com,0,Bob\n'))
    expect(overview).toMatchObject({ headers: ['email', 'flag', 'name'], rowCount: 2, delimiter: ',', format: 'csv' })
  })

  it('removes a UTF-8 byte-order mark from the first header', async () => {
    const overview = await readSpreadsheetOverview(fileWith('\uFEFFEmail,Flag\na@x.com,1\n'))
    expect(overview.headers).toEqual(['Email', 'Flag'])
  })

  it('detects semicolons, even with decimal commas in the data', async () => {
    const overview = await readSpreadsheetOverview(fileWith('Email;Flag;Spent\na@x.com;1;12,50\nb@x.com;0;3,75\nc@x.com;1;0,99\n'))
    expect(overview.delimiter).toBe(';')
    expect(overview.headers).toEqual(['Email', 'Flag', 'Spent'])
    expect(overview.rowCount).toBe(3)
  })

  it('keeps a quoted field with line breaks in one row', async () => {
    const overview = await readSpreadsheetOverview(fileWith('email,note\na@x.com,"line one\nline two\r\nline three"\nb@x.com,"x"\n'))
    expect(overview.rowCount).toBe(2)
  })

  it('reads tab-separated text and skips blank lines', async () => {
    const overview = await readSpreadsheetOverview(fileWith('email\tflag\n\na@x.com\t1\n   \nb@x.com\t0\n\n'))
    expect(overview).toMatchObject({ delimiter: '\t', headers: ['email', 'flag'], rowCount: 2 })
  })

  it('reports progress while it streams a larger file', async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `person${i}@example.com,${i % 2},"Name ${i}"`).join('\n')
    const seen: number[] = []
    const overview = await readSpreadsheetOverview(fileWith(`email,flag,name\n${rows}\n`), { onProgress: (read) => seen.push(read) })
    expect(overview.rowCount).toBe(200_000)
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.at(-1)).toBeGreaterThan(1_000_000)
  })

  it('can be cancelled', async () => {
    const rows = 'a@x.com,1\n'.repeat(2_000_000)
    const controller = new AbortController()
    const pending = readSpreadsheetOverview(fileWith(`email,flag\n${rows}`), { signal: controller.signal })
    setTimeout(() => controller.abort(), 20)
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' })
  })

  it.each([
    ['a PNG picture', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'photo.csv'],
    ['a PDF document', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'report.pdf'],
    ['a compressed (zip) file', Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]), 'archive.zip'],
    ['not a text file', Buffer.from([1, 2, 3, 0, 0, 4, 5]), 'data.bin'],
  ])('says clearly when the file is %s', async (what, bytes, name) => {
    await expect(readSpreadsheetOverview(fileWith(bytes, name))).rejects.toMatchObject({
      code: 'not_a_spreadsheet',
      message: expect.stringContaining(what),
      hint: expect.stringContaining('CSV'),
    })
  })

  it('says clearly when the file is empty', async () => {
    await expect(readSpreadsheetOverview(fileWith(''))).rejects.toMatchObject({ code: 'empty_file' })
  })
})
