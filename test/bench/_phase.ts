import { readDecodedText } from '../../electron/services/spreadsheet/text-file'
import { CsvChunkParser } from '../../electron/services/spreadsheet/csv-parse'
import { createReadStream } from 'node:fs'
const file = process.argv[2]!
const what = process.argv[3]!
const t = performance.now()
let n = 0
if (what === 'decode') {
  await readDecodedText(file, 'utf-8', (text) => { n += text.length })
} else if (what === 'stream') {
  await new Promise<void>((res) => createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }).on('data', (s) => { n += (s as string).length }).on('end', res))
} else if (what === 'parse') {
  const p = new CsvChunkParser({ delimiter: ',', newline: '\n', expectedWidth: 10 }, { row() { n++ }, malformed() { n++ } })
  await readDecodedText(file, 'utf-8', (text) => { p.push(text) })
  p.end()
}
console.log(what, n, (performance.now() - t).toFixed(0), 'ms', (process.resourceUsage().maxRSS / 1024).toFixed(0), 'MB')
