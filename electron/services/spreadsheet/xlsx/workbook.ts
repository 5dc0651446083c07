import { posix } from 'node:path'
import { UserFacingError } from '../../../../shared/errors'
import { SAVE_AS_HINT } from '../sniff'
import { damaged, describeWorkbookDamage, WorkbookDamage } from './damage'
import { numberStyle, type NumberStyle } from './number-format'
import { createXmlParser, MAX_XML_RUN_CHARS, scanXml } from './xml'
import { ZipArchive } from './zip'

/**
 * The most a part read whole (workbook.xml, its relationships, styles.xml) may unpack to: Excel's
 * largest styles (64,000 cell formats) take a few megabytes.
 */
const MAX_WHOLE_PART_BYTES = 64 * 1024 * 1024
/** The shared text is kept in memory while a sheet is read: a million rows of unique text take a few hundred megabytes. */
const MAX_SHARED_STRINGS_BYTES = 512 * 1024 * 1024
/** A sheet is streamed; this bounds the time a file can take (a million rows of twenty columns take about 2 GB). */
export const MAX_SHEET_BYTES = 8 * 1024 * 1024 * 1024
/** Excel's sheet names are at most 31 characters; the sheet a person chooses is named in at most 255. */
const MAX_SHEET_NAME_CHARS = 255
/** Excel's number format codes are at most 255 characters. */
const MAX_FORMAT_CODE_CHARS = 255

export interface WorkbookSheet {
  name: string
  /** Zip part of the sheet's XML, e.g. `xl/worksheets/sheet1.xml`. */
  part: string
  hidden: boolean
}

/** An open .xlsx / .xlsm: its sheets, number styles and (on demand) shared strings. */
export class Workbook {
  private sharedStrings: string[] = []
  private sharedStringsComplete = false

  private constructor(
    readonly fileName: string,
    readonly zip: ZipArchive,
    readonly sheets: WorkbookSheet[],
    readonly styles: NumberStyle[],
    readonly date1904: boolean,
    private readonly sharedStringsPart: string | null,
  ) {}

  static async open(path: string, fileName: string): Promise<Workbook> {
    let zip: ZipArchive
    try {
      zip = await ZipArchive.open(path)
    } catch (error) {
      if (error instanceof WorkbookDamage) throw describeWorkbookDamage(error, fileName, 'its list of parts')
      throw new UserFacingError(
        'not_a_spreadsheet',
        `"${fileName}" looks like a zip file but it is damaged or incomplete.`,
        'Open it in Excel and save it again, or ask for a new copy of the file.',
      )
    }
    try {
      return await Workbook.read(zip, fileName)
    } catch (error) {
      zip.close()
      throw describeWorkbookDamage(error, fileName, 'its list of sheets or its styles')
    }
  }

  private static async read(zip: ZipArchive, fileName: string): Promise<Workbook> {
    if (!zip.has('xl/workbook.xml')) throw describeOtherZip(zip, fileName)
    const relationships = await readRelationships(zip, 'xl/_rels/workbook.xml.rels')
    const sheets: WorkbookSheet[] = []
    let date1904 = false
    scanXml(await zip.readText('xl/workbook.xml', MAX_WHOLE_PART_BYTES), (name, attributes) => {
      if (name === 'workbookPr') date1904 = attributes.date1904 === '1' || attributes.date1904 === 'true'
      if (name !== 'sheet') return
      const id = attributes['r:id'] ?? Object.entries(attributes).find(([key]) => key.endsWith(':id'))?.[1]
      const target = id ? relationships.get(id) : undefined
      if (!target || !attributes.name) return
      if (attributes.name.length > MAX_SHEET_NAME_CHARS)
        throw new WorkbookDamage(
          'damaged',
          `a sheet's name is ${attributes.name.length.toLocaleString('en-US')} characters long`,
        )
      sheets.push({ name: attributes.name, part: target, hidden: (attributes.state ?? 'visible') !== 'visible' })
    })
    const sharedStringsPart =
      [...relationships.entries()].find(([, target]) => /sharedstrings\d*\.xml$/i.test(target))?.[1] ??
      (zip.has('xl/sharedStrings.xml') ? 'xl/sharedStrings.xml' : null)
    const styles = zip.has('xl/styles.xml')
      ? readNumberStyles(await zip.readText('xl/styles.xml', MAX_WHOLE_PART_BYTES))
      : []
    return new Workbook(
      fileName,
      zip,
      sheets.filter((sheet) => zip.has(sheet.part)),
      styles,
      date1904,
      sharedStringsPart,
    )
  }

  /**
   * Shared strings up to index `upTo` (all of them when omitted). The table is read in order and
   * only as far as needed, so a preview of the first rows doesn't read a huge table whole.
   */
  async loadSharedStrings(upTo = Number.POSITIVE_INFINITY): Promise<string[]> {
    if (this.sharedStringsComplete || this.sharedStrings.length > upTo || !this.sharedStringsPart)
      return this.sharedStrings
    try {
      return await this.readSharedStrings(this.sharedStringsPart, upTo)
    } catch (error) {
      throw describeWorkbookDamage(error, this.fileName, 'its shared text')
    }
  }

