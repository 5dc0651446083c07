/**
 * The removals check their files (a list's export, the leaving files) by SHA-256 before using them
 * again: a file as large as the list, hashed in the hash worker, never on the thread that serves.
 */
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { fileSha256 } from '../../../electron/services/membership/files'
import { tempDir } from '../temp'

vi.mock('../../../electron/services/routines/hash-thread', async (original) => {
  const actual = await original<typeof import('../../../electron/services/routines/hash-thread')>()
  return { ...actual, hashFileInWorker: vi.fn(actual.hashFileInWorker) }
})
const { hashFileInWorker, stopHashWorker } = await import('../../../electron/services/routines/hash-thread')

describe("a membership file's hash", () => {
  it('is made in the hash worker; a missing file has none', async () => {
    const path = join(tempDir('hash'), 'list-0-export.csv')
    const text = 'email_address,contact_id\r\n'.repeat(5_000)
    writeFileSync(path, text)
    try {
      expect(await fileSha256(path)).toBe(createHash('sha256').update(text).digest('hex'))
      expect(hashFileInWorker).toHaveBeenCalledWith(path)
      expect(await fileSha256(join(tempDir('hash'), 'gone.csv'))).toBeUndefined()
    } finally {
      await stopHashWorker()
    }
  })
})
