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

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const ms = (value: number): string => `${value.toFixed(1)} ms`.padStart(9)

/** The time until the answer, and what it cost this thread (event-loop utilisation). */
async function timed(work: () => Promise<unknown>): Promise<{ answer: number; busy: number }> {
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
 * inspection of each file, then the median of the next ones.
 */
async function side(mode: 'before' | 'after'): Promise<void> {
  if (mode === 'after') {
    warmInspectWorker() // as the app does when it starts
    await sleep(1000) // the person finds the file
  }
  const inspect = (path: string) => (mode === 'before' ? inspectSource(path) : inspectInWorker(path))
  for (const [label, path] of files) {
    const first = await timed(() => inspect(path))
    const next: Array<{ answer: number; busy: number }> = []
    for (let i = 0; i < RUNS; i++) next.push(await timed(() => inspect(path)))
    const said = (cost: { answer: number; busy: number }) => `${ms(cost.answer)}, busy ${ms(cost.busy)}`
    const med = { answer: median(next.map((n) => n.answer)), busy: median(next.map((n) => n.busy)) }
    console.log(`${mode.padEnd(6)} ${label.padEnd(22)} first ${said(first)}   next ${said(med)}`)
  }
}

try {
  const mode = process.argv[2]
  if (mode === 'before' || mode === 'after') {
    await side(mode)
    process.exit(0)
  }
  console.log(
    `before: inspectSource on the calling thread; after: inspectInWorker (worker started with the app).\n"busy": the time the calling thread could not serve anything else; "next": median of ${RUNS}.\n`,
  )
  for (const mode of ['before', 'after']) execFileSync(process.execPath, [process.argv[1]!, mode], { stdio: 'inherit' })
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
  console.log(
    `\nsuggestMapping: 2,000 columns ${ms(narrow)}, 16,000 columns ${ms(wide)}: ratio ${(wide / narrow).toFixed(1)} (8 is linear)`,
  )
} finally {
  await stopInspectWorker()
  if (!process.argv[2]) rmSync(work, { recursive: true, force: true })
}
