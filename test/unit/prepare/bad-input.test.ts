import { describe, expect, it } from 'vitest'
import { inspectSource } from '../../../electron/services/prepare/inspect'
import { writeFile, writeZip } from './helpers'

/** A minimal compound-file (CFB) container whose directory names the given streams. */
function compoundFile(streams: string[]): Buffer {
  const header = Buffer.alloc(512)
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header)
  const directory = Buffer.alloc(512)
  streams.forEach((name, i) => Buffer.from(name, 'utf16le').copy(directory, i * 128))
  return Buffer.concat([header, directory])
}

describe('files that are not a readable spreadsheet get a clear message', () => {
  it.each([
    [
      'an old .xls workbook',
      'old.xls',
      () => compoundFile(['Root Entry', 'Workbook']),
      'legacy_xls',
      /old-style Excel file/,
    ],
    [
      'a password-protected workbook',
      'locked.xlsx',
      () => compoundFile(['Root Entry', 'EncryptionInfo', 'EncryptedPackage']),
      'password_protected',
      /protected with a password/,
    ],
    [
      'a PNG image',
      'photo.png',
      () => Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]),
      'not_a_spreadsheet',
      /is an image/,
    ],
    [
      'a JPEG image',
      'photo.csv',
      () => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]),
      'not_a_spreadsheet',
      /is an image/,
    ],
    ['a PDF', 'list.pdf', () => Buffer.from('%PDF-1.7\n%âãÏÓ\n'), 'not_a_spreadsheet', /PDF document/],
    ['an empty file', 'empty.csv', () => Buffer.alloc(0), 'empty_file', /is empty/],
    ['a file of blank lines', 'blank.csv', () => Buffer.from('\r\n\r\n  \r\n'), 'empty_file', /holds no data/],
    [
      'a binary file',
      'data.csv',
      () => Buffer.from([0x01, 0x02, 0x00, 0x00, 0x41, 0x00, 0x00, 0x10]),
      'not_a_spreadsheet',
      /not a text or Excel file/,
    ],
    [
      'one column without addresses',
      'names.csv',
      () => Buffer.from('Name\nAnn\nBob\nCy\n'),
      'no_email_column',
      /single column and no email addresses/,
    ],
  ])('%s', async (_what, name, bytes, code, message) => {
    const path = writeFile(name, bytes())
    const error = await inspectSource(path).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'UserFacingError', code })
    expect((error as Error).message).toMatch(message)
    expect((error as { hint?: string }).hint).toBeTruthy()
  })

  it.each([
    [
      'an OpenDocument spreadsheet',
      'sheet.ods',
      { mimetype: 'application/vnd.oasis.opendocument.spreadsheet', 'content.xml': '<x/>' },
      'ods_not_supported',
      /OpenDocument spreadsheet/,
    ],
    ['a Word document', 'letter.docx', { 'word/document.xml': '<x/>' }, 'not_a_spreadsheet', /Word document/],
    ['a zip archive', 'files.zip', { 'contacts.csv': 'Email\n' }, 'zip_archive', /zip archive/],
  ])('%s', async (_what, name, parts, code, message) => {
    const path = await writeZip(name, parts)
    await expect(inspectSource(path)).rejects.toMatchObject({ code, message: expect.stringMatching(message) })
  })

  it('a missing file', async () => {
    await expect(inspectSource('/nonexistent/contacts.csv')).rejects.toMatchObject({ code: 'file_not_found' })
  })

  it('a damaged zip', async () => {
    const path = writeFile('broken.xlsx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40, 1)]))
    await expect(inspectSource(path)).rejects.toMatchObject({
      code: 'not_a_spreadsheet',
      message: expect.stringMatching(/damaged or incomplete/),
    })
  })

  it('a single column of addresses is fine, with generated column names', async () => {
    const inspection = await inspectSource(writeFile('list.csv', 'ann@example.com\nbob@example.com\n'))
    expect(inspection.headerRow).toBe(0)
    expect(inspection.columns).toEqual([{ index: 0, name: 'Column 1', generated: true }])
    expect(inspection.suggestion.mapping.emailColumn).toBe(0)
    expect(inspection.previewRows[0]).toEqual({ row: 1, cells: ['ann@example.com'] })
  })
})
