/**
 * Worker thread: streams a CSV file once with papaparse, never holding more than a chunk in memory,
 * and reports its header row and how many data rows follow it.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { parentPort, workerData } from 'node:worker_threads'
import Papa from 'papaparse'
import type { CsvScanMessage, CsvScanRequest } from './csv-scan-protocol'

const PROGRESS_INTERVAL_MS = 100

async function scan({ path }: CsvScanRequest): Promise<void> {
  const post = (message: CsvScanMessage) => parentPort?.postMessage(message)
  const totalBytes = (await stat(path)).size
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })
  let headers: string[] | undefined
  let rowCount = 0
  let malformedRows = 0
  let delimiter = ','
  let lastProgress = 0

  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(stream as unknown as File, {
      skipEmptyLines: 'greedy',
      delimitersToGuess: [',', ';', '\t', '|'],
      step(result) {
        if (!headers) {
          delimiter = result.meta.delimiter
          headers = result.data.map((cell, index) => (index === 0 ? cell.replace(/^\uFEFF/, '') : cell).trim())
          return
        }
        rowCount++
        if (result.errors.length > 0) malformedRows++
        const now = Date.now()
        if (now - lastProgress >= PROGRESS_INTERVAL_MS) {
          lastProgress = now
          post({ type: 'progress', bytesRead: stream.bytesRead, totalBytes })
        }
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    })
  })
  post({ type: 'progress', bytesRead: totalBytes, totalBytes })
  post({ type: 'done', headers: headers ?? [], rowCount, delimiter, encoding: 'utf-8', malformedRows })
}

scan(workerData as CsvScanRequest).catch((error: unknown) => {
  parentPort?.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) } satisfies CsvScanMessage)
})
