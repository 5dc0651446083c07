import { describe, expect, it } from 'vitest'
import { inspectSource } from '../../../electron/services/prepare/inspect'
import { formatNumber, generalNumber } from '../../../electron/services/spreadsheet/xlsx/number-format'
import { prepareFile, problemRows, writeXlsx } from './helpers'

describe('XLSX reading', () => {
  it('reads shared strings, inline strings, booleans, cached formula results and numbers as shown', async () => {
    const path = await writeXlsx('book.xlsx', [
      {
        name: 'Contacts',
        rows: [
          { cells: [{ shared: 'Email' }, 'Name', 'Flag', 'Active', 'Total', 'ZIP', 'Joined', 'Share'] },
          {
            cells: [
              { shared: 'ann@example.com' },
              'Ann',
              1,
              true,
              { formula: 'SUM(1,2)', cached: 3 },
              { number: 501, style: 2 },
              { number: 45292, style: 1 },
              { number: 0.25, style: 3 },
            ],
          },
          {
            cells: [
              { formula: 'LOWER("BOB@EXAMPLE.COM")', cached: 'bob@example.com', type: 'str' },
              { shared: 'Bob' },
              0,
              false,
              0.1 + 0.2,
              '00501',
              null,
              null,
            ],
          },
        ],
      },
    ])
    const inspection = await inspectSource(path)
    expect(inspection.format).toBe('xlsx')
    expect(inspection.columns.map((c) => c.name)).toEqual([
      'Email',
      'Name',
      'Flag',
      'Active',
      'Total',
      'ZIP',
      'Joined',
      'Share',
    ])
    expect(inspection.previewRows).toEqual([
      { row: 2, cells: ['ann@example.com', 'Ann', '1', 'TRUE', '3', '00501', '2024-01-01', '25%'] },
      { row: 3, cells: ['bob@example.com', 'Bob', '0', 'FALSE', '0.3', '00501', '', ''] },
    ])
    expect(inspection.suggestion.mapping.flagColumn).toBe(2)
    const files = await prepareFile(path)
    expect(files.summary.groups).toEqual({ '0': 1, '1': 1 })
    expect(files.summary.source.sheet).toBe('Contacts')
  })

  it('reports the original cells of rows taken out of a group by a later conflict, under every conflict rule', async () => {
    const rows = [
      { cells: ['Email', 'Flag', 'Name', 'Note'] },
      {
        cells: [
          { shared: 'Zoë@example.com' },
          0,
          'Zoë “Z” Ångström',
          { formula: 'CONCAT("a","b")', cached: 'ab', type: 'str' as const },
        ],
      },
      { cells: ['keep@example.com', 1, 'Kept', '=not a formula'] },
      { cells: ['zoë@example.com', 1, 'Second Zoë', 'line1\nline2'] },
      { cells: ['other@example.com', 0, 'Other', ''] },
      { cells: ['other@example.com', 1, 'Other again', '😀'] },
    ]
    const path = await writeXlsx('conflicts.xlsx', [{ name: 'S', rows }])
    const excluded = await prepareFile(path, { onConflict: 'exclude' })
    expect(problemRows(excluded)).toEqual([2, 4, 5, 6].map((row) => ({ row, reason: 'conflicting_flag' })))
    // Row, reason, explanation, then the row's cells as read from the sheet.
    expect(excluded.problems.slice(1).map((cells) => cells.slice(3))).toEqual([
      ['Zoë@example.com', '0', 'Zoë “Z” Ångström', 'ab'],
      ['zoë@example.com', '1', 'Second Zoë', 'line1\nline2'],
      ['other@example.com', '0', 'Other', ''],
      ['other@example.com', '1', 'Other again', '😀'],
    ])
    const last = await prepareFile(path, { onConflict: 'last' })
    expect(last.problems.slice(1).map((cells) => [cells[0], cells[3], cells[5]])).toEqual([
      ['2', 'Zoë@example.com', 'Zoë “Z” Ångström'],
      ['5', 'other@example.com', 'Other'],
    ])
    expect(last.group1.slice(1).map((cells) => cells[0])).toEqual([
      'keep@example.com',
      'zoë@example.com',
      'other@example.com',
    ])
  })

  it('is not fooled by a stated dimension larger than the content, or by formatted empty rows', async () => {
    const path = await writeXlsx('big-dimension.xlsx', [
      {
        name: 'Sheet1',
        dimension: 'A1:Z1048576',
        rows: [
          { cells: ['Email', 'Flag'] },
          { cells: ['ann@example.com', 1] },
          { r: 500, cells: [{ raw: '<c r="A500" s="1"/>' }, { raw: '<c r="B500" s="1"/>' }] },
        ],
      },
    ])
    const files = await prepareFile(path)
    expect(files.summary.rows).toBe(1)
    expect(files.summary.groups['1']).toBe(1)
  })

  it('keeps Excel row numbers when rows are skipped in the file', async () => {
    const path = await writeXlsx('gaps.xlsx', [
      { name: 'S', rows: [{ cells: ['Email', 'Flag'] }, { r: 7, cells: ['not an address', 1] }] },
    ])
    const files = await prepareFile(path)
    expect(problemRows(files)).toEqual([{ row: 7, reason: 'invalid_email' }])
  })

  it('lists every sheet, picks the first with data, and lets the person choose another', async () => {
    const path = await writeXlsx('sheets.xlsx', [
      { name: 'Cover', rows: [] },
      { name: 'Hidden', hidden: true, rows: [{ cells: ['Email', 'Flag'] }, { cells: ['h@example.com', 0] }] },
      {
        name: 'March',
        rows: [
          { cells: ['Title: March members'] },
          { cells: [] },
          { cells: ['Email', 'Flag'] },
          { cells: ['m@example.com', 1] },
        ],
      },
      { name: 'April', rows: [{ cells: ['E-mail', 'Uses app'] }, { cells: ['a@example.com', 'yes'] }] },
    ])
    const inspection = await inspectSource(path)
    expect(inspection.sheets).toEqual([
      { name: 'Cover', hasData: false, contacts: false, hidden: false },
      { name: 'Hidden', hasData: true, contacts: false, hidden: true },
      { name: 'March', hasData: true, contacts: false, hidden: false },
      { name: 'April', hasData: true, contacts: false, hidden: false },
    ])
    expect(inspection.sheet).toBe('March')
    expect(inspection.headerRow).toBe(3) // below the title and the blank row
    const april = await prepareFile(path, { sheet: 'April' })
    expect(april.group1.slice(1)).toEqual([['a@example.com']])
    await expect(inspectSource(path, { sheet: 'May' })).rejects.toMatchObject({ code: 'sheet_not_found' })
  })

  it('leaves phonetic guides out of shared strings', async () => {
    const path = await writeXlsx('phonetic.xlsx', [
      {
        name: 'S',
        rows: [{ cells: [{ shared: 'Email' }, { shared: 'Flag' }] }, { cells: [{ shared: 'x@example.com' }, 1] }],
      },
    ])
    const inspection = await inspectSource(path)
    expect(inspection.columns.map((c) => c.name)).toEqual(['Email', 'Flag'])
  })

  it('reads 1904-based dates', async () => {
    const path = await writeXlsx(
      'mac.xlsx',
      [
        {
          name: 'S',
          rows: [{ cells: ['Email', 'Flag', 'Since'] }, { cells: ['x@example.com', 1, { number: 0, style: 1 }] }],
        },
      ],
      { date1904: true },
    )
    expect((await inspectSource(path)).previewRows[0]!.cells[2]).toBe('1904-01-01')
  })
})

describe('number formats', () => {
  it('shows numbers as Excel General does', () => {
    expect(generalNumber(1)).toBe('1')
    expect(generalNumber(1.0)).toBe('1')
    expect(generalNumber(0.1 + 0.2)).toBe('0.3')
    expect(generalNumber(5551234567)).toBe('5551234567')
    expect(formatNumber('1.5E1', { kind: 'general' }, false)).toBe('15')
  })

  it('applies fixed, grouped, percent, zero-padded and date formats', () => {
    expect(formatNumber('1234.5', { kind: 'fixed', decimals: 2, grouping: true }, false)).toBe('1,234.50')
    expect(formatNumber('0.125', { kind: 'percent', decimals: 1 }, false)).toBe('12.5%')
    expect(formatNumber('501', { kind: 'zeros', width: 5 }, false)).toBe('00501')
    expect(formatNumber('45292.5', { kind: 'date', time: true, dateOnly: false }, false)).toBe('2024-01-01 12:00:00')
    expect(formatNumber('1', { kind: 'date', time: false, dateOnly: true }, false)).toBe('1900-01-01')
  })
})
