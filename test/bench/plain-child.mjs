/**
 * The two sides of `npm run bench:prepare`'s CSV pair (a) when there is a build, each run in a
 * process of its own (so its peak memory, worker threads included, is its own) and in plain Node:
 *   papaparse <file>                 papaparse streaming the file into arrays, nothing else
 *   prepare <cli.js> <file> <dir>    `splitsend prepare` as a person runs it (the built command,
 *                                    the suggested columns)
 * Plain JavaScript on purpose: the bench's other children are TypeScript run through tsx, and its
 * loader changes what is measured — papaparse gets slower and the command's worker threads each
 * inherit the loader (measured at 1,000,000 rows: papaparse ~2.8–3.5 s under tsx against 2.1–3.4 s
 * without; prepare ~5 % slower and ~45 MB larger). Neither side carries it here.
 * Prints one JSON line: { ms, peakRssMb, detail }.
 */
import { createReadStream } from 'node:fs'
import { pathToFileURL } from 'node:url'
import Papa from 'papaparse'

const [task, ...args] = process.argv.slice(2)
let started = performance.now()
let detail
if (task === 'papaparse') {
  const [file] = args
  let rows = 0
  await new Promise((resolve, reject) => {
    Papa.parse(createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }), {
      chunk: (results) => {
        rows += results.data.length
      },
      complete: resolve,
      error: reject,
    })
  })
  detail = { rows }
} else if (task === 'prepare') {
  const [cli, file, outDir] = args
  const { main } = await import(pathToFileURL(cli).href) // loaded before the clock starts, as the bench's other children do
  started = performance.now()
  let out = ''
  const code = await main(['prepare', file, '--out', outDir, '--json'], {
    stdout: (text) => void (out += text),
    stderr: (text) => void process.stderr.write(text),
  })
  if (code !== 0) throw new Error(`splitsend prepare exited ${code}`)
  const { rows, groups, problems } = JSON.parse(out)
  detail = { rows, groups, problems }
} else throw new Error(`Unknown task ${task}`)
const ms = performance.now() - started
process.stdout.write(`${JSON.stringify({ ms, peakRssMb: process.resourceUsage().maxRSS / 1024, detail })}\n`)
