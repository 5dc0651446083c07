import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RowSpool } from '../../../electron/services/spreadsheet/row-spool'

describe('the kept rows of a workbook read', () => {
  it('gives back exactly the cells it kept, by their place, only after a whole read', () => {
    const spool = new RowSpool()
    try {
      spool.begin()
      const rows = [
        ['a@example.com', '1', 'Zoë'],
        ['', '', ''],
        ['lone \ud800 half', '"quoted", with comma', 'line\r\nbreak 😀'],
      ]
      const spans = rows.map((cells, i) => ({ row: i + 2, ...spool.add(cells) }))
      // Enough rows to need more than one write.
      for (let i = 0; i < 30_000; i++) spool.add([`filler${i}@example.com`, 'x'.repeat(40)])
      expect(spool.usable).toBe(false)
      spool.end()
      expect(spool.usable).toBe(true)
      const found = spool.read([spans[2]!, spans[0]!])
      expect(found.get(4)).toEqual(rows[2])
      expect(found.get(2)).toEqual(rows[0])
      expect(found.has(3)).toBe(false)
      // A new read drops the old one until it, too, is whole.
      spool.begin()
      expect(spool.usable).toBe(false)
      const again = spool.add(['new@example.com'])
      spool.end()
      expect(spool.read([{ row: 9, ...again }]).get(9)).toEqual(['new@example.com'])
    } finally {
      spool.dispose()
    }
  })

  it('fails the read, rather than give back something else than cells, when its file was changed', () => {
    const spool = new RowSpool()
    try {
      spool.begin()
      const span = spool.add(['a@example.com', '1'])
      spool.end()
      const file = join((spool as unknown as { dir: string }).dir, 'rows.jsonl')
      for (const other of ['{"email":"b@x.com"}', '["a@example.com",1]', '"a@example.com"']) {
        writeFileSync(file, `${other.padEnd(span.end - span.start - 1)}\n`)
        expect(() => spool.read([{ row: 2, ...span }])).toThrow(/changed/)
      }
    } finally {
      spool.dispose()
    }
  })
})
