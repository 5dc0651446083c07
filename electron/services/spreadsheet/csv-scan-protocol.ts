/** Messages between the CSV scan worker and the thread that started it. */
export interface CsvScanRequest {
  path: string
}

export type CsvScanMessage =
  | { type: 'progress'; bytesRead: number; totalBytes: number }
  | { type: 'done'; headers: string[]; rowCount: number; delimiter: string; encoding: string; malformedRows: number }
  | { type: 'failed'; message: string }
