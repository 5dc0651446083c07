import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { preparedCopies, writePreparedCopies } from '../../../electron/services/prepare/copies'
import { prepareFile, tempDir, writeFile } from './helpers'

describe('the copies "Save prepared files…" makes', () => {
  it('are named after the groups, and guard every cell Excel would run as a formula; the job’s files stay exact', async () => {
    const csv = [
      'Email,Uses app,Phone,Company',
      'ann@example.com,1,+49 30 1234,=HYPERLINK("http://evil.example")',
      'bob@example.com,0,-5,@SUM(A1)',
      'cat@example.com,1,030 1234,"Tab\tin, the middle"',
    ].join('\r\n')
    const mapping = {
      emailColumn: 0,
      flagColumn: 1,
      fields: [
        { column: 2, target: { kind: 'field' as const, field: 'phone' as const } },
        { column: 3, target: { kind: 'field' as const, field: 'company_name' as const } },
      ],
    }
    const files = await prepareFile(writeFile('c.csv', csv), {
      mapping,
      groupNames: { '0': 'Not on the app', '1': 'App users: March/April' },
    })
    const copies = preparedCopies(files.summary)
    expect(copies.map((c) => c.name)).toEqual([
      'Not on the app.csv',
      'App users- March-April.csv',
      'problems.csv',
      'summary.json',
    ])
    const folder = tempDir()
    writePreparedCopies(files.outDir, folder, copies)
    const appUsers = readFileSync(join(folder, 'App users- March-April.csv'), 'utf8')
    expect(appUsers).toBe(
      '\ufeffemail,company_name,phone\r\n' +
        'ann@example.com,"\'=HYPERLINK(""http://evil.example"")",\'+49 30 1234\r\n' +
        'cat@example.com,"Tab\tin, the middle",030 1234\r\n',
    )
    expect(readFileSync(join(folder, 'Not on the app.csv'), 'utf8')).toBe(
      "\ufeffemail,company_name,phone\r\nbob@example.com,'@SUM(A1),'-5\r\n",
    )
    // What Splitsend uploads is the job's own file, exactly as the source had it.
    expect(files.group1[1]).toEqual(['ann@example.com', '=HYPERLINK("http://evil.example")', '+49 30 1234'])
  })

  it('never give a group’s file the name of the other group’s or of another file', () => {
    const names = (zero: string, one: string) =>
      preparedCopies({ groupNames: { '0': zero, '1': one } }).map((c) => c.name)
    expect(names('A/B', 'A:B').slice(0, 2)).toEqual(['A-B (group 0).csv', 'A-B (group 1).csv'])
    expect(names('problems', 'Others').slice(0, 2)).toEqual(['problems (group 0).csv', 'Others (group 1).csv'])
  })
})
