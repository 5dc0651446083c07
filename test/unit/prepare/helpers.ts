import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Papa from 'papaparse'
import yazl from 'yazl'
import { expect } from 'vitest'
import { inspectSource } from '../../../electron/services/prepare/inspect'
import { prepareJob, type PrepareHooks } from '../../../electron/services/prepare/pass'
import type { PrepareOptions } from '../../../shared/prepare/schemas'
import type { PrepareSummary } from '../../../electron/services/prepare/job-files'
import { tempDir } from '../temp'

export { tempDir }

export function writeFile(name: string, content: string | Buffer): string {
  const path = join(tempDir(), name)
  writeFileSync(path, content)
  return path
}

export interface PreparedFiles {
  summary: PrepareSummary
  outDir: string
  group0: string[][]
  group1: string[][]
  problems: string[][]
  problemsText: string
}

export function readCsv(path: string): string[][] {
  const text = readFileSync(path, 'utf8').replace(/^\ufeff/, '')
  return Papa.parse<string[]>(text.replace(/\r\n$/, ''), { delimiter: ',', newline: '\r\n' }).data
}

/** Inspects, takes the suggested mapping (plus overrides), runs the full pass in-thread and reads back every output. */
export async function prepareFile(path: string, options: Partial<PrepareOptions> = {}): Promise<PreparedFiles> {
  const inspection = await inspectSource(path, options)
  const outDir = tempDir()
  const summary = await prepareJob(path, { mapping: inspection.suggestion.mapping, ...options }, outDir)
  return {
    summary,
    outDir,
    group0: readCsv(join(outDir, 'group-0.csv')),
    group1: readCsv(join(outDir, 'group-1.csv')),
    problems: readCsv(join(outDir, 'problems.csv')),
    problemsText: readFileSync(join(outDir, 'problems.csv'), 'utf8'),
  }
}

/** Problems as {row, reason} pairs, in file order. */
export function problemRows(files: PreparedFiles): Array<{ row: number; reason: string }> {
  return files.problems.slice(1).map((cells) => ({ row: Number(cells[0]), reason: cells[1]! }))
}

// ---------------------------------------------------------------- XLSX fixtures

export type XlsxCell =
  | string
  | number
  | boolean
  | null
  | { shared: string }
  | { formula: string; cached: string | number; type?: 'str' | 'n' | 'b' }
  | { number: number; style: number }
  | { raw: string }

export interface XlsxSheet {
  name: string
  rows: Array<{ r?: number; cells: XlsxCell[] }>
  /** The `<dimension ref>` to state (may be larger than the content). */
  dimension?: string
  hidden?: boolean
}

const escape = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const letter = (index: number): string => {
  let name = ''
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name
  return name
}

/**
 * Builds an .xlsx with yazl: plain strings become inline strings, `{shared}` go through the
 * shared-strings table, numbers are numeric cells, booleans `t="b"`, `{formula}` carry a cached
 * result, `{number, style}` use a cell style from `numFmts` (style 1 = date, 2 = "00000", 3 = 0%).
 */
