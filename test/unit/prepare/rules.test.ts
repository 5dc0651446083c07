import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PROBLEM_REASONS } from '../../../shared/prepare/schemas'
import { prepareFile, problemRows, writeFile } from './helpers'

const HEADER = 'Email,First name,Uses app,Notes\r\n'
const csv = (...lines: string[]): string => HEADER + lines.map((l) => `${l}\r\n`).join('')

describe('the Prepare rules, end to end on a CSV', () => {
  it('puts each row in exactly one place, numbered as in Excel (header row counts)', async () => {
    const files = await prepareFile(
      writeFile(
        'a.csv',
        csv(
          'ann@example.com,Ann,0,',
          'bob@example.com,Bob,1,',
          ',Nobody,1,',
          'not-an-address,X,1,',
          'cat@example.com,Cat,,',
          'dan@example.com,Dan,maybe,',
        ),
      ),
    )
    expect(files.summary.rows).toBe(6)
    expect(files.summary.groups).toEqual({ '0': 1, '1': 1 })
    expect(files.group0).toEqual([
      ['email', 'first_name'],
      ['ann@example.com', 'Ann'],
    ])
    expect(files.group1).toEqual([
      ['email', 'first_name'],
      ['bob@example.com', 'Bob'],
    ])
    expect(problemRows(files)).toEqual([
      { row: 4, reason: 'missing_email' },
      { row: 5, reason: 'invalid_email' },
      { row: 6, reason: 'missing_flag' },
      { row: 7, reason: 'unrecognized_flag' },
    ])
  })

  it('checks the email before the flag', async () => {
    const files = await prepareFile(writeFile('a.csv', csv(',A,,', 'bad,B,,', 'ok@example.com,C,1,')), {
      mapping: { emailColumn: 0, flagColumn: 2, fields: [] },
    })
    expect(problemRows(files)).toEqual([
      { row: 2, reason: 'missing_email' },
      { row: 3, reason: 'invalid_email' },
    ])
  })

  it('cleans addresses: spaces of every kind, <...>, mailto:, capitals', async () => {
    const files = await prepareFile(
      writeFile(
        'a.csv',
        csv('\u00a0Ann@Example.com\u200b,Ann,1,', '<bob@example.com>,Bob,1,', 'mailto:CAT@example.com,Cat,1,'),
      ),
    )
    expect(files.group1.slice(1).map((r) => r[0])).toEqual(['ann@example.com', 'bob@example.com', 'cat@example.com'])
  })

  it('keeps the first row of a repeated address and reports the others as duplicates', async () => {
    const files = await prepareFile(
      writeFile('a.csv', csv('ann@example.com,First,1,', 'ANN@example.com ,Second,1,', 'ann@example.com,Third,yes,')),
    )
    expect(files.group1).toEqual([
      ['email', 'first_name'],
      ['ann@example.com', 'First'],
    ])
    expect(problemRows(files)).toEqual([
      { row: 3, reason: 'duplicate' },
      { row: 4, reason: 'duplicate' },
    ])
    expect(files.problems[1]![2]).toBe(
      'ann@example.com is already in "Uses app: yes" from row 2; that row\'s details are kept.',
    )
  })

  describe('an address marked 0 on one row and 1 on another', () => {
    const lines = ['ann@example.com,A1,0,', 'bob@example.com,B,1,', 'ann@example.com,A2,1,', 'ann@example.com,A3,0,']

    it('by default leaves every row of it out, even the one already written', async () => {
      const files = await prepareFile(writeFile('a.csv', csv(...lines)))
      expect(files.summary.groups).toEqual({ '0': 0, '1': 1 })
      expect(problemRows(files)).toEqual([
        { row: 2, reason: 'conflicting_flag' },
        { row: 4, reason: 'conflicting_flag' },
        { row: 5, reason: 'conflicting_flag' },
      ])
      // The original cells of the row taken back out of group 0 are reported.
      expect(files.problems[1]!.slice(3)).toEqual(['ann@example.com', 'A1', '0', ''])
    })

    it('with "first row wins" keeps the first row and its group; the row that lost is settled, not a problem', async () => {
      const files = await prepareFile(writeFile('a.csv', csv(...lines)), { onConflict: 'first' })
      expect(files.group0).toEqual([
        ['email', 'first_name'],
        ['ann@example.com', 'A1'],
      ])
      expect(problemRows(files)).toEqual([
        { row: 4, reason: 'overruled_flag' },
        { row: 5, reason: 'duplicate' },
      ])
      expect(files.summary.problems).toMatchObject({ conflicting_flag: 0, overruled_flag: 1 })
      expect(files.problems[1]![2]).toBe(
        'ann@example.com is first marked "Uses app: no" (row 2); with "first row wins", as you chose, this row, marked "Uses app: yes", is left out. Nothing needs doing.',
      )
    })

    it('with "last row wins" takes the last row\'s group, keeping that group\'s first row', async () => {
      const last = [...lines, 'ann@example.com,A4,1,']
      const files = await prepareFile(writeFile('a.csv', csv(...last)), { onConflict: 'last' })
      expect(files.group0).toEqual([['email', 'first_name']])
      expect(files.group1).toEqual([
        ['email', 'first_name'],
        ['bob@example.com', 'B'],
        ['ann@example.com', 'A2'],
      ])
      expect(problemRows(files)).toEqual([
        { row: 2, reason: 'overruled_flag' },
        { row: 5, reason: 'overruled_flag' },
        { row: 6, reason: 'duplicate' },
      ])
    })
  })

  it('lets the person assign other flag values, and never counts an unassigned one as 0', async () => {
    const path = writeFile(
      'a.csv',
      csv('a@example.com,A,Ja,', 'b@example.com,B,Nein,', 'c@example.com,C,n/a,', 'd@example.com,D,vielleicht,'),
    )
    const mapping = { emailColumn: 0, flagColumn: 2, fields: [] }
    const before = await prepareFile(path, { mapping })
    expect(before.summary.groups).toEqual({ '0': 0, '1': 0 })
    expect(before.summary.problems.unrecognized_flag).toBe(4)
    expect(before.summary.flagValues.map((v) => [v.value, v.assignedTo])).toEqual([
      ['Ja', 'unassigned'],
      ['n/a', 'unassigned'],
      ['Nein', 'unassigned'],
      ['vielleicht', 'unassigned'],
    ])
    const after = await prepareFile(path, {
      group0Values: ['nein'],
      group1Values: ['JA'],
      leaveOutValues: ['N/A'],
      mapping,
    })
    expect(after.summary.groups).toEqual({ '0': 1, '1': 1 })
    expect(problemRows(after)).toEqual([
      { row: 4, reason: 'unrecognized_flag' },
      { row: 5, reason: 'unrecognized_flag' },
    ])
    expect(after.problems[1]![2]).toBe('The flag value "n/a" is set to be left out.')
  })

  it('reports a row with a broken quote as malformed and still reads the rest', async () => {
    const files = await prepareFile(
      writeFile(
        'a.csv',
        csv(
          'ann@example.com,Ann,1,fine',
          'bob@example.com,Bob,1,"unclosed',
          'cat@example.com,Cat,0,"ok"',
          'dan@example.com,Dan,0,x',
        ),
      ),
    )
    expect(files.summary.rows).toBe(4)
    expect(problemRows(files)).toEqual([{ row: 3, reason: 'malformed_row' }])
    expect(files.group0.slice(1).map((r) => r[0])).toEqual(['cat@example.com', 'dan@example.com'])
  })

  it('skips blank rows without renumbering the others', async () => {
    const files = await prepareFile(writeFile('a.csv', csv('ann@example.com,Ann,1,', ',,,', '', 'bad,Bad,1,')))
    expect(files.summary.rows).toBe(2)
    expect(problemRows(files)).toEqual([{ row: 5, reason: 'invalid_email' }])
  })

  it('writes problems.csv for Excel: BOM, original cells, formulas neutralised', async () => {
    const files = await prepareFile(writeFile('a.csv', csv('bad,=HYPERLINK("x"),1,+1 555', '-x,@me,1,ok')))
    expect(files.problemsText.startsWith('\ufeffRow,Reason,Explanation,Email,First name,Uses app,Notes\r\n')).toBe(true)
    expect(files.problems[1]!.slice(3)).toEqual(['bad', '\'=HYPERLINK("x")', '1', "'+1 555"])
    expect(files.problems[2]!.slice(3)).toEqual(["'-x", "'@me", '1', 'ok'])
  })

  it('writes the groups in Constant Contact import format: email, standard fields, then cf: custom fields', async () => {
    const path = writeFile(
      'a.csv',
      'Company,E-mail,Flag,Last Name,Member no,First Name\r\nAcme,ann@example.com,1,Smith,007,Ann\r\n',
    )
    const files = await prepareFile(path, {
      mapping: {
        emailColumn: 1,
        flagColumn: 2,
        fields: [
          { column: 0, target: { kind: 'field', field: 'company_name' } },
          { column: 3, target: { kind: 'field', field: 'last_name' } },
          { column: 4, target: { kind: 'custom', name: 'Member no' } },
          { column: 5, target: { kind: 'field', field: 'first_name' } },
        ],
      },
    })
    expect(files.group1).toEqual([
      ['email', 'first_name', 'last_name', 'company_name', 'cf:member_no'],
      ['ann@example.com', 'Ann', 'Smith', 'Acme', '007'],
    ])
    expect(readFileSync(join(files.outDir, 'group-1.csv'), 'utf8').charCodeAt(0)).not.toBe(0xfeff)
  })

  it('writes summary.json with every count and job.json for the upload step', async () => {
    const files = await prepareFile(writeFile('a.csv', csv('ann@example.com,Ann,0,', 'bad,B,1,')), {
      groupNames: { '0': 'Paper', '1': 'App users' },
    })
    const summary = JSON.parse(readFileSync(join(files.outDir, 'summary.json'), 'utf8'))
    expect(summary).toMatchObject({
      rows: 2,
      groups: { '0': 1, '1': 0 },
      groupNames: { '0': 'Paper', '1': 'App users' },
      source: { format: 'csv', encoding: 'utf-8', delimiter: ',', headerRow: 1 },
    })
    expect(Object.keys(summary.problems)).toEqual([...PROBLEM_REASONS])
    const job = JSON.parse(readFileSync(join(files.outDir, 'job.json'), 'utf8'))
    expect(job).toMatchObject({
      version: 1,
      status: 'prepared',
      counts: { rows: 2 },
      options: { headerRow: 1, onConflict: 'exclude' },
    })
    // The index maps each group record to its source row.
    const index = readFileSync(join(files.outDir, 'group-0.idx'))
    expect(index.length).toBe(16)
    expect(index.readUInt32LE(8)).toBe(2)
  })

  it('an address longer than the 50 characters an import takes is a problem of its own kind, explained', async () => {
    const at50 = `${'a'.repeat(38)}@example.com`
    const at51 = `${'b'.repeat(39)}@example.com`
    const files = await prepareFile(
      writeFile('a.csv', csv(`${at50},A,1,`, `${at51.toUpperCase()},B,1,`, `${at51},C,,`)),
    )
    expect(files.group1.slice(1).map((r) => r[0])).toEqual([at50])
    expect(problemRows(files)).toEqual([
      { row: 3, reason: 'email_too_long' },
      { row: 4, reason: 'email_too_long' }, // checked before the flag, like every email check
    ])
    expect(files.summary.problems.email_too_long).toBe(2)
    expect(files.problems[1]![2]).toBe(
      `${at51} is 51 characters long, and Constant Contact’s import takes addresses of at most 50 characters, so it would refuse this contact. Add it in Constant Contact by hand (a contact’s address may have up to 80 characters), or use a shorter address.`,
    )
  })

  it('cuts values longer than an import takes at the limit in the group file, and says which rows and columns', async () => {
    const path = writeFile(
      'long.csv',
      [
        'Email,First name,Company,Street,Note,Flag',
        `ann@example.com,${'A'.repeat(60)},Acme,${'S'.repeat(300)},${'n'.repeat(256)},1`,
        `bob@example.com,Bob," ${'C'.repeat(51)} ",Main St,short,0`,
        `cat@example.com,${'Ç'.repeat(50)},Acme,Elm St,${'😀'.repeat(255)},1`,
        // Taken out as a conflict: its cut value is not counted.
        `dan@example.com,${'D'.repeat(70)},Acme,Oak St,x,1`,
        `dan@example.com,Dan,Acme,Oak St,x,0`,
        '',
      ].join('\r\n'),
    )
    const files = await prepareFile(path, {
      mapping: {
        emailColumn: 0,
        flagColumn: 5,
        fields: [
          { column: 1, target: { kind: 'field', field: 'first_name' } },
          { column: 2, target: { kind: 'field', field: 'company_name' } },
          { column: 3, target: { kind: 'field', field: 'street' } },
          { column: 4, target: { kind: 'custom', name: 'Note' } },
        ],
      },
    })
    expect(files.group1).toEqual([
      ['email', 'first_name', 'company_name', 'street', 'cf:note'],
      ['ann@example.com', 'A'.repeat(50), 'Acme', 'S'.repeat(255), 'n'.repeat(255)],
      ['cat@example.com', 'Ç'.repeat(50), 'Acme', 'Elm St', '😀'.repeat(255)], // characters, not code units
    ])
    expect(files.group0[1]).toEqual(['bob@example.com', 'Bob', 'C'.repeat(50), 'Main St', 'short'])
    expect(files.summary.cutValues).toEqual([
      { column: 'first_name', sourceColumn: 'First name', limit: 50, rows: 1, firstRows: [2] },
      { column: 'company_name', sourceColumn: 'Company', limit: 50, rows: 1, firstRows: [3] },
      { column: 'street', sourceColumn: 'Street', limit: 255, rows: 1, firstRows: [2] },
      { column: 'cf:note', sourceColumn: 'Note', limit: 255, rows: 1, firstRows: [2] },
    ])
    expect(files.summary.warnings).toContain(
      '1 value in “First name” was longer than the 50 characters Constant Contact’s import takes for first_name, and was cut to 50 in the group file (row 2). The spreadsheet itself is not changed.',
    )
    // problems.csv keeps the row as it was.
    expect(files.problems.find((r) => r[0] === '5')![4]).toBe('D'.repeat(70))
  })

  it('refuses a mapping whose columns do not exist, in plain words', async () => {
    const path = writeFile('a.csv', csv('ann@example.com,Ann,0,'))
    await expect(prepareFile(path, { mapping: { emailColumn: 0, flagColumn: 9, fields: [] } })).rejects.toMatchObject({
      code: 'invalid_mapping',
      message: 'Choose the column that holds the 0/1 flag.',
    })
  })
})
