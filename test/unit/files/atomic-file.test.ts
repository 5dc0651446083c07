import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  removeLeftoverTemps,
  writeFileAtomically,
  writeFileAtomicallyAsync,
  writeJsonAtomically,
} from '../../../electron/services/files/atomic-file'
import { tempDir } from '../upload/helpers'

describe('the atomic file writer', () => {
  it('writes text, bytes, pieces of text and JSON whole, owner-only, and leaves nothing else', () => {
    const dir = tempDir('atomic')
    writeFileAtomically(join(dir, 'a.txt'), 'plain text ✓')
    writeFileAtomically(join(dir, 'b.bin'), new Uint8Array([0, 1, 2, 255]))
    // More than the writer buffers at once, in many pieces.
    writeFileAtomically(join(dir, 'c.csv'), (write) => {
      for (let i = 0; i < 200_000; i++) write(`${i},row ${i}\n`)
    })
    writeJsonAtomically(join(dir, 'd.json'), { done: true }, { syncFolder: true })

    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('plain text ✓')
    expect([...readFileSync(join(dir, 'b.bin'))]).toEqual([0, 1, 2, 255])
    const lines = readFileSync(join(dir, 'c.csv'), 'utf8').split('\n')
    expect(lines).toHaveLength(200_001)
    expect(lines[199_999]).toBe('199999,row 199999')
    expect(JSON.parse(readFileSync(join(dir, 'd.json'), 'utf8'))).toEqual({ done: true })
    expect(readdirSync(dir).sort()).toEqual(['a.txt', 'b.bin', 'c.csv', 'd.json'])
    if (process.platform !== 'win32') expect(statSync(join(dir, 'a.txt')).mode & 0o777).toBe(0o600)
  })

  it('keeps the old file whole and removes its temporary file when a write fails half way', () => {
    const dir = tempDir('atomic')
    const path = join(dir, 'report.csv')
    writeFileAtomically(path, 'the complete old report\n')
    expect(() =>
      writeFileAtomically(path, (write) => {
        // Several megabytes reach the disk before the failure.
        for (let i = 0; i < 300_000; i++) write(`${i},half of a new report\n`)
        throw new Error('disk trouble')
      }),
    ).toThrow('disk trouble')
    expect(readFileSync(path, 'utf8')).toBe('the complete old report\n')
    expect(readdirSync(dir)).toEqual(['report.csv'])
  })

  it('removes its temporary file when the rename fails, and never leaves a half file in place', () => {
    const dir = tempDir('atomic')
    // A folder where the file should go: the rename fails after the content was written.
    mkdirSync(join(dir, 'job.json'))
    writeFileSync(join(dir, 'job.json', 'inside'), 'x')
    expect(() => writeJsonAtomically(join(dir, 'job.json'), { complete: true })).toThrow()
    expect(readdirSync(dir)).toEqual(['job.json'])
    expect(statSync(join(dir, 'job.json')).isDirectory()).toBe(true)
  })

  it('does the same without blocking its thread', async () => {
    const dir = tempDir('atomic')
    const path = join(dir, 'routine.json')
    await writeFileAtomicallyAsync(path, '{"old": true}\n', { mode: 0o644, syncFolder: true })
    expect(readFileSync(path, 'utf8')).toBe('{"old": true}\n')
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o644)
    // The rename fails (a folder has the name): the temporary file goes, the folder stays as it was.
    mkdirSync(join(dir, 'history.json'))
    await expect(writeFileAtomicallyAsync(join(dir, 'history.json'), '[]')).rejects.toThrow()
    expect(readdirSync(dir).sort()).toEqual(['history.json', 'routine.json'])
  })

  it('removes temporary files a killed writer left, and only those', () => {
    const dir = tempDir('atomic')
    const path = join(dir, 'report.html')
    for (const name of [
      'report.html',
      '.report.html.4242-0123456789ab.tmp',
      '.report.html.tmp.keep',
      '.other.1-0123456789ab.tmp',
    ])
      writeFileSync(join(dir, name), name)
    removeLeftoverTemps(path)
    expect(readdirSync(dir).sort()).toEqual(['.other.1-0123456789ab.tmp', '.report.html.tmp.keep', 'report.html'])
  })
})
