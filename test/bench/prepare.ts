/**
 * `npm run bench:prepare` — speed and memory of the Prepare engine (a benchmark, not a test).
 *
 * Generates, deterministically, a 1,000,000-row contact CSV (~100 MB: 10 columns, some quoted
 * fields, ~2 % invalid addresses, duplicates and conflicts) and a 100,000-row XLSX in a temp
 * folder, then measures side by side, each side in its own child process so its peak memory
 * (max RSS) is its own:
 *   (a) papaparse streaming the CSV into arrays and nothing else  vs  prepare on the CSV
 *   (b) a plain streaming read of the XLSX with our reader          vs  prepare on the XLSX
 *   (c) inspect on the 1,000,000-row file                            vs  inspect on a 1,000-row file
 * "prepare" is `splitsend prepare <file> --out <dir>` (inspect, suggested columns, full pass) from
 * the build when there is one. Both sides of (a) run in plain Node (plain-child.mjs), as a person
 * runs the command; the tsx loader the other children need makes papaparse slower and would be
 * inherited by every worker thread of the command. Each side of (a) and (b) runs BENCH_REPEAT times (default 5), the
 * two taking turns, and the median run of each is compared: one busy moment on a shared machine
 * then doesn't decide the ratio. (Bare papaparse alone takes anywhere from 1.6 to 3.5 s on the same
 * file on a 2-core machine, depending on how much of its output the garbage collector finds still
 * alive; the spread of each side is printed.)
 * Each pair is printed side by side, its last column the ratio prepare/read (large/small for (c)).
 * Targets: prepare ≤ 1.5× the bare CSV parse; peak memory < 400 MB at 1,000,000 rows.
 */
import { execFileSync } from 'node:child_process'
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import Papa from 'papaparse'
import yazl from 'yazl'
import { median, medianBy, printSideBySide, showRatio } from './compare'
import { seededRandom } from './seeded-random'

const CSV_ROWS = Number(process.env.BENCH_CSV_ROWS ?? 1_000_000)
const XLSX_ROWS = Number(process.env.BENCH_XLSX_ROWS ?? 100_000)

// ---------------------------------------------------------------- deterministic data

const FIRST = [
  'Anna',
  'Bruno',
  'Chloé',
  'David',
  'Emma',
  'François',
  'Greta',
  'Hugo',
  'Inès',
  'Jonas',
  'Karin',
  'Luca',
  'Marta',
  'Nils',
  'Olivia',
  'Pablo',
]
const LAST = [
  'Smith',
  'Müller',
  'García',
  'Rossi',
  'Dubois',
  'Jansen',
  'Nowak',
  'Silva',
  "O'Brien",
  'Lindqvist',
  'Kowalski',
  'Moreau',
]
const COMPANY = [
  'Acme Inc.',
  'Globex, Ltd.',
  'Initech',
  'Umbrella "Health"',
  'Stark Industries',
  'Wayne Enterprises',
  'Hooli',
  'Vandelay Imports',
]
const CITY = ['Paris', 'Berlin', 'Madrid', 'Rome', 'Amsterdam', 'Lisbon', 'Vienna', 'Zürich', 'New York', 'Toronto']
const COUNTRY = [
  'France',
  'Germany',
  'Spain',
  'Italy',
  'Netherlands',
  'Portugal',
  'Austria',
  'Switzerland',
  'United States',
  'Canada',
]
const pick = <T>(next: () => number, list: readonly T[]): T => list[Math.floor(next() * list.length)]!

interface Contact {
  email: string
  first: string
  last: string
  company: string
  phone: string
  city: string
  country: string
  flag: string
  notes: string
  since: string
}

