import { closeSync, createReadStream, openSync, readSync } from 'node:fs'
import { UserFacingError } from '../../../shared/errors'
import { CsvChunkParser, detectNewline } from '../spreadsheet/csv-parse'

/**
 * The records of a comma-separated file, in order, a read piece at a time (about 1 MB of text, so
 * memory stays the same whatever the file's size). The first record is the header. A record that
 * can't be read stops the reading with a plain error naming the file and the row: the membership
 * step never acts on a file it read only in part.
 */
export async function* csvRecordChunks(path: string, what: string): AsyncGenerator<string[][]> {
  const decoder = new TextDecoder('utf-8')
  let pending: string[][] = []
  let broken: { row: number; detail: string } | undefined
  let parser: CsvChunkParser | undefined
  const sink = {
    row: (cells: string[]) => void pending.push(cells),
    malformed: (_raw: string, row: number, detail: string) => {
      broken ??= { row, detail }
      return false
    },
  }
  const feed = (text: string): void => {
    if (!parser) {
      text = text.replace(/^\ufeff/, '')
      if (!text) return
      parser = new CsvChunkParser({ delimiter: ',', newline: detectNewline(text) }, sink)
    }
    parser.push(text)
  }
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    feed(decoder.decode(chunk as Buffer, { stream: true }))
    if (broken) break
    if (pending.length) {
      yield pending
      pending = []
    }
  }
  if (!broken) {
    const rest = decoder.decode()
    if (rest) feed(rest)
    parser?.end()
  }
  if (broken)
    throw new UserFacingError(
      'membership_file_unreadable',
      `${what} can’t be read: row ${broken.row.toLocaleString('en-US')} ${broken.detail}.`,
      'Nothing was removed from any list. Try again; if it happens again, tell us which file it was.',
    )
  if (pending.length) yield pending
}

/**
 * The same, without waiting: for a thread that writes a file in one go (the report worker). Calls
 * `each` with every record in order, the header first; returns the number of records.
 */
export function forEachCsvRecordSync(path: string, what: string, each: (cells: string[]) => void): number {
  const fd = openSync(path, 'r')
  const chunk = Buffer.allocUnsafe(1 << 20)
  const decoder = new TextDecoder('utf-8')
  let records = 0
  let broken: { row: number; detail: string } | undefined
  let parser: CsvChunkParser | undefined
  const sink = {
    row: (cells: string[]) => {
      records++
      each(cells)
    },
    malformed: (_raw: string, row: number, detail: string) => {
      broken ??= { row, detail }
      return false
    },
  }
  const feed = (text: string): void => {
    if (!parser) {
      text = text.replace(/^\ufeff/, '')
      if (!text) return
      parser = new CsvChunkParser({ delimiter: ',', newline: detectNewline(text) }, sink)
    }
    parser.push(text)
  }
  try {
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null)
      if (n === 0) break
      feed(decoder.decode(chunk.subarray(0, n), { stream: true }))
      if (broken) break
    }
    if (!broken) {
      const rest = decoder.decode()
      if (rest) feed(rest)
      parser?.end()
    }
  } finally {
    closeSync(fd)
  }
  if (broken)
    throw new UserFacingError(
      'membership_file_unreadable',
      `${what} can’t be read: row ${broken.row.toLocaleString('en-US')} ${broken.detail}.`,
    )
  return records
}
