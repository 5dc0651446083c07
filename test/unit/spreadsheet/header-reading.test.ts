import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { inspectSource } from '../../../electron/services/prepare/index'
import { tempDir } from '../temp'

// The foundation's header reading, as the app's Import screen gets it (prepare.inspect).
const dir = tempDir('headers')
let counter = 0
function fileWith(content: string | Buffer, name = `f${counter++}.csv`): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}
const names = (inspection: { columns: Array<{ name: string }> }) => inspection.columns.map((c) => c.name)

describe('reading a spreadsheet’s header row', () => {
  it('reads headers and the data rows of a plain comma file', async () => {
    const inspection = await inspectSource(fileWith('email,flag,name\na@x.com,1,Ann\nb@x.com,0,Bob\n'))
    expect(names(inspection)).toEqual(['email', 'flag', 'name'])
    expect(inspection).toMatchObject({ delimiter: ',', format: 'csv', headerRow: 1, complete: true })
    expect(inspection.previewRows.map((r) => r.row)).toEqual([2, 3])
  })

  it('removes a UTF-8 byte-order mark from the first header', async () => {
    const inspection = await inspectSource(fileWith('\uFEFFEmail,Flag\na@x.com,1\n'))
    expect(names(inspection)).toEqual(['Email', 'Flag'])
    expect(inspection.encoding).toBe('utf-8')
  })

  it('detects semicolons, even with decimal commas in the data', async () => {
    const inspection = await inspectSource(
      fileWith('Email;Flag;Spent\na@x.com;1;12,50\nb@x.com;0;3,75\nc@x.com;1;0,99\n'),
    )
    expect(inspection.delimiter).toBe(';')
    expect(names(inspection)).toEqual(['Email', 'Flag', 'Spent'])
    expect(inspection.previewRows).toHaveLength(3)
  })

  it('keeps a quoted field with line breaks in one row, and numbers rows as Excel does', async () => {
    const inspection = await inspectSource(
      fileWith('email,note\na@x.com,"line one\nline two\r\nline three"\nb@x.com,"x"\n'),
    )
    expect(inspection.previewRows).toHaveLength(2)
    expect(inspection.previewRows[0]!.cells[1]).toBe('line one\nline two\r\nline three')
    expect(inspection.previewRows[1]!.row).toBe(3)
  })

  it('reads tab-separated text and skips blank lines', async () => {
    const inspection = await inspectSource(fileWith('email\tflag\n\na@x.com\t1\n   \nb@x.com\t0\n\n'))
    expect(inspection.delimiter).toBe('\t')
    expect(names(inspection)).toEqual(['email', 'flag'])
    expect(inspection.previewRows.map((r) => r.cells[0])).toEqual(['a@x.com', 'b@x.com'])
  })

  it.each([
    ['a PNG picture', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), 'photo.csv'],
    ['a PDF document', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'report.pdf'],
    ['a zip archive', Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0]), 'archive.zip'],
    ['binary data', Buffer.from([1, 2, 3, 0, 0, 4, 5, 0, 0, 0, 9]), 'data.bin'],
    ['an empty file', Buffer.alloc(0), 'empty.csv'],
  ])('says clearly, naming the file, when it is given %s', async (_what, bytes, name) => {
    const failure = await inspectSource(fileWith(bytes, name)).then(
      () => undefined,
      (error: { code?: string; message?: string; hint?: string }) => error,
    )
    expect(failure?.code).toBeTruthy()
    expect(failure?.code).not.toBe('unexpected')
    expect(failure?.message).toContain(name)
    expect(failure?.hint).toBeTruthy()
  })
})