function* contacts(count: number, seed: number): Generator<Contact> {
  const next = seededRandom(seed)
  const earlier: Array<{ email: string; flag: string }> = []
  for (let i = 0; i < count; i++) {
    const dice = next()
    let email: string
    let flag = next() < 0.5 ? '0' : '1'
    if (dice < 0.02)
      email = pick(next, ['bob@example', 'no-at-sign.example.com', 'two@@example.com', 'space in@example.com', ''])
    else if (dice < 0.05 && earlier.length > 0) {
      const again = pick(next, earlier)
      email = again.email
      flag = dice < 0.045 ? again.flag : again.flag === '0' ? '1' : '0' // mostly duplicates, some conflicts
    } else
      email = `user${i}.${pick(next, LAST)
        .toLowerCase()
        .replace(/[^a-z]/g, '')}@example${i % 97}.com`
    if (earlier.length < 5000 || next() < 0.01)
      earlier[earlier.length < 5000 ? earlier.length : Math.floor(next() * 5000)] = { email, flag }
    yield {
      email,
      first: pick(next, FIRST),
      last: pick(next, LAST),
      company: pick(next, COMPANY),
      phone: `+1 555 ${String(Math.floor(next() * 1e7)).padStart(7, '0')}`,
      city: pick(next, CITY),
      country: pick(next, COUNTRY),
      flag: next() < 0.005 ? 'maybe' : flag,
      notes: next() < 0.2 ? 'Met at the fair, "follow up"\nin spring' : 'none',
      since: `20${String(10 + Math.floor(next() * 15))}-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 9)}`,
    }
  }
}

const HEADER = [
  'Email',
  'First Name',
  'Last Name',
  'Company',
  'Phone',
  'City',
  'Country',
  'Uses app',
  'Notes',
  'Member since',
]
const quote = (value: string): string => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)
const toCells = (c: Contact): string[] => [
  c.email,
  c.first,
  c.last,
  c.company,
  c.phone,
  c.city,
  c.country,
  c.flag,
  c.notes,
  c.since,
]

function writeCsv(path: string, rows: number): void {
  const fd = openSync(path, 'w')
  let parts: string[] = [`${HEADER.join(',')}\r\n`]
  for (const contact of contacts(rows, 42)) {
    parts.push(`${toCells(contact).map(quote).join(',')}\r\n`)
    if (parts.length >= 10000) {
      writeSync(fd, parts.join(''))
      parts = []
    }
  }
  writeSync(fd, parts.join(''))
  closeSync(fd)
}

const xml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

async function writeXlsx(path: string, rows: number): Promise<void> {
  // Cities and countries as shared strings, other text inline, the flag as a number.
  const shared = [...CITY, ...COUNTRY]
  const sharedIndex = new Map(shared.map((s, i) => [s, i]))
  const column = (i: number): string => String.fromCharCode(65 + i)
  const sheet: string[] = [
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:J1048576"/><sheetData>',
  ]
  const cell = (ref: string, value: string): string => {
    const index = sharedIndex.get(value)
    if (index !== undefined) return `<c r="${ref}" t="s"><v>${index}</v></c>`
    if (/^[01]$/.test(value)) return `<c r="${ref}"><v>${value}</v></c>`
    return `<c r="${ref}" t="inlineStr"><is><t>${xml(value)}</t></is></c>`
  }
  sheet.push(`<row r="1">${HEADER.map((h, i) => cell(`${column(i)}1`, h)).join('')}</row>`)
  let r = 2
  for (const contact of contacts(rows, 7)) {
    sheet.push(
      `<row r="${r}">${toCells(contact)
        .map((v, i) => (v === '' ? '' : cell(`${column(i)}${r}`, v)))
        .join('')}</row>`,
    )
    r++
  }
  sheet.push('</sheetData></worksheet>')
  const zip = new yazl.ZipFile()
  zip.addBuffer(
    Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    ),
    '[Content_Types].xml',
  )
  zip.addBuffer(
    Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    '_rels/.rels',
  )
  zip.addBuffer(
    Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Contacts" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    'xl/workbook.xml',
  )
  zip.addBuffer(
    Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    ),
    'xl/_rels/workbook.xml.rels',
  )
  zip.addBuffer(
    Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${shared.length}" uniqueCount="${shared.length}">${shared.map((s) => `<si><t>${xml(s)}</t></si>`).join('')}</sst>`,
    ),
    'xl/sharedStrings.xml',
  )
  zip.addBuffer(Buffer.from(sheet.join('')), 'xl/worksheets/sheet1.xml')
  zip.end()
  await new Promise<void>((resolve, reject) => {
    const chunks: Buffer[] = []
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c))
    zip.outputStream.on('end', () => {
      writeFileSync(path, Buffer.concat(chunks))
      resolve()
    })
    zip.outputStream.on('error', reject)
  })
}

// ---------------------------------------------------------------- the measured tasks (child side)

