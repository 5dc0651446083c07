import { open } from 'node:fs/promises'
import type { SpreadsheetOverview } from '../../../shared/contract'
import { UserFacingError } from '../../../shared/errors'
import { startWorker } from '../worker-entry'
import type { CsvScanMessage } from './csv-scan-protocol'

export interface OverviewOptions {
  onProgress?: (bytesRead: number, totalBytes: number) => void
  signal?: AbortSignal
}

/**
 * Reads a CSV file's header row and counts its data rows, streaming it once in a worker thread
 * so the calling process stays responsive and memory stays flat whatever the file's size.
 */
export async function readSpreadsheetOverview(
  file: { fileId: string; name: string; path: string },
  options: OverviewOptions = {},
): Promise<SpreadsheetOverview> {
  await rejectIfNotText(file.path, file.name)
  const result = await scanInWorker(file.path, file.name, options)
  if (result.headers.length === 0) {
    throw new UserFacingError('empty_file', `“${file.name}” has no rows.`, 'Open the file in Excel to check it, or choose another file.')
  }
  return {
    fileId: file.fileId,
    name: file.name,
    format: 'csv',
    encoding: result.encoding,
    delimiter: result.delimiter,
    headers: result.headers,
    rowCount: result.rowCount,
  }
}

function scanInWorker(path: string, name: string, { onProgress, signal }: OverviewOptions): Promise<Extract<CsvScanMessage, { type: 'done' }>> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled(name))
    const worker = startWorker('csv-scan-worker', 'electron/services/spreadsheet/csv-scan-worker.ts', { workerData: { path } })
    const onAbort = () => {
      void worker.terminate()
      reject(cancelled(name))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    const finish = () => signal?.removeEventListener('abort', onAbort)
    worker.on('message', (message: CsvScanMessage) => {
      if (message.type === 'progress') onProgress?.(message.bytesRead, message.totalBytes)
      else if (message.type === 'done') {
        finish()
        resolve(message)
      } else {
        finish()
        reject(unreadable(name, message.message))
      }
    })
    worker.on('error', (error) => {
      finish()
      reject(unreadable(name, error.message))
    })
    worker.on('exit', (code) => {
      if (code !== 0 && !signal?.aborted) reject(unreadable(name, `worker exited with code ${code}`))
    })
  })
}

const SIGNATURES: Array<{ bytes: number[]; what: string }> = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG picture' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG picture' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF picture' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a compressed (zip) file' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old-style Excel or Office file' },
]

/** Looks at the first bytes so pictures, PDFs and other binary files get a clear message, not garbage columns. */
async function rejectIfNotText(path: string, name: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(8192), 0, 8192, 0)
    const head = buffer.subarray(0, bytesRead)
    if (bytesRead === 0) {
      throw new UserFacingError('empty_file', `“${name}” is empty.`, 'Choose the spreadsheet that has your contacts in it.')
    }
    const match = SIGNATURES.find((s) => s.bytes.every((byte, i) => head[i] === byte))
    const binary = match?.what ?? (head.includes(0) ? 'not a text file' : undefined)
    if (binary) {
      throw new UserFacingError(
        'not_a_spreadsheet',
        `“${name}” is ${binary}, not a spreadsheet Splitsend can read.`,
        'In Excel, open your contact list and use File › Save As › “CSV UTF-8 (Comma delimited)”, then open that file here.',
      )
    }
  } finally {
    await handle.close()
  }
}

function cancelled(name: string): UserFacingError {
  return new UserFacingError('cancelled', `Reading “${name}” was stopped.`)
}

function unreadable(name: string, detail: string): UserFacingError {
  return new UserFacingError('unreadable_file', `Splitsend could not read “${name}” (${detail}).`, 'Check that the file opens in Excel, save it again as CSV, and try once more.')
}