  /**
   * The text of shared-string cell `index` (its `<v>`), from `strings` as loaded by
   * {@link loadSharedStrings}. An index the table doesn't have is damage: Excel would not open
   * the file without repairing it.
   */
  sharedString(strings: readonly string[], index: string, where: () => string): string {
    const text = /^\s*\d{1,10}\s*$/.test(index) ? strings[Number(index)] : undefined
    if (text !== undefined) return text
    throw damaged(
      this.fileName,
      `${where()} refers to shared text number ${index.trim().slice(0, 20)}, but the workbook holds ${strings.length.toLocaleString('en-US')}`,
    )
  }

  private async readSharedStrings(part: string, upTo: number): Promise<string[]> {
    const strings: string[] = []
    let current = ''
    let depth = 0 // inside <si>
    let inText = false
    let inPhonetic = false
    const parser = createXmlParser({
      open: (name) => {
        if (name === 'si') {
          current = ''
          depth = 1
        } else if (name === 'rPh') inPhonetic = true
        else if (name === 't' && depth > 0 && !inPhonetic) inText = true
      },
      close: (name) => {
        if (name === 'si') {
          strings.push(current)
          depth = 0
        } else if (name === 'rPh') inPhonetic = false
        else if (name === 't') inText = false
      },
      text: (text) => {
        if (!inText) return
        // Rich text comes in runs: their sum is bounded like one run.
        if (current.length + text.length > MAX_XML_RUN_CHARS) throw new WorkbookDamage('cell')
        current += text
      },
    })
    let complete = true
    await this.zip.streamText(part, MAX_SHARED_STRINGS_BYTES, (text) => {
      parser.write(text)
      if (strings.length > upTo) {
        complete = false
        return false
      }
    })
    if (complete) parser.close()
    this.sharedStrings = strings
    this.sharedStringsComplete = complete
    return strings
  }

  close(): void {
    this.zip.close()
  }
}

async function readRelationships(zip: ZipArchive, part: string): Promise<Map<string, string>> {
  const targets = new Map<string, string>()
  if (!zip.has(part)) return targets
  scanXml(await zip.readText(part, MAX_WHOLE_PART_BYTES), (name, attributes) => {
    if (name !== 'Relationship' || !attributes.Id || !attributes.Target) return
    const target = attributes.Target
    // Targets are relative to xl/ unless absolute ("/xl/worksheets/sheet1.xml").
    const resolved = target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join('xl', target))
    targets.set(attributes.Id, resolved)
  })
  return targets
}

/** The number style of each cell style index (`s` attribute of a cell). */
function readNumberStyles(xml: string): NumberStyle[] {
  const custom = new Map<number, string>()
  const formatIds: number[] = []
  let inCellXfs = false
  const parser = createXmlParser({
    open: (name, attributes) => {
      const code = attributes.formatCode
      // A longer code is no format Excel wrote; reading it as General keeps its patterns cheap.
      if (name === 'numFmt' && attributes.numFmtId && code !== undefined && code.length <= MAX_FORMAT_CODE_CHARS)
        custom.set(Number(attributes.numFmtId), code)
      else if (name === 'cellXfs') inCellXfs = true
      else if (name === 'xf' && inCellXfs) formatIds.push(Number(attributes.numFmtId ?? 0))
    },
    close: (name) => {
      if (name === 'cellXfs') inCellXfs = false
    },
  })
  parser.write(xml).close()
  return formatIds.map((id) => numberStyle(id, custom))
}

function describeOtherZip(zip: ZipArchive, fileName: string): UserFacingError {
  if (zip.has('content.xml') && zip.has('mimetype')) {
    return new UserFacingError(
      'ods_not_supported',
      `"${fileName}" is an OpenDocument spreadsheet (.ods), which Splitsend does not read.`,
      'Open it in LibreOffice or Excel and save it as "Excel 2007-365 (.xlsx)" or as CSV, then open the saved file.',
    )
  }
  if (zip.has('word/document.xml')) {
    return new UserFacingError(
      'not_a_spreadsheet',
      `"${fileName}" is a Word document, not a spreadsheet.`,
      'Choose the CSV or Excel (.xlsx) file that holds the contacts.',
    )
  }
  if (zip.has('ppt/presentation.xml')) {
    return new UserFacingError(
      'not_a_spreadsheet',
      `"${fileName}" is a PowerPoint presentation, not a spreadsheet.`,
      'Choose the CSV or Excel (.xlsx) file that holds the contacts.',
    )
  }
  return new UserFacingError(
    'zip_archive',
    `"${fileName}" is a zip archive, not a spreadsheet.`,
    `Unzip it first (right-click › Extract All), then open the spreadsheet inside. ${SAVE_AS_HINT.replace(/^Open it/, 'If it is not a CSV or .xlsx, open it')}`,
  )
}