async function child(task: string, file: string, outDir: string): Promise<void> {
  // Load the code first: under tsx, compiling TypeScript would otherwise count as work (the app runs bundled JS).
  const { Workbook } = await import('../../electron/services/spreadsheet/xlsx/workbook')
  const { readSheetRows } = await import('../../electron/services/spreadsheet/xlsx/sheet-reader')
  const { inspectSource } = await import('../../electron/services/prepare/inspect')
  const { prepareJob } = await import('../../electron/services/prepare/pass')
  const builtCommand = existsSync(BUILT_COMMAND)
    ? (
        (await import(pathToFileURL(BUILT_COMMAND).href)) as {
          main: (argv: string[], io: { stdout: (t: string) => void; stderr: (t: string) => void }) => Promise<number>
        }
      ).main
    : undefined
  const started = performance.now()
  let detail: unknown = null
  if (task === 'papaparse') {
    let rows = 0
    await new Promise<void>((resolve, reject) => {
      Papa.parse(createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }) as unknown as File, {
        chunk: (results: Papa.ParseResult<string[]>) => {
          rows += results.data.length
        },
        complete: () => resolve(),
        error: reject,
      })
    })
    detail = { rows }
  } else if (task === 'xlsx-read') {
    const workbook = await Workbook.open(file, 'bench.xlsx')
    const strings = await workbook.loadSharedStrings()
    let rows = 0
    await readSheetRows(workbook, workbook.sheets[0]!, () => void rows++, { sharedStrings: strings })
    workbook.close()
    detail = { rows }
  } else if (task === 'prepare') {
    let summary: { rows: number; groups: unknown; problems: unknown }
    if (builtCommand) {
      // `splitsend prepare` as a person runs it: the built command, in this process (so its worker
      // threads count in the peak memory), with the suggested columns.
      let out = ''
      const code = await builtCommand(['prepare', file, '--out', outDir, '--json'], {
        stdout: (t: string) => void (out += t),
        stderr: (t: string) => void process.stderr.write(t),
      })
      if (code !== 0) throw new Error(`splitsend prepare exited ${code}`)
      summary = JSON.parse(out) as typeof summary
    } else {
      // From the sources each worker thread compiles itself.
      const inspection = await inspectSource(file)
      summary = await prepareJob(file, { mapping: inspection.suggestion.mapping }, outDir)
    }
    detail = { rows: summary.rows, groups: summary.groups, problems: summary.problems }
  } else if (task === 'inspect') {
    const times: number[] = []
    for (let i = 0; i < 7; i++) {
      const t = performance.now()
      await inspectSource(file)
      times.push(performance.now() - t)
    }
    detail = { medianMs: median(times) }
  }
  const ms = performance.now() - started
  process.stdout.write(`${JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024, detail })}\n`)
}

// ---------------------------------------------------------------- the driver

interface Measurement {
  ms: number
  peakRssMb: number
  detail: unknown
}

/**
 * The build (`npm run build`, done by `npm ci`) when there is one: the app and the command run
 * bundled code, and their worker threads start from it.
 */
const BUILT_COMMAND = join(import.meta.dirname, '..', '..', 'out', 'main', 'cli.js')

/**
 * Runs one task in a child process: in plain Node (plain-child.mjs: papaparse, and the built
 * command) when `plain`, else through tsx (this file's child()). Both sides of a pair run the same way.
 */
function measure(task: string, file: string, outDir = '', plain = false): Measurement {
  if (outDir) rmSync(outDir, { recursive: true, force: true })
  const plainChild = join(import.meta.dirname, 'plain-child.mjs')
  const args = !plain
    ? ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', task, file, outDir]
    : task === 'prepare'
      ? [plainChild, task, BUILT_COMMAND, file, outDir]
      : [plainChild, task, file]
  const output = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 })
  return JSON.parse(output.trim().split('\n').pop()!) as Measurement
}

/** Each side of a pair run REPEAT times, taking turns (so a busy moment hits both), and the median run of each. */
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 5))
function measurePair(left: () => Measurement, right: () => Measurement): [Measurement, Measurement] {
  const lefts: Measurement[] = []
  const rights: Measurement[] = []
  for (let i = 0; i < REPEAT; i++) {
    lefts.push(left())
    rights.push(right())
  }
  const seconds = (runs: Measurement[]): string => runs.map((r) => (r.ms / 1000).toFixed(2)).join(', ')
  if (REPEAT > 1) console.log(`  runs: ${seconds(lefts)} s  vs  ${seconds(rights)} s`)
  return [medianBy(lefts, (r) => r.ms), medianBy(rights, (r) => r.ms)]
}

