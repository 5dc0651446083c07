import { UserFacingError } from '../../../../shared/errors'

/**
 * What the reader found in a workbook's own bytes that no spreadsheet program writes, or that
 * would take more than a contact list ever needs. The reader throws it where it finds it, with
 * the facts it has there; the workbook tells it to the person with the file's name
 * ({@link describeWorkbookDamage}).
 */
export class WorkbookDamage extends Error {
  constructor(
    readonly kind: 'damaged' | 'doctype' | 'run' | 'cell' | 'xml',
    /** What is wrong, in plain words, completing "the workbook is damaged or too large: …". */
    readonly detail = '',
  ) {
    super(`workbook damage (${kind}): ${detail}`)
    this.name = 'WorkbookDamage'
  }
}

const RESAVE_HINT =
  'Open it in Excel and save it again (File › Save As › Excel Workbook), or ask for a new copy of the file.'

/** Excel holds at most this many characters in a cell. */
const EXCEL_CELL_CHARS = 32_767

/**
 * The message for a {@link WorkbookDamage} (anything else is returned as it is). `where` says which
 * part of the workbook was being read ("row 12 of sheet “Contacts”", "the workbook's shared text").
 */
export function describeWorkbookDamage(error: unknown, fileName: string, where: string): unknown {
  if (!(error instanceof WorkbookDamage)) return error
  switch (error.kind) {
    case 'doctype':
      return new UserFacingError(
        'workbook_doctype',
        `“${fileName}” holds XML with a document type declaration (DOCTYPE), which Excel never writes, so Splitsend does not read it.`,
        'If you know where the file comes from, open it in Excel and save it again; otherwise ask the sender for a new copy.',
      )
    case 'run':
    case 'cell':
      return new UserFacingError(
        'cell_too_long',
        `“${fileName}” has a cell (in ${where}) holding more than a million characters; a spreadsheet cell holds at most ${EXCEL_CELL_CHARS.toLocaleString('en-US')}.`,
        `The workbook is damaged or was not made by a spreadsheet program. ${RESAVE_HINT}`,
      )
    case 'xml':
      return damaged(fileName, `the XML of ${where} is broken`)
    case 'damaged':
      return damaged(fileName, error.detail)
  }
}

/** “this workbook is damaged or too large”, with what was found. */
export function damaged(fileName: string, detail: string): UserFacingError {
  return new UserFacingError(
    'workbook_damaged',
    `“${fileName}” can’t be read: the workbook is damaged or too large (${detail}).`,
    RESAVE_HINT,
  )
}
