import { open } from 'node:fs/promises'
import { basename, extname } from 'node:path'
import { UserFacingError } from '../../../shared/errors'
import { shownPath } from '../jobs/locations'

/** How a file must be read, decided from its first bytes rather than its name. */
export type SniffedFormat = 'text' | 'xlsx'

const SNIFF_BYTES = 64 * 1024

const SAVE_AS_HINT =
  'Open it in Excel (or LibreOffice) and choose File › Save As › "Excel Workbook (.xlsx)" or "CSV UTF-8", then open the saved file.'

/**
 * Looks at the first bytes of a file and says how to read it, or throws a {@link UserFacingError}
 * naming what the file is instead (an old Excel file, an image, a PDF...) and what to do.
 */
export async function sniffFile(path: string): Promise<{ format: SniffedFormat; sizeBytes: number; head: Buffer }> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    throw cannotOpen(path, error)
  }
  try {
    const { size } = await handle.stat()
    if (size === 0)
      throw new UserFacingError(
        'empty_file',
        `"${basename(path)}" is empty.`,
        'Choose the file that holds the contacts.',
      )
    const head = Buffer.alloc(Math.min(size, SNIFF_BYTES))
    await handle.read(head, 0, head.length, 0)
    const format = classifyHead(head, path)
    if (format === 'cfb') throw describeCompoundFile(await readCompoundDirectoryHint(handle, size), path)
    if (format === 'zip') return { format: 'xlsx', sizeBytes: size, head }
    return { format, sizeBytes: size, head }
  } finally {
    await handle.close()
  }
}

function cannotOpen(path: string, error: unknown): UserFacingError {
  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'ENOENT')
    return new UserFacingError(
      'file_not_found',
      `There is no file ${shownPath(path)}.`,
      'Check the name and the folder, then try again.',
    )
  if (code === 'EISDIR')
    return new UserFacingError(
      'not_a_file',
      `${shownPath(path)} is a folder, not a file.`,
      'Choose the spreadsheet file inside it.',
    )
  if (code === 'EACCES' || code === 'EPERM') {
    return new UserFacingError(
      'file_not_readable',
      `Splitsend is not allowed to read "${basename(path)}".`,
      'Check that the file is not locked by another program and that you may open it.',
    )
  }
  return new UserFacingError(
    'file_not_readable',
    `"${basename(path)}" could not be opened.`,
    'Check that the file still exists and is not open in another program, then try again.',
  )
}

/** Formats recognised by their signature ("magic bytes"). */
function classifyHead(head: Buffer, path: string): SniffedFormat | 'zip' | 'cfb' {
  const starts = (...bytes: number[]): boolean => bytes.every((b, i) => head[i] === b)
  const name = basename(path)
  const notSpreadsheet = (what: string): UserFacingError =>
    new UserFacingError(
      'not_a_spreadsheet',
      `"${name}" is ${what}, not a spreadsheet.`,
      'Choose the CSV or Excel (.xlsx) file that holds the contacts.',
    )
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return 'zip'
  if (starts(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'cfb'
  if (starts(0x25, 0x50, 0x44, 0x46)) throw notSpreadsheet('a PDF document')
  if (starts(0x89, 0x50, 0x4e, 0x47) || starts(0xff, 0xd8, 0xff) || starts(0x47, 0x49, 0x46, 0x38))
    throw notSpreadsheet('an image')
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) throw notSpreadsheet('an image')
  if (starts(0x52, 0x49, 0x46, 0x46) && head.subarray(8, 12).toString('latin1') === 'WEBP')
    throw notSpreadsheet('an image')
  if (head.subarray(4, 8).toString('latin1') === 'ftyp') throw notSpreadsheet('an image or a video')
  if (starts(0x1f, 0x8b) || starts(0x37, 0x7a, 0xbc, 0xaf) || starts(0x52, 0x61, 0x72, 0x21))
    throw notSpreadsheet('a compressed archive')
  if (starts(0x7b, 0x5c, 0x72, 0x74, 0x66)) throw notSpreadsheet('a Word (RTF) document')
  return 'text'
}

/**
 * Old Excel files (.xls) and password-protected .xlsx files share one container format (Microsoft's
 * "compound file"). The names of the streams inside tell them apart; they sit in directory sectors
 * that are usually near the start or the end, so both are searched.
 */
async function readCompoundDirectoryHint(
  handle: import('node:fs/promises').FileHandle,
  size: number,
): Promise<'encrypted' | 'xls' | 'other'> {
  const window = 4 * 1024 * 1024
  const parts: Buffer[] = []
  const first = Buffer.alloc(Math.min(size, window))
  await handle.read(first, 0, first.length, 0)
  parts.push(first)
  if (size > window) {
    const last = Buffer.alloc(Math.min(size - window, window))
    await handle.read(last, 0, last.length, size - last.length)
    parts.push(last)
  }
  const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le')
  const has = (text: string): boolean => parts.some((part) => part.includes(utf16(text)))
  if (has('EncryptedPackage') || has('EncryptionInfo')) return 'encrypted'
  if (has('Workbook') || has('Book')) return 'xls'
  return 'other'
}

function describeCompoundFile(kind: 'encrypted' | 'xls' | 'other', path: string): UserFacingError {
  const name = basename(path)
  if (kind === 'encrypted') {
    return new UserFacingError(
      'password_protected',
      `"${name}" is protected with a password, so Splitsend cannot read it.`,
      'Open it in Excel with the password, choose File › Info › Protect Workbook › Encrypt with Password and clear the password, save it, then open it here again.',
    )
  }
  if (kind === 'xls' || extname(name).toLowerCase() === '.xls') {
    return new UserFacingError(
      'legacy_xls',
      `"${name}" is an old-style Excel file (.xls), which Splitsend does not read.`,
      SAVE_AS_HINT,
    )
  }
  return new UserFacingError(
    'not_a_spreadsheet',
    `"${name}" is an older Microsoft Office document, not a spreadsheet Splitsend can read.`,
    SAVE_AS_HINT,
  )
}

export { SAVE_AS_HINT }
