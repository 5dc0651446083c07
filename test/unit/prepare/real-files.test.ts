import { describe, expect, it } from 'vitest'
import { inspectSource } from '../../../electron/services/prepare/inspect'
import { openPreparedResults } from '../../../electron/services/prepare/results'
import { suggestMapping } from '../../../electron/services/prepare/suggest'
import { prepareFile, problemRows, writeFile, writeXlsx } from './helpers'

describe('what Import says of a large file from its first rows', () => {
  it('estimates the row count from the bytes the sampled rows take, not from the bytes read', async () => {
    // 60,000 rows of about 45 bytes: the first 1,000 rows are read from the first 64 KB piece. (They
    // are a little shorter than the rest, as in many real files: hence a few per cent too many.)
    const lines = ['Email,Flag,Name']
    for (let i = 0; i < 60_000; i++) lines.push(`person${i}@example.com,${i % 2},Name ${i % 97}`)
    const inspection = await inspectSource(writeFile('big.csv', `${lines.join('\r\n')}\r\n`))
    expect(inspection.complete).toBe(false)
    expect(Math.abs(inspection.estimatedRows! - 60_000) / 60_000).toBeLessThan(0.1)
  })
})

describe('a workbook', () => {
  it('opens on the first sheet that looks like contacts, not on a summary before it', async () => {
    const path = await writeXlsx('report.xlsx', [
      {
        name: 'Summary',
        rows: [
          { cells: ['Customers this month', 3] },
          { cells: ['Questions to', { shared: 'office@example.com' }] },
          { cells: ['Prepared by', 'Finance'] },
        ],
      },
      {
        name: 'Customers',
        rows: [
          { cells: ['Email', 'Uses app'] },
          { cells: [{ shared: 'ann@example.com' }, 1] },
          { cells: [{ shared: 'bob@example.com' }, 0] },
        ],
      },
    ])
    const inspection = await inspectSource(path)
    expect(inspection.sheet).toBe('Customers')
    expect(inspection.sheets!.map((s) => [s.name, s.contacts])).toEqual([
      ['Summary', false],
      ['Customers', true],
    ])
    // A workbook with no contact-like sheet opens on its first sheet with data, as before.
    const none = await writeXlsx('notes.xlsx', [
      { name: 'Empty', rows: [] },
      { name: 'Notes', rows: [{ cells: ['just', 'words'] }] },
    ])
    expect((await inspectSource(none)).sheet).toBe('Notes')
  })
})

describe('empty flag cells', () => {
  const csv = [
    'Email,Uses app',
    'ann@example.com,1',
    'bob@example.com,',
    'cat@example.com,0',
    'dan@example.com,  ',
  ].join('\r\n')

  it('are problems unless the person says where they go: a group, or left out', async () => {
    const path = writeFile('blanks.csv', csv)
    expect((await inspectSource(path)).blankFlags).toBe(2)

    const asProblems = await prepareFile(path)
    expect(asProblems.summary.problems.missing_flag).toBe(2)
    expect(asProblems.summary).toMatchObject({ blankFlag: 'problem', blankFlags: 2 })

    const intoGroup0 = await prepareFile(path, { blankFlag: '0' })
    expect(intoGroup0.summary.groups).toEqual({ '0': 3, '1': 1 })
    expect(intoGroup0.group0.slice(1).map(([email]) => email)).toEqual([
      'bob@example.com',
      'cat@example.com',
      'dan@example.com',
    ])
    expect(intoGroup0.summary).toMatchObject({ blankFlag: '0', blankFlags: 2 })
    // The flag values are the values; the empty cells are counted apart.
    expect(intoGroup0.summary.flagValues.map((v) => v.value).sort()).toEqual(['0', '1'])

    const leftOut = await prepareFile(path, { blankFlag: 'leave_out' })
    expect(problemRows(leftOut)).toEqual([
      { row: 3, reason: 'missing_flag' },
      { row: 5, reason: 'missing_flag' },
    ])
    expect(leftOut.problems[1]![2]).toBe(
      'The flag cell (column "Uses app") is empty; rows like this are set to be left out.',
    )
  })
})

describe('the Problems tab', () => {
  it('shows a phone number as the file has it: the formula guard is for the saved problems.csv only', async () => {
    const files = await prepareFile(writeFile('p.csv', 'Email,Uses app,Phone\r\nnot-an-address,1,+49 30 1234\r\n'))
    expect(files.problems[1]!.slice(3)).toEqual(['not-an-address', '1', "'+49 30 1234"])
    const results = openPreparedResults(files.outDir)
    try {
      expect(results.page({ kind: 'problems', offset: 0, limit: 10 }).rows[0]!.cells).toEqual([
        'not-an-address',
        '1',
        '+49 30 1234',
      ])
    } finally {
      results.close()
    }
  })
})

describe('column names in the person’s language', () => {
  /** What each column of a file with these headers is suggested as. */
  function suggested(headers: string[]): Record<string, string> {
    const columns = headers.map((name, index) => ({ index, name, generated: false }))
    const row = headers.map((_, i) => (i === 0 ? 'ann@example.de' : i === 1 ? '1' : 'x'))
    const { mapping } = suggestMapping(columns, [row, row.map((c) => (c === '1' ? '0' : c))])
    const out: Record<string, string> = {
      [headers[mapping.emailColumn]!]: 'email',
      [headers[mapping.flagColumn]!]: 'flag',
    }
    for (const { column, target } of mapping.fields) if (target.kind === 'field') out[headers[column]!] = target.field
    return out
  }

  it('are suggested like the English ones: German, French, Spanish', () => {
    expect(
      suggested([
        'E-Mail-Adresse',
        'Nutzt App',
        'Vorname',
        'Nachname',
        'Straße',
        'PLZ',
        'Ort',
        'Telefon',
        'Handynummer',
      ]),
    ).toEqual({
      'E-Mail-Adresse': 'email',
      'Nutzt App': 'flag',
      Vorname: 'first_name',
      Nachname: 'last_name',
      Straße: 'street',
      PLZ: 'zip',
      Ort: 'city',
      Telefon: 'phone',
      Handynummer: 'mobile_phone',
    })
    expect(
      suggested(['Courriel', 'Utilise l’app', 'Prénom', 'Nom', 'Rue', 'Code postal', 'Ville', 'Téléphone']),
    ).toEqual({
      Courriel: 'email',
      'Utilise l’app': 'flag',
      Prénom: 'first_name',
      Nom: 'last_name',
      Rue: 'street',
      'Code postal': 'zip',
      Ville: 'city',
      Téléphone: 'phone',
    })
    expect(
      suggested([
        'Correo electrónico',
        'Usa la app',
        'Nombre',
        'Apellidos',
        'Dirección',
        'Ciudad',
        'Teléfono',
        'Teléfono móvil',
      ]),
    ).toEqual({
      'Correo electrónico': 'email',
      'Usa la app': 'flag',
      Nombre: 'first_name',
      Apellidos: 'last_name',
      Dirección: 'street',
      Ciudad: 'city',
      Teléfono: 'phone',
      'Teléfono móvil': 'mobile_phone',
    })
  })
})
