import { describe, expect, it } from 'vitest'
import { columnsFromHeader, detectHeaderRow, type SourceRow } from '../../../electron/services/prepare/header-row'
import { headerScore, EMAIL_HEADER_NAMES } from '../../../electron/services/prepare/header-names'
import { suggestMapping } from '../../../electron/services/prepare/suggest'
import type { ColumnInfo } from '../../../shared/prepare/schemas'

const rows = (...lines: string[][]): SourceRow[] => lines.map((cells, i) => ({ row: i + 1, cells }))

describe('header row detection', () => {
  it('takes the first row when it names the columns', () => {
    expect(detectHeaderRow(rows(['Email', 'Name', 'Flag'], ['a@example.com', 'Ann', '1']))).toBe(1)
  })

  it('skips title rows and blank rows above the table', () => {
    const table = rows(
      ['Members – March 2025'],
      [],
      ['', ''],
      ['Email', 'Name', 'Uses app'],
      ['a@example.com', 'Ann', '1'],
      ['b@example.com', 'Bob', '0'],
      ['c@example.com', 'Cy', '1'],
      ['d@example.com', 'Di', '1'],
    )
    expect(detectHeaderRow(table)).toBe(4)
  })

  it('says there is no header when the first row already holds data', () => {
    expect(detectHeaderRow(rows(['a@example.com', 'Ann', '1'], ['b@example.com', 'Bob', '0']))).toBe(0)
    expect(detectHeaderRow(rows(['a@example.com'], ['b@example.com']))).toBe(0)
  })

  it('names columns from the header, generating names for blanks and numbering repeats', () => {
    expect(columnsFromHeader(['\ufeffEmail', '', 'Name', 'name'], 5).map((c) => c.name)).toEqual([
      'Email',
      'Column 2',
      'Name',
      'name (2)',
      'Column 5',
    ])
    expect(columnsFromHeader(null, 2)).toEqual([
      { index: 0, name: 'Column 1', generated: true },
      { index: 1, name: 'Column 2', generated: true },
    ])
  })
})

const columns = (...names: string[]): ColumnInfo[] => names.map((name, index) => ({ index, name, generated: false }))

describe('mapping suggestions', () => {
  it.each([
    'Email',
    'E-mail',
    'E-Mail-Adresse',
    'Courriel',
    'Correo electrónico',
    'Indirizzo email',
    'Adres e-mail',
    'メールアドレス',
    'Электронная почта',
    'Emial',
    'Work email',
  ])('recognises %j as the email column by its header', (header) => {
    expect(headerScore(header, EMAIL_HEADER_NAMES)).toBeGreaterThanOrEqual(0.6)
    const suggestion = suggestMapping(columns('Name', header, 'Flag'), [['Ann', 'ann@example.com', '1']])
    expect(suggestion.mapping.emailColumn).toBe(1)
    expect(suggestion.emailBasis).toBe('header')
  })

  it('finds the email column by its content when the header says nothing', () => {
    const suggestion = suggestMapping(columns('Col A', 'Col B', 'Col C'), [
      ['Ann', 'ann@example.com', '0'],
      ['Bob', 'bob@example.com', '1'],
    ])
    expect(suggestion.mapping.emailColumn).toBe(1)
    expect(suggestion.emailBasis).toBe('content')
  })

  it('finds the flag column by its values, preferring a hinting header on a tie', () => {
    const sample = [
      ['a@example.com', '1', '0', 'x'],
      ['b@example.com', '0', 'yes', 'y'],
      ['c@example.com', '1', 'no', 'z'],
    ]
    expect(suggestMapping(columns('Email', 'Count', 'Uses app', 'Code'), sample).mapping.flagColumn).toBe(2)
    expect(
      suggestMapping(columns('Email', 'A', 'B', 'C'), [
        ['a@example.com', 'maybe', '1', 'x'],
        ['b@example.com', 'no idea', '0', 'y'],
      ]).mapping.flagColumn,
    ).toBe(2)
  })

  it('suggests no flag column rather than a wrong one', () => {
    const suggestion = suggestMapping(columns('Email', 'Name'), [['a@example.com', 'Ann']])
    expect(suggestion.mapping.flagColumn).toBe(-1)
    expect(suggestion.flagBasis).toBe('none')
  })

  it("matches Constant Contact's standard fields in several languages and ignores the rest", () => {
    const suggestion = suggestMapping(
      columns(
        'E-mail',
        'Vorname',
        'Nachname',
        'Firma',
        'Téléphone',
        'Código postal',
        'Ville',
        'Land',
        'Flag',
        'Favourite colour',
        'Job Title',
        'Birthday month',
        'Anniversary',
      ),
      [
        [
          'a@example.com',
          'Anna',
          'Muster',
          'Acme',
          '+49',
          '10115',
          'Berlin',
          'DE',
          '1',
          'blue',
          'CEO',
          '5',
          '2020-01-01',
        ],
      ],
    )
    const target = (column: number): unknown => suggestion.mapping.fields.find((f) => f.column === column)?.target
    expect(target(1)).toEqual({ kind: 'field', field: 'first_name' })
    expect(target(2)).toEqual({ kind: 'field', field: 'last_name' })
    expect(target(3)).toEqual({ kind: 'field', field: 'company_name' })
    expect(target(4)).toEqual({ kind: 'field', field: 'phone' })
    expect(target(5)).toEqual({ kind: 'field', field: 'zip' })
    expect(target(6)).toEqual({ kind: 'field', field: 'city' })
    expect(target(7)).toEqual({ kind: 'field', field: 'country' })
    expect(target(9)).toBeUndefined() // not sent: only suggested fields are listed
    expect(target(10)).toEqual({ kind: 'field', field: 'job_title' })
    expect(target(11)).toEqual({ kind: 'field', field: 'birthday_month' })
    expect(target(12)).toEqual({ kind: 'field', field: 'anniversary' })
    expect(suggestion.mapping.flagColumn).toBe(8)
  })
})
