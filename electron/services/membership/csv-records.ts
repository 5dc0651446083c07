import { closeSync, openSync, readSync } from 'node:fs'
import { UserFacingError } from '../../../shared/errors'
import { CsvChunkParser, detectNewline } from '../spreadsheet/csv-parse'
import { filePieces } from '../files/file-pieces'

/**
 * The records of a comma-separated file, in order, a read piece at a time (about 1 MB of text, so
 * memory stays the same whatever the file's size). The first record is the header. A record that
 * can't be read stops the reading with a plain error naming the file and the row: the membership
 * step never acts on a file it read only in part.
 */
export async function* csvRecordChunks(path: string, what: string): AsyncGenerator<string[][]> {
  const reader = new CsvRecordReader(what)
  for await (const piece of filePieces(path, READ_BYTES)) {
    const records = reader.push(piece)
    if (records.length) yield records
  }
  const rest = reader.end()
  if (rest.length) yield rest
}

/** The same, without waiting: for a thread that writes a file in one go (the report worker). */
export function forEachCsvRecordSync(path: string, what: string, each: (cells: string[]) => void): void {
  const reader = new CsvRecordReader(what)
  const fd = openSync(path, 'r')
  const chunk = Buffer.allocUnsafe(READ_BYTES)
  try {
    for (let n = readSync(fd, chunk, 0, READ_BYTES, null); n > 0; n = readSync(fd, chunk, 0, READ_BYTES, null))
      reader.push(chunk.subarray(0, n)).forEach(each)
  } finally {
    closeSync(fd)
  }
  reader.end().forEach(each)
}

const READ_BYTES = 1 << 20

/**
 * Bytes in, records out: UTF-8 decoding across pieces, the BOM dropped, the line break found in the
 * first piece. Also fed straight from a download (an export partitioned as it arrives).
 */
export class CsvRecordReader {
  private readonly decoder = new TextDecoder('utf-8')
  private parser: CsvChunkParser | undefined
  private pending: string[][] = []
  private broken: { row: number; detail: string } | undefined

  constructor(private readonly what: string) {}

  push(bytes: Uint8Array): string[][] {
    this.feed(this.decoder.decode(bytes, { stream: true }))
    return this.take()
  }

  end(): string[][] {
    const rest = this.decoder.decode()
    if (rest) this.feed(rest)
    this.parser?.end()
    return this.take()
  }

  private feed(text: string): void {
    if (this.broken) return
    if (!this.parser) {
      text = text.replace(/^\ufeff/, '')
      if (!text) return
      this.parser = new CsvChunkParser(
        { delimiter: ',', newline: detectNewline(text) },
        {
          row: (cells) => void this.pending.push(cells),
          malformed: (_raw, row, detail) => {
            this.broken ??= { row, detail }
            return false
          },
        },
      )
    }
    this.parser.push(text)
  }

  private take(): string[][] {
    if (this.broken)
      throw new UserFacingError(
        'membership_file_unreadable',
        `${this.what} can’t be read: row ${this.broken.row.toLocaleString('en-US')} ${this.broken.detail}.`,
        'Nothing was removed from any list. Try again; if it happens again, tell us which file it was.',
      )
    const records = this.pending
    this.pending = []
    return records
  }
}
