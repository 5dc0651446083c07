import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { IndexedCsvWriter, ProblemSpool, SPOOLED_LINE } from '../../../electron/services/prepare/job-files'
import { tempDir } from '../temp'

const folder = (): string => tempDir('spool')

describe('ProblemSpool', () => {
  it('gives every row back in order, byte for byte, whatever characters and sizes it holds', () => {
    const dir = folder()
    const spool = new ProblemSpool(join(dir, '.rows.spool'))
    const huge = `${'x'.repeat(5 * 1024 * 1024)}é` // larger than the read-back buffer
    const written: Array<{ row: number; kind: number; detail: number; text: string }> = []
    const add = (row: number, kind: number, detail: number, text: string): void => {
      written.push({ row, kind, detail, text })
      if (kind === SPOOLED_LINE) spool.addLine(row, detail, text)
      else spool.addWaiting(row, kind as 0 | 1, detail, text)
    }
    add(2, SPOOLED_LINE, 1, '2,invalid_email,why,a\x1fb,c\x1ed\r\n')
    for (let row = 3; row < 40000; row++)
      add(
        row,
        row % 3 === 0 ? SPOOLED_LINE : row % 3 === 1 ? 0 : 1,
        row * 7,
        `cell ${row},Zürich,😀 ${'y'.repeat(row % 300)}\r\n`,
      )
    add(40000, 1, 4000000000, `${huge}\r\n`)
    add(40001, SPOOLED_LINE, 6, 'last\r\n')
    spool.close()

    const read: typeof written = []
    let chunks = 0
    spool.readBack(
      (row, kind, detail, bytes, start, end) =>
        void read.push({ row, kind, detail, text: bytes.toString('utf8', start, end) }),
      () => void chunks++,
    )
    expect(read).toEqual(written)
    expect(chunks).toBeGreaterThan(1)
  })

  it('is copied into an indexed CSV with a head in front of a row', () => {
    const dir = folder()
    const spool = new ProblemSpool(join(dir, '.rows.spool'))
    spool.addWaiting(5, 0, 1, 'a,"b ""c""",ü\r\n')
    spool.close()
    const out = new IndexedCsvWriter(join(dir, 'p.csv'), join(dir, 'p.idx'), 'head\r\n')
    spool.readBack((row, _kind, _detail, bytes, start, end) =>
      out.addBytes(`${row},duplicate,`, bytes, start, end, row, 5),
    )
    out.close()
    expect(readFileSync(join(dir, 'p.csv'), 'utf8')).toBe('head\r\n5,duplicate,a,"b ""c""",ü\r\n')
    const index = readFileSync(join(dir, 'p.idx'))
    expect([index.readDoubleLE(0), index.readUInt32LE(8), index.readUInt32LE(12)]).toEqual([6, 5, 5])
  })
})
