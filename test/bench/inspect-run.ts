/** The measuring side of `npm run bench:inspect` (see inspect.ts), run from a build in plain Node. */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { inspectSource } from '../../electron/services/prepare/inspect'
import { inspectInWorker, stopInspectWorker, warmInspectWorker } from '../../electron/services/prepare/inspect-thread'
import { suggestMapping } from '../../electron/services/prepare/suggest'
import { columnsFromHeader } from '../../electron/services/prepare/header-row'
import { part, sheetXml, textCell, zipBytes } from '../unit/spreadsheet/hostile-workbooks'
import { median, printSideBySide } from './compare'
import { generateContactsCsv } from './contacts-job'

const RUNS = 21
const work = process.env.BENCH_INSPECT_DIR ?? mkdtempSync(join(tmpdir(), 'splitsend-bench-inspect-'))
process.env.BENCH_INSPECT_DIR = work

function workbook(path: string, rows: number): void {
  const lines = [`<row r="1">${textCell('A1', 'Email')}${textCell('B1', 'Flag')}${textCell('C1', 'First name')}</row>`]
  for (let r = 2; r <= rows + 1; r++)
    lines.push(
      `<row r="${r}">${textCell(`A${r}`, `person${r}@example.com`)}<c r="B${r}"><v>${r % 2}</v></c>${textCell(`C${r}`, 'Ann')}</row>`,
    )
  const rels = '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'
  writeFileSync(
    path,
    zipBytes([
      part(
        'xl/workbook.xml',
        '<workbook xmlns:r="r"><sheets><sheet name="Contacts" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ),
      part('xl/_rels/workbook.xml.rels', rels),
      part('xl/worksheets/sheet1.xml', sheetXml(lines.join(''))),
    ]),
  )
}

const ms = (value: number): string => `${value.toFixed(1)} ms`

interface Cost {
  answer: number
  busy: number
}
/** Per file: its first inspection, and the median of the next ones. */
type SideFigures = Array<{ first: Cost; next: Cost }>

/** The time until the answer, and what it cost this thread (event-loop utilisation). */
async function timed(work: () => Promise<unknown>): Promise<Cost> {
  const before = performance.eventLoopUtilization()
  const start = performance.now()
  await work()
  const answer = performance.now() - start
  return { answer, busy: performance.eventLoopUtilization(before).active }
}

const files: Array<[string, string]> = [
  ['CSV, 1,000 rows', join(work, 'small.csv')],
  ['CSV, 1,000,000 rows', join(work, 'large.csv')],
  ['workbook, 10,000 rows', join(work, 'contacts.xlsx')],
]
if (!process.argv[2]) {
  generateContactsCsv(files[0]![1], 1_000)
  generateContactsCsv(files[1]![1], 1_000_000)
  workbook(files[2]![1], 10_000)
}

/**
 * One side, in a process of its own (so the first call is as cold as in a fresh app): the first
 * inspection of each file, then the median of the next ones; printed as one JSON line.
 */
async function side(mode: 'before' | 'after'): Promise<void> {
  if (mode === 'after') {
    warmInspectWorker() // as the app does when it starts
    await sleep(1000) // the person finds the file
  }
  const inspect = (path: string) => (mode === 'before' ? inspectSource(path) : inspectInWorker(path))
  const figures: SideFigures = []
  for (const [, path] of files) {
    const first = await timed(() => inspect(path))
    const next: Cost[] = []
    for (let i = 0; i < RUNS; i++) next.push(await timed(() => inspect(path)))
    figures.push({ first, next: { answer: median(next.map((n) => n.answer)), busy: median(next.map((n) => n.busy)) } })
  }
  process.stdout.write(`${JSON.stringify(figures)}\n`)
}

/** Runs one side in a fresh process and reads its figures. */
function runSide(mode: 'before' | 'after'): SideFigures {
  const output = execFileSync(process.execPath, [process.argv[1]!, mode], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return JSON.parse(output.trim().split('\n').at(-1)!) as SideFigures
}

try {
  const mode = process.argv[2]
  if (mode === 'before' || mode === 'after') {
    await side(mode)
    process.exit(0)
  }
  console.log(
    `before: inspectSource on the calling thread; after: inspectInWorker (worker started with the app).\n"busy": the time the calling thread could not serve anything else; "next": median of ${RUNS}.`,
  )
  const before = runSide('before')
  const after = runSide('after')
  files.forEach(([label], i) => {
    const [b, a] = [before[i]!, after[i]!]
    console.log(`\n${label}`)
    printSideBySide(['before', 'after'], 'after/before', [
      { label: 'first: answer', values: [b.first.answer, a.first.answer], show: ms },
      { label: 'first: busy', values: [b.first.busy, a.first.busy], show: ms },
      { label: 'next: answer', values: [b.next.answer, a.next.answer], show: ms },
      { label: 'next: busy', values: [b.next.busy, a.next.busy], show: ms },
    ])
  })
  const suggest = (columns: number): number => {
    const header = Array.from({ length: columns }, (_, i) => (i === 0 ? 'Email' : `Attribute ${i}`))
    const rows = Array.from({ length: 5 }, () => header.map((_, i) => (i === 0 ? 'a@example.com' : `v${i}`)))
    const start = performance.now()
    suggestMapping(columnsFromHeader(header, columns), rows)
    return performance.now() - start
  }
  for (let i = 0; i < 3; i++) suggest(4_000)
  const narrow = median(Array.from({ length: 7 }, () => suggest(2_000)))
  const wide = median(Array.from({ length: 7 }, () => suggest(16_000)))
  console.log('\nsuggestMapping (median of 7)')
  printSideBySide(['2,000 columns', '16,000 columns'], '16,000/2,000', [
    { label: 'time', values: [narrow, wide], show: ms, note: '8× is linear' },
  ])
} finally {
  await stopInspectWorker()
  if (!process.argv[2]) rmSync(work, { recursive: true, force: true })
}
