import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import { CsvChunkParser, detectNewline } from '../../../electron/services/spreadsheet/csv-parse'
import { csvLine, csvRecord, neutralizeFormula } from '../../../electron/services/spreadsheet/csv-text'
import { checkEmail, trimCell } from '../../../shared/prepare/email'
import { prepareFile, readCsv, writeFile } from './helpers'

// The group files are written without a quoting check for cells the CSV reader found plain; the
// bytes must still be exactly what csvRecord writes for the same cells.
describe('group files quote exactly the cells that need it', () => {
  const rows = [
    ['Email', 'First Name', 'Company', 'Uses app', 'Notes'],
    ['a@example.com', 'Anna', '"Globex, Ltd."', '0', 'none'],
    ['b@example.com', 'Bruno', '"Umbrella ""Health"""', '1', '"Met at the fair\r\nin spring"'],
    ['c@example.com', 'Chlo"é', 'Hooli', '0', 'x\ry'],
    ['d@example.com', ' Dana ', 'Initech', '1', '"ends in CR\r"'],
    ['"E@Example.com"', '"Emma"', '"plain"', '0', '"quoted, plain"'],
    ['f@example.com', 'F', 'Acme', '1', ''],
  ]

  for (const [name, delimiter, lineBreak] of [
    ['commas, CRLF', ',', '\r\n'],
    ['commas, LF', ',', '\n'],
    ['semicolons, CRLF', ';', '\r\n'],
  ] as const) {
    it(`with ${name}`, async () => {
      const text = rows.map((cells) => cells.join(delimiter)).join(lineBreak) + lineBreak
      const files = await prepareFile(writeFile('quoting.csv', text), {
        mapping: {
          emailColumn: 0,
          flagColumn: 3,
          fields: [
            { column: 1, target: { kind: 'field', field: 'first_name' } },
            { column: 2, target: { kind: 'field', field: 'company_name' } },
            { column: 4, target: { kind: 'custom', name: 'Notes' } },
          ],
        },
      })
      expect(files.summary.rows).toBe(6)
      for (const group of ['group-0.csv', 'group-1.csv']) {
        const path = join(files.outDir, group)
        const written = readFileSync(path, 'utf8')
        expect(written).toBe(readCsv(path).map(csvRecord).join(''))
      }
      const all = [...files.group0.slice(1), ...files.group1.slice(1)].flat()
      expect(all).toEqual(
        expect.arrayContaining([
          'Globex, Ltd.',
          'Umbrella "Health"',
          'Met at the fair\r\nin spring',
          'Chlo"é',
          'x\ry',
          'Dana',
          'e@example.com',
          'quoted, plain',
        ]),
      )
    })
  }
})

// The CSV fast path copies runs of neighbouring cells straight from the file when they would be
// written the same; any other cell is cut out, trimmed and quoted. Either way the line must be the
// one quoting each trimmed cell gives.
describe('group lines copied from the file are the lines quoting each cell gives (property)', () => {
  const cellArb = fc.constantFrom(
    'plain',
    'Zürich',
    ' spaced ',
    '"Globex, Ltd."',
    '"Umbrella ""Health"""',
    '"plain"',
    '""',
    '',
    'x"y',
    '"a\r\nb"',
    '"\u00a0nbsp, here"',
    '"é,"',
    '"ends, in CR\r"',
  )
  const emailArb = fc.constantFrom(
    'user{}@example.com',
    'User{}@Example.COM',
    '"user{}@example.com"',
    ' user{}@example.com',
    '"User{}@example.com, "',
  )
  it('for any columns, quoting and order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 3, max: 7 }),
        fc.array(fc.tuple(emailArb, fc.array(cellArb, { minLength: 7, maxLength: 7 })), { minLength: 1, maxLength: 8 }),
        fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }),
        fc.constantFrom(',', ';'),
        fc.constantFrom('\r\n', '\n'),
        fc.nat(),
        async (width, records, sent, delimiter, lineBreak, seed) => {
          const emailColumn = seed % width
          const flagColumn = (emailColumn + 1 + (seed % (width - 1))) % width
          const header = Array.from({ length: width }, (_, i) =>
            i === emailColumn ? 'Email' : i === flagColumn ? 'Flag' : `Field ${i}`,
          )
          const lines = records.map(([email, cells], r) => {
            const row: string[] = cells.slice(0, width)
            row[emailColumn] = email.replace('{}', String(r))
            row[flagColumn] = String(r % 2)
            return row.join(delimiter)
          })
          const text = [header.join(delimiter), ...lines].join(lineBreak) + lineBreak
          const fields = header.flatMap((_, column) =>
            column !== emailColumn && column !== flagColumn && sent[column]
              ? [{ column, target: { kind: 'custom' as const, name: `Field ${column}` } }]
              : [],
          )
          const files = await prepareFile(writeFile('runs.csv', text), {
            delimiter,
            mapping: { emailColumn, flagColumn, fields },
          })
          // The expected lines, from the cells as papaparse reads them.
          const parsed = Papa.parse<string[]>(text, { delimiter, newline: lineBreak }).data.slice(1, records.length + 1)
          const expected: Record<string, string[]> = { '0': [], '1': [] }
          parsed.forEach((cells, r) => {
            const address = checkEmail(cells[emailColumn]!)
            if (address.kind !== 'valid') return
            expected[String(r % 2)]!.push(
              csvLine([address.address, ...fields.map((f) => trimCell(cells[f.column] ?? ''))]),
            )
          })
          for (const key of ['0', '1'] as const) {
            const written = readFileSync(join(files.outDir, `group-${key}.csv`), 'utf8')
            expect(written.slice(written.indexOf('\r\n') + 2)).toBe(
              expected[key]!.map((line) => `${line}\r\n`).join(''),
            )
          }
        },
      ),
      { numRuns: 150 },
    )
  }, 120_000)
})