export async function writeXlsx(
  name: string,
  sheets: XlsxSheet[],
  options: { date1904?: boolean } = {},
): Promise<string> {
  const shared: string[] = []
  const sharedIndex = (text: string): number => {
    let index = shared.indexOf(text)
    if (index === -1) index = shared.push(text) - 1
    return index
  }
  const sheetXml = sheets.map((sheet) => {
    let rowNumber = 0
    const rows = sheet.rows.map((row) => {
      rowNumber = row.r ?? rowNumber + 1
      const cells = row.cells
        .map((cell, index) => {
          const ref = `${letter(index)}${rowNumber}`
          if (cell === null) return ''
          if (typeof cell === 'string')
            return `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escape(cell)}</t></is></c>`
          if (typeof cell === 'number') return `<c r="${ref}"><v>${cell}</v></c>`
          if (typeof cell === 'boolean') return `<c r="${ref}" t="b"><v>${cell ? 1 : 0}</v></c>`
          if ('shared' in cell) return `<c r="${ref}" t="s"><v>${sharedIndex(cell.shared)}</v></c>`
          if ('formula' in cell)
            return `<c r="${ref}"${cell.type && cell.type !== 'n' ? ` t="${cell.type}"` : ''}><f>${escape(cell.formula)}</f><v>${escape(String(cell.cached))}</v></c>`
          if ('style' in cell) return `<c r="${ref}" s="${cell.style}"><v>${cell.number}</v></c>`
          return cell.raw
        })
        .join('')
      return `<row r="${rowNumber}">${cells}</row>`
    })
    return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="${sheet.dimension ?? 'A1'}"/><sheetData>${rows.join('')}</sheetData></worksheet>`
  })
  const zip = new yazl.ZipFile()
  const add = (path: string, text: string): void => zip.addBuffer(Buffer.from(text, 'utf8'), path)
  add(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>',
  )
  add(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  )
  add(
    'xl/workbook.xml',
    `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr${options.date1904 ? ' date1904="1"' : ''}/><sheets>${sheets.map((s, i) => `<sheet name="${escape(s.name)}" sheetId="${i + 1}"${s.hidden ? ' state="hidden"' : ''} r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
  )
  add(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
  )
  add(
    'xl/styles.xml',
    '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="00000"/><numFmt numFmtId="165" formatCode="dd/mm/yyyy"/></numFmts><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="165"/><xf numFmtId="164"/><xf numFmtId="9"/></cellXfs></styleSheet>',
  )
  sheetXml.forEach((text, i) => add(`xl/worksheets/sheet${i + 1}.xml`, text))
  // Phonetic runs (<rPh>) must not leak into the text.
  add(
    'xl/sharedStrings.xml',
    `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${shared.map((s) => `<si><t xml:space="preserve">${escape(s)}</t><rPh sb="0" eb="1"><t>ヨミ</t></rPh></si>`).join('')}</sst>`,
  )
  zip.end()
  const chunks: Buffer[] = []
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer)
  return writeFile(name, Buffer.concat(chunks))
}

/** A zip with arbitrary parts (for .ods / .docx / plain zip fixtures). */
export async function writeZip(name: string, parts: Record<string, string>): Promise<string> {
  const zip = new yazl.ZipFile()
  for (const [part, text] of Object.entries(parts)) zip.addBuffer(Buffer.from(text), part)
  zip.end()
  const chunks: Buffer[] = []
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer)
  return writeFile(name, Buffer.concat(chunks))
}

/**
 * Rows of every kind: plain ones, cells to quote or trim, upper-case and long addresses, values
 * longer than an import takes (cut in the group files),
 * duplicates, conflicts (settled early and late), problems, cells Excel would take for formulas,
 * rows wider than the header, and lines with a broken quote.
 */
export function mixedCsv(rows: number): string {
  const lines = ['Email,Name,Company,Flag']
  for (let i = 0; i < rows; i++) {
    if (i % 13 === 3) lines.push(`broken-${i},Name ${i},Acme,1`)
    else if (i % 11 === 5) lines.push(`dup${i % 7}@example.com,Dup ${i},"Globex, Ltd.",${i % 2}`)
    else if (i % 17 === 9) lines.push(`User${i}@Example.com , Zoë ${i},"Umbrella ""Health""",${i % 2}`)
    else if (i % 23 === 4) lines.push(`same${i % 3}@example.com,Same ${i},Hooli,1`)
    else if (i % 29 === 7) lines.push(`Long.Address.${'x'.repeat(40)}.${i}@Example.com,=SUM(A${i}),-${i},1,extra`)
    else if (i % 31 === 8) lines.push(`broken${i}@example.com,"Name ${i},Hooli,0`)
    else if (i % 37 === 9) lines.push(`maybe${i}@example.com,+1 555 ${i},@home,maybe`)
    else if (i % 19 === 2) lines.push(`late${i % 5}@example.com,Late ${i},Initech,${i > rows / 2 ? 1 : 0}`)
    else if (i % 41 === 6) lines.push(`cut${i}@example.com,${'N'.repeat(55)},"${'Q'.repeat(52)}, Inc",${i % 2}`)
    else if (i % 43 === 7) lines.push(`pad${i}@example.com,  ${'P'.repeat(50)}  ,Hooli,${i % 2}`)
    else lines.push(`user${i}@example.com,"Name ${i}",Hooli,${i % 2}`)
  }
  return `${lines.join('\r\n')}\r\n`
}

// ---------------------------------------------------------------- the pass's helper threads

/** Prepares the file twice, without and with one of the pass's helper threads; returns both job folders. */
export async function prepareBothWays(
  path: string,
  thread: 'writerThread' | 'readThread',
  options: Partial<PrepareOptions> = {},
): Promise<Record<'here' | 'thread', string>> {
  const inspection = await inspectSource(path, options)
  const outDirs = { here: join(tempDir(), 'job'), thread: join(tempDir(), 'job') }
  for (const way of ['here', 'thread'] as const) {
    await prepareJob(path, { mapping: inspection.suggestion.mapping, ...options }, outDirs[way], {
      [thread]: way === 'thread',
    })
  }
  return outDirs
}

/** The two job folders hold the same files, byte for byte; summary.json apart from its times. */
export function expectSameJobFolders(outDirs: Record<'here' | 'thread', string>): void {
  const files = readdirSync(outDirs.here).sort()
  expect(readdirSync(outDirs.thread).sort()).toEqual(files)
  for (const name of files) {
    if (name.endsWith('.json')) continue // timestamps and durations differ
    expect(readFileSync(join(outDirs.thread, name)).equals(readFileSync(join(outDirs.here, name))), name).toBe(true)
  }
  const summary = (dir: string): unknown => {
    const {
      preparedAt: _at,
      durationMs: _ms,
      ...rest
    } = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>
    return rest
  }
  expect(summary(outDirs.thread)).toEqual(summary(outDirs.here))
}

/** A pass on a large file, with the given hooks, cancelled at its first progress: it rejects and leaves no files behind. */
export async function expectCancelLeavesNothing(hooks: PrepareHooks): Promise<void> {
  const path = writeFile('mixed.csv', mixedCsv(200000))
  const inspection = await inspectSource(path)
  const outDir = join(tempDir(), 'job')
  const controller = new AbortController()
  const run = prepareJob(path, { mapping: inspection.suggestion.mapping }, outDir, {
    ...hooks,
    signal: controller.signal,
    onProgress: () => controller.abort(),
  })
  await expect(run).rejects.toThrow()
  expect(existsSync(join(outDir, 'job.json'))).toBe(false)
  expect(readdirSync(outDir)).toEqual([])
}
