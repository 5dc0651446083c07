import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { csvRecord } from '../../../shared/prepare/csv-text'
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
      expect(all).toEqual(expect.arrayContaining(['Globex, Ltd.', 'Umbrella "Health"', 'Met at the fair\r\nin spring', 'Chlo"é', 'x\ry', 'Dana', 'e@example.com', 'quoted, plain']))
    })
  }
})
