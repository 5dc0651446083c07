import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { safeFileName } from '../../../electron/services/files/file-names'

// One rule for every name Splitsend makes from a person's file name: an uploaded copy, a saved
// report, a saved job folder.
describe('safeFileName', () => {
  it('replaces what Windows, macOS or Linux refuse in a name, and keeps the rest', () => {
    expect(safeFileName('Kunden: März/April <final>?.csv')).toBe('Kunden- März-April -final--.csv')
    expect(safeFileName('a\u0000b\u001fc\\d|e*f"g.csv')).toBe('a-b-c-d-e-f-g.csv')
    expect(safeFileName('Zoë – Q1 (copy).csv')).toBe('Zoë – Q1 (copy).csv')
  })

  it('makes no hidden file and no name Windows would change', () => {
    expect(safeFileName('.profile')).toBe('profile')
    expect(safeFileName('../../etc/passwd')).toBe('-..-etc-passwd')
    expect(safeFileName('report. . ')).toBe('report')
  })

  it('is never empty and never longer than asked', () => {
    expect(safeFileName('')).toBe('spreadsheet')
    expect(safeFileName('...')).toBe('spreadsheet')
    expect(safeFileName('x'.repeat(300))).toHaveLength(120)
    expect(safeFileName('x'.repeat(300), 80)).toHaveLength(80)
  })

  it('holds for any name (property)', () => {
    const nameArb = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({
        unit: fc.constantFrom('a', 'é', '.', ' ', '-', '/', '\\', ':', '"', '\u0000', '\u001f'),
        maxLength: 40,
      }),
    )
    fc.assert(
      fc.property(nameArb, fc.integer({ min: 1, max: 150 }), (name, max) => {
        const safe = safeFileName(name, max)
        expect(safe.length).toBeGreaterThan(0)
        expect(safe.length).toBeLessThanOrEqual(Math.max(max, 'spreadsheet'.length))
        expect(safe).not.toMatch(/[\\/:*?"<>|\u0000-\u001f]|^\.|[. ]$/)
      }),
      { numRuns: 2000 },
    )
  })
})
