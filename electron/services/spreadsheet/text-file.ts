import { open } from 'node:fs/promises'
import type { TextEncoding } from '../../../shared/prepare/schemas'
import { createStreamDecoder } from './encoding'

export const READ_CHUNK_BYTES = 1024 * 1024

/**
 * Reads a text file chunk by chunk and hands over decoded text. The decoder keeps a character
 * that is split between two chunks until its last byte arrives. The file is read
 * {@link READ_CHUNK_BYTES} at a time (each read is a round trip to the thread pool) and decoded
 * in pieces of `chunkBytes`, which may be smaller; `bytesRead` is where each piece ends.
 */
export async function readDecodedText(
  path: string,
  encoding: TextEncoding,
  onText: (text: string, bytesRead: number) => boolean | void,
  options: { signal?: AbortSignal; maxBytes?: number; chunkBytes?: number } = {},
): Promise<{ bytesRead: number; complete: boolean }> {
  const handle = await open(path, 'r')
  try {
    const decoder = createStreamDecoder(encoding)
    const chunkBytes = options.chunkBytes ?? READ_CHUNK_BYTES
    const readBytes = Math.max(chunkBytes, READ_CHUNK_BYTES)
    const limit = options.maxBytes ?? Number.POSITIVE_INFINITY
    let position = 0
    for (;;) {
      options.signal?.throwIfAborted()
      const want = Math.min(readBytes, limit - position)
      if (want <= 0) return { bytesRead: position, complete: false }
      // A fresh buffer each time: a decoder may hold on to the tail of the previous one.
      const buffer = Buffer.allocUnsafe(want)
      const { bytesRead } = await handle.read(buffer, 0, want, position)
      if (bytesRead === 0) break
      for (let piece = 0; piece < bytesRead; piece += chunkBytes) {
        if (piece > 0) options.signal?.throwIfAborted()
        const pieceEnd = Math.min(piece + chunkBytes, bytesRead)
        const text = decoder.write(buffer.subarray(piece, pieceEnd))
        if (text.length > 0 && onText(text, position + pieceEnd) === false)
          return { bytesRead: position + pieceEnd, complete: false }
      }
      position += bytesRead
    }
    const rest = decoder.end()
    if (rest.length > 0) onText(rest, position)
    return { bytesRead: position, complete: true }
  } finally {
    await handle.close()
  }
}
