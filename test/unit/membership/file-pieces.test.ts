import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { filePieces } from '../../../electron/services/files/file-pieces'
import { csvRecordChunks } from '../../../electron/services/membership/csv-records'
import { hashFile } from '../../../electron/services/routines/next-file'
import { tempDir } from '../temp'

/**
 * Large files (a list's export, a leaving file) are read into one buffer used again for every
 * piece, so reading them costs one piece of memory whatever their size (bench:sync measures it):
 * what is read from the reused buffer must still be the file, byte for byte.
 */
describe('reading a file in pieces of one buffer', () => {
  it('gives the whole file, in pieces that are all the same buffer', async () => {
    const path = join(tempDir('pieces'), 'data.bin')
    const bytes = Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 7) % 251))
    writeFileSync(path, bytes)
    const copies: Buffer[] = []
    const buffers = new Set<ArrayBufferLike>()
    for await (const piece of filePieces(path, 4096)) {
      copies.push(Buffer.from(piece))
      buffers.add(piece.buffer)
    }
    expect(copies.map((c) => c.length)).toEqual([4096, 4096, 1808])
    expect(Buffer.concat(copies).equals(bytes)).toBe(true)
    expect(buffers.size).toBe(1)
  })

  it('hashes a file of many pieces as a whole reading does', async () => {
    const path = join(tempDir('pieces'), 'export.csv')
    writeFileSync(path, 'contact_id,email_address\r\n'.repeat(20_000)) // 520,000 bytes: several pieces, the last one short
    expect(await hashFile(path)).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'))
  })

  it('reads records whose characters and quoted line breaks straddle the pieces', async () => {
    const path = join(tempDir('pieces'), 'leaving.csv')
    const rows = Array.from({ length: 40_000 }, (_, i) => [`id-${i}`, `é${i}@exämple.com`, `"Zoë\r\n${i}"`])
    writeFileSync(path, `contact_id,email_address,name\r\n${rows.map((r) => r.join(',')).join('\r\n')}\r\n`)
    const records: string[][] = []
    for await (const chunk of csvRecordChunks(path, 'The test file')) records.push(...chunk)
    expect(records).toHaveLength(40_001)
    expect(records[1]).toEqual(['id-0', 'é0@exämple.com', 'Zoë\r\n0'])
    expect(records.at(-1)).toEqual(['id-39999', 'é39999@exämple.com', 'Zoë\r\n39999'])
    expect(records.every((r, i) => i === 0 || r[0] === `id-${i - 1}`)).toBe(true)
  })
})
