import type { TextEncoding } from '../../../shared/prepare/schemas'
import { CsvChunkParser, type CsvParseSettings, type CsvSink } from './csv-parse'
import type { RowReadOptions, RowReadResult } from './source'
import { readDecodedText } from './text-file'
import { Utf8Positions } from './utf8-positions'

/** A text file to read, and what {@link readCsvRecords} needs to know of it. */
export interface CsvTextFile {
  path: string
  encoding: TextEncoding
  /** Bytes of byte order mark before the text (UTF-8 only: 3 or 0). */
  bomBytes: number
  sizeBytes: number
}

export interface CsvReadResult extends RowReadResult {
  /** Where the characters are in the file, after a complete UTF-8 read with nothing undecodable (see fetchRows). */
  positions: Utf8Positions | null
}

export type CsvReadOptions = Pick<RowReadOptions, 'signal' | 'maxBytes' | 'onProgress'>

/**
 * Reads and parses a CSV file from the top, giving each record to `sink`: how a source reads its
 * text ({@link readCsvRecords}, unless a faster way is given, see RowReadOptions.csvReader).
 */
export type CsvReader = (
  file: CsvTextFile,
  settings: CsvParseSettings,
  sink: CsvSink,
  read?: CsvReadOptions,
) => Promise<CsvReadResult>

/** Reads and parses a CSV file from the top on this thread, every record by papaparse. */
export const readCsvRecords: CsvReader = (file, settings, sink, read) =>
  readCsvWith(new CsvChunkParser(settings, sink), file, read)

/** Reads a CSV file from the top on this thread, giving its text to `parser`. */
export async function readCsvWith(
  parser: CsvChunkParser,
  file: CsvTextFile,
  read: CsvReadOptions = {},
): Promise<CsvReadResult> {
  let undecodable = false
  let charsRead = 0
  const positions = file.encoding === 'utf-8' ? new Utf8Positions(file.bomBytes) : null
  const result = await readDecodedText(
    file.path,
    file.encoding,
    (text, bytesRead) => {
      charsRead += text.length
      if (!undecodable && text.includes('\ufffd')) undecodable = true
      if (!undecodable) positions?.add(text)
      parser.push(text)
      read.onProgress?.(bytesRead, file.sizeBytes)
      return !parser.isStopped
    },
    {
      chunkBytes: TEXT_CHUNK_BYTES,
      ...(read.signal ? { signal: read.signal } : {}),
      ...(read.maxBytes ? { maxBytes: read.maxBytes } : {}),
    },
  )
  if (result.complete) parser.end()
  const complete = result.complete && !parser.isStopped
  return {
    complete,
    bytesRead: result.bytesRead,
    charsRead,
    undecodable,
    positions: complete && !undecodable ? positions : null,
  }
}

/**
 * Bytes decoded at a time. Small pieces keep each piece's text (and the parser's copy of it) out
 * of V8's large-object space, so it dies young and is collected at once instead of piling up until
 * a full collection.
 */
export const TEXT_CHUNK_BYTES = 64 * 1024
