import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCommand } from '../cli-run'
import { tempDir, writeFile } from './helpers'

const run = runCommand

const CSV =
  'Contact email;Nom;Utilise app\nann@example.com;Ann;1\nbob@example.com;Bob;0\nbad;Cy;1\ndi@example.com;Di;peut-être\n'

describe('splitsend prepare', () => {
  it('prepares with the suggested columns, prints a short summary and exits 0 even with problems', async () => {
    const out = join(tempDir(), 'job')
    const result = await run('prepare', writeFile('c.csv', CSV), '--out', out)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Prepared 4 rows from c.csv (UTF-8, semicolon-separated, header on row 1).')
    expect(result.stdout).toContain('Utilise app: no: 1 contact →')
    expect(result.stdout).toContain('Flag values not assigned to a group: "peut-être" (1).')
    expect(readFileSync(join(out, 'group-1.csv'), 'utf8')).toBe('email,last_name\r\nann@example.com,Ann\r\n')
  })

  it('with --json prints summary.json, and honours the column, value and conflict options', async () => {
    const out = join(tempDir(), 'job')
    const result = await run(
      'prepare',
      writeFile('c.csv', CSV),
      '--out',
      out,
      '--json',
      '--email-column',
      'contact email',
      '--flag-column',
      'C',
      '--group1-values',
      'Peut-être',
      '--on-conflict=last',
      '--delimiter',
      'semicolon',
    )
    expect(result.code).toBe(0)
    const summary = JSON.parse(result.stdout)
    expect(summary).toEqual(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')))
    expect(summary.groups).toEqual({ '0': 1, '1': 2 })
    expect(summary.onConflict).toBe('last')
  })

  it('puts rows with an empty flag where --blank-flag says', async () => {
    const csv = 'Email,Flag\nann@example.com,1\nbob@example.com,\n'
    const out = join(tempDir(), 'job')
    const result = await run('prepare', writeFile('b.csv', csv), '--out', out, '--json', '--blank-flag', 'leave-out')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({
      blankFlag: 'leave_out',
      blankFlags: 1,
      problems: { missing_flag: 1 },
    })
    const intoOne = await run(
      'prepare',
      writeFile('b.csv', csv),
      '--out',
      join(tempDir(), 'job'),
      '--json',
      '--blank-flag',
      '1',
    )
    expect(JSON.parse(intoOne.stdout).groups).toEqual({ '0': 0, '1': 2 })
  })

  it.each([
    [['prepare'], /Name the spreadsheet/],
    [['prepare', 'x.csv'], /--out/],
    [['prepare', 'x.csv', '--out', 'o', '--bogus'], /Unknown option --bogus/],
    [['prepare', 'x.csv', '--out', 'o', '--on-conflict', 'both'], /not a conflict choice/],
    [['prepare', 'x.csv', '--out', 'o', '--blank-flag', 'maybe'], /not a choice for empty flag cells/],
    [['prepare', 'x.csv', '--out', 'o', '--encoding', 'klingon'], /not an encoding/],
    [['prepare', 'x.csv', '--out', 'o', '--header-row', 'two'], /not a row number/],
  ])('exits 2 on a usage error: %j', async (argv, message) => {
    const result = await run(...argv)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
  })

  it('exits 2 when a named column does not exist, listing the columns', async () => {
    const result = await run('prepare', writeFile('c.csv', CSV), '--out', tempDir(), '--flag-column', 'Status')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('There is no column "Status" for the flag.')
    expect(result.stderr).toContain('"Contact email", "Nom", "Utilise app"')
  })

  it('exits 1 with the reason on stderr when the file cannot be read', async () => {
    const result = await run('prepare', writeFile('scan.pdf', '%PDF-1.4\n'), '--out', tempDir())
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('"scan.pdf" is a PDF document, not a spreadsheet.')
  })
})

describe('splitsend inspect', () => {
  it('--json prints format, columns, suggested mapping and first rows', async () => {
    const result = await run('inspect', writeFile('c.csv', CSV), '--json')
    expect(result.code).toBe(0)
    const inspection = JSON.parse(result.stdout)
    expect(inspection).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ';', headerRow: 1, complete: true })
    expect(inspection.columns.map((c: { name: string }) => c.name)).toEqual(['Contact email', 'Nom', 'Utilise app'])
    expect(inspection.suggestion.mapping).toMatchObject({ emailColumn: 0, flagColumn: 2 })
    expect(inspection.previewRows[0]).toEqual({ row: 2, cells: ['ann@example.com', 'Ann', '1'] })
  })

  it('prints a readable overview without --json', async () => {
    const result = await run('inspect', writeFile('c.csv', CSV))
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Delimiter: ";" (detected)')
    expect(result.stdout).toMatch(/1 {2}Contact email {2}→ {2}email \(header\)/)
  })
})

describe('the command and a file with terminal controls in it', () => {
  // What a terminal acts on rather than shows: controls (line feed aside), DEL, C1, bidi marks.
  const ACTING = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u
  const HOSTILE =
    'Email,Flag,Name\u001b]0;owned\u0007\n' +
    'ann@example.com,1,"Ann\u001b[2J\rZ"\n' +
    'bob@example.com,\u202eyes,Bob\u009b31m\n' +
    'cy@example.com,0,"two\nlines"\n'
  const file = () => writeFile('c\u001b[31m.csv', HOSTILE)

  it('inspect shows every control as a visible escape, one line per row', async () => {
    const result = await run('inspect', file())
    expect(result.code).toBe(0)
    expect(result.stdout).not.toMatch(ACTING)
    expect(result.stdout).toContain('c\\u001b[31m.csv: text (CSV)')
    expect(result.stdout).toContain('Name\\u001b]0;owned\\u0007  →')
    expect(result.stdout).toContain('ann@example.com | 1 | Ann\\u001b[2J\\rZ')
    expect(result.stdout).toContain('bob@example.com | \\u202eyes | Bob\\u009b31m')
    expect(result.stdout).toContain('cy@example.com | 0 | two\\nlines')
  })

  it('inspect --json stays exact: the escapes are JSON’s own', async () => {
    const result = await run('inspect', file(), '--json')
    expect(result.code).toBe(0)
    expect(result.stdout).not.toMatch(ACTING)
    const inspection = JSON.parse(result.stdout)
    expect(inspection.columns[2].name).toBe('Name\u001b]0;owned\u0007')
    expect(inspection.previewRows[1].cells).toEqual(['bob@example.com', '\u202eyes', 'Bob\u009b31m'])
  })

  it('prepare’s summary and a failure’s message show them too', async () => {
    const prepared = await run('prepare', file(), '--out', join(tempDir(), 'job'))
    expect(prepared.code).toBe(0)
    expect(prepared.stdout).not.toMatch(ACTING)
    expect(prepared.stdout).toContain('"\\u202eyes" (1)')
    const failed = await run('prepare', join(tempDir(), 'gone\u001b[2J.csv'), '--out', tempDir())
    expect(failed.code).toBe(1)
    expect(failed.stderr).not.toMatch(ACTING)
    expect(failed.stderr).toContain('gone\\u001b[2J.csv')
  })
})
