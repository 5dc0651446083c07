import { open } from 'node:fs/promises'

/**
 * A file's bytes front to back, in pieces read into ONE buffer that is used again for each piece:
 * a piece is valid only until the next is asked for (copy or decode it first).
 *
 * Why not `createReadStream`: it allocates a new buffer per piece, and a dead buffer's memory is
 * outside the JavaScript heap, so it is given back only when the collector next runs — which a
 * thread that allocates little else may not do for tens of megabytes. Reading a file then costs
 * memory that grows with the file (up to the engine's external-memory threshold) instead of one piece.
 */
export async function* filePieces(path: string, pieceBytes = DEFAULT_PIECE_BYTES): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.allocUnsafe(pieceBytes)
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, pieceBytes, null)
      if (bytesRead === 0) return
      yield buffer.subarray(0, bytesRead)
    }
  } finally {
    await handle.close()
  }
}

const DEFAULT_PIECE_BYTES = 64 * 1024