async function driver(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'splitsend-bench-'))
  try {
    const csv = join(dir, 'contacts-1m.csv')
    const smallCsv = join(dir, 'contacts-1k.csv')
    const xlsx = join(dir, 'contacts-100k.xlsx')
    let t = performance.now()
    writeCsv(csv, CSV_ROWS)
    writeCsv(smallCsv, 1000)
    await writeXlsx(xlsx, XLSX_ROWS)
    const mb = (path: string): string => (statSync(path).size / 1e6).toFixed(1)
    console.log(
      `Generated ${CSV_ROWS.toLocaleString('en-US')}-row CSV (${mb(csv)} MB), 1,000-row CSV, ${XLSX_ROWS.toLocaleString('en-US')}-row XLSX (${mb(xlsx)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    )
    console.log(`Node ${process.version}, ${(await import('node:os')).cpus().length} CPUs\n`)

    const pair = (title: string, names: [string, string], left: Measurement, right: Measurement): void => {
      console.log(title)
      printSideBySide(names, 'prepare/read', [
        { label: 'time', values: [left.ms, right.ms], show: (ms) => `${(ms / 1000).toFixed(2)} s` },
        { label: 'peak memory', values: [left.peakRssMb, right.peakRssMb], show: (mb) => `${mb.toFixed(0)} MB` },
      ])
      console.log('')
    }
    t = performance.now()
    const built = existsSync(BUILT_COMMAND)
    console.log(
      `Each side ${REPEAT === 1 ? 'once' : `${REPEAT} times, taking turns; the median run of each`} (BENCH_REPEAT); prepare runs ${built ? 'the built command; both sides of (a) in plain Node (plain-child.mjs)' : 'from the TypeScript sources (no build)'}.\n`,
    )
    const [papa, prepareCsv] = measurePair(
      () => measure('papaparse', csv, '', built),
      () => measure('prepare', csv, join(dir, 'job-csv'), built),
    )
    pair(
      `(a) CSV, ${CSV_ROWS.toLocaleString('en-US')} rows`,
      ['papaparse stream, nothing else', 'prepare (inspect + full pass)'],
      papa,
      prepareCsv,
    )
    console.log(`  prepare result: ${JSON.stringify(prepareCsv.detail)}\n`)
    const [xlsxRead, prepareXlsx] = measurePair(
      () => measure('xlsx-read', xlsx),
      () => measure('prepare', xlsx, join(dir, 'job-xlsx')),
    )
    pair(
      `(b) XLSX, ${XLSX_ROWS.toLocaleString('en-US')} rows`,
      ['streaming read (yauzl + saxes)', 'prepare (inspect + full pass)'],
      xlsxRead,
      prepareXlsx,
    )
    const inspectBig = measure('inspect', csv)
    const inspectSmall = measure('inspect', smallCsv)
    const big = (inspectBig.detail as { medianMs: number }).medianMs
    const small = (inspectSmall.detail as { medianMs: number }).medianMs
    console.log('(c) inspect')
    printSideBySide(['1,000 rows', `${CSV_ROWS.toLocaleString('en-US')} rows`], 'large/small', [
      { label: 'time (median of 7)', values: [small, big], show: (ms) => `${ms.toFixed(1)} ms` },
    ])
    const csvRatio = prepareCsv.ms / papa.ms
    console.log(
      `\nTargets: prepare ≤ 1.5× bare parse → ${showRatio(prepareCsv.ms, papa.ms)} ${csvRatio <= 1.5 ? 'met' : 'NOT met'}; peak < 400 MB → ${prepareCsv.peakRssMb.toFixed(0)} MB ${prepareCsv.peakRssMb < 400 ? 'met' : 'NOT met'}`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!, process.argv[5] ?? '')
else if (process.argv[2] === '--generate') {
  // Only write the files (into the given folder), e.g. to profile by hand.
  const dir = process.argv[3] ?? '.'
  writeCsv(join(dir, 'contacts.csv'), CSV_ROWS)
  await writeXlsx(join(dir, 'contacts.xlsx'), XLSX_ROWS)
} else await driver()