// A problem row read by the CSV fast path keeps its original cells, copied straight from the file
// where that is what quoting the cell (made safe for Excel) would write. The bytes must be the ones
// csvRecord writes for the cells papaparse reads, each neutralised, padded to the header's width.
describe('problem rows copied from the file are the rows quoting each original cell gives (property)', () => {
  const cellArb = fc.constantFrom(
    'plain',
    'Zürich',
    ' spaced ',
    '"Globex, Ltd."',
    '"Umbrella ""Health"""',
    '"plain"',
    '""',
    '',
    'x"y',
    '"a\r\nb"',
    '=SUM(A1)',
    '+1 555 0100',
    '-minus',
    '@home',
    '"=quoted, formula"',
    '"\tTab"',
    '"ends, in CR\r"',
  )
  const emailArb = fc.constantFrom(
    'not-an-address',
    '',
    'dup@example.com',
    'Dup@Example.com',
    'user{}@example.com',
    '"=HYPERLINK(1)"',
    '@x.com',
  )
  it('for any cells, widths and delimiters', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 3, max: 6 }),
        fc.array(
          fc.tuple(emailArb, fc.constantFrom('0', '1', 'maybe', ''), fc.array(cellArb, { minLength: 0, maxLength: 8 })),
          { minLength: 1, maxLength: 10 },
        ),
        fc.constantFrom(',', ';'),
        fc.constantFrom('\r\n', '\n'),
        async (width, records, delimiter, lineBreak) => {
          const header = Array.from({ length: width }, (_, i) => (i === 0 ? 'Email' : i === 1 ? 'Flag' : `Field ${i}`))
          const lines = records.map(([email, flag, cells], r) =>
            [email.replace('{}', String(r)), flag, ...cells].join(delimiter),
          )
          const text = [header.join(delimiter), ...lines].join(lineBreak) + lineBreak
          const files = await prepareFile(writeFile('problems.csv', text), {
            delimiter,
            mapping: { emailColumn: 0, flagColumn: 1, fields: [] },
            group0Values: ['0'],
            group1Values: ['1'],
          })
          const problemsPath = join(files.outDir, 'problems.csv')
          const written = readFileSync(problemsPath, 'utf8').replace(/^\ufeff/, '')
          expect(written).toBe(readCsv(problemsPath).map(csvRecord).join(''))
          // The cells as the reader takes them without its fast path (papaparse for every record).
          const parsed = new Map<number, string[]>()
          const parser = new CsvChunkParser(
            { delimiter, newline: detectNewline(text), expectedWidth: files.summary.columns.length },
            {
              row: (cells, row) => void parsed.set(row, cells.slice()),
              malformed: (raw, row) => void parsed.set(row, [raw]),
            },
          )
          parser.push(text)
          parser.end()
          for (const cells of files.problems.slice(1)) {
            const expected = parsed.get(Number(cells[0]))!.map(neutralizeFormula)
            while (expected.length < files.summary.columns.length) expected.push('') // the table may be wider than the header
            expect(cells.slice(3)).toEqual(expected)
          }
        },
      ),
      { numRuns: 150 },
    )
  }, 120_000)
})
