import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Routine } from '../../../shared/routines/schema'
import { inspectSource } from '../../../electron/services/prepare/inspect'
import {
  compareWithRoutine,
  prepareOptionsFor,
  routineMappingFrom,
  type Drift,
} from '../../../electron/services/routines/drift'
import { writeXlsx } from '../prepare/helpers'
import { sampleRoutine, tempDir } from './helpers'

/** A CSV month: a header and rows of cells, inspected with the routine's reading settings as the run does. */
async function month(header: string[], rows: string[][], routine: Routine = sampleRoutine()): Promise<Drift> {
  const path = join(tempDir(), 'usage.csv')
  writeFileSync(path, [header, ...rows].map((r) => r.join(',')).join('\r\n'))
  const { format: _format, ...read } = routine.reading
  return compareWithRoutine(routine, await inspectSource(path, read))
}

/** Rows in the sample routine's usual shape: Email, Uses app, First name, Region, Notes. */
function usualRows(count: number, flag = (i: number): string => String(i % 2)): string[][] {
  return Array.from({ length: count }, (_, i) => [`person${i}@example.com`, flag(i), `Name ${i}`, 'North', ''])
}

const USUAL = ['Email', 'Uses app', 'First name', 'Region', 'Notes']

describe('a new file against the routine', () => {
  it('finds every column by its name wherever it moved, and gives Prepare their positions', async () => {
    const header = ['Notes', 'Region', 'First name', 'Uses app', 'Email']
    const drift = await month(
      header,
      usualRows(20).map((r) => [...r].reverse()),
    )
    expect(drift.differences).toEqual([])
    expect(drift.mapping).toEqual({
      emailColumn: 4,
      flagColumn: 3,
      fields: [
        { column: 2, target: { kind: 'field', field: 'first_name' } },
        { column: 1, target: { kind: 'custom', name: 'region' } },
      ],
    })
  })

  it('suggests the likely new name of a renamed column, by name and by content, and still stops', async () => {
    const drift = await month(['E-mail', 'Customer uses app', 'First nmae', 'Region', 'Notes'], usualRows(20))
    expect(drift.differences.map((d) => [d.kind, d.severity, d.column, d.suggestion])).toEqual([
      ['column_renamed', 'stop', 'Email', { header: 'E-mail', index: 0 }],
      ['column_renamed', 'stop', 'Uses app', { header: 'Customer uses app', index: 1 }],
      ['column_renamed', 'stop', 'First name', { header: 'First nmae', index: 2 }],
    ])
    expect(drift.differences[0]!.message).toBe(
      'The column “Email” (the email addresses) is not in the file; “E-mail” looks like it (a similar name, it holds email addresses).',
    )
    expect(drift.differences[2]!.message).toBe(
      'The column “First name” (sent as First name) is not in the file; “First nmae” looks like it (a similar name).',
    )
    expect(drift.mapping).toMatchObject({ emailColumn: 0, flagColumn: 1, fields: [{ column: 2 }, { column: 3 }] })
    // Only the case changed: the same column, nothing to say.
    expect((await month(['EMAIL', 'uses app', 'First Name', 'REGION', 'notes'], usualRows(5))).differences).toEqual([])
  })

  it('says a mapped column is gone when nothing looks like it, and gives no positions', async () => {
    const drift = await month(
      ['Email', 'Uses app', 'First name', 'Notes'],
      usualRows(20).map((r) => [r[0]!, r[1]!, r[2]!, '']),
    )
    expect(drift.differences).toEqual([
      {
        kind: 'column_missing',
        severity: 'stop',
        column: 'Region',
        message:
          'The column “Region” (sent as the custom field “region”) is not in the file, and no other column looks like it.',
      },
    ])
    expect(drift.mapping).toBeNull()
  })

  it('lets a left-out column go, and notes a new one (not sent)', async () => {
    const drift = await month(['Email', 'Uses app', 'First name', 'Region', 'Plan'], usualRows(20))
    expect(drift.differences).toEqual([
      {
        kind: 'column_new',
        severity: 'note',
        column: 'Plan',
        message: 'The file has a new column “Plan”; it is not sent (map it in Review to send it).',
      },
    ])
    expect(drift.mapping?.fields.map((f) => f.column)).toEqual([2, 3])
  })

  it('stops on a flag value no group has, counting its rows', async () => {
    const drift = await month(
      USUAL,
      usualRows(30, (i) => (i < 3 ? 'trial' : i % 5 === 0 ? 'test' : String(i % 2))),
    )
    expect(drift.differences).toEqual([
      {
        kind: 'flag_value_new',
        severity: 'stop',
        value: 'trial',
        count: 3,
        message:
          'The flag value “trial” is new (3 of the first 30 rows): it is not assigned to “Not using the app”, “Uses the app” or left out.',
      },
    ])
  })

  it('stops when the email or flag column no longer holds what it did', async () => {
    const names = await month(
      USUAL,
      usualRows(20).map((r, i) => [`Person ${i}`, ...r.slice(1)]),
    )
    expect(names.differences.map((d) => d.kind)).toEqual(['email_values'])
    expect(names.differences[0]!.message).toMatch(
      /^The email column's values no longer look like email addresses \(20 of 20 /,
    )
    const dates = await month(
      USUAL,
      usualRows(20, (i) => `2025-06-${10 + i}`),
    )
    expect(dates.differences.map((d) => [d.kind, d.severity])).toEqual([['flag_values', 'stop']])
    expect(dates.mapping).not.toBeNull()
  })

  it('stops on a repeated column name the routine had once', async () => {
    const drift = await month(['Email', 'Uses app', 'First name', 'Region', 'Region'], usualRows(10))
    expect(drift.differences.map((d) => [d.kind, d.severity, d.message])).toEqual([
      [
        'column_repeated',
        'stop',
        'The file has more than one column named “Region” (sent as the custom field “region”); the routine had one. The first is used.',
      ],
      ['column_new', 'note', 'The file has a new column “Region (2)”; it is not sent (map it in Review to send it).'],
    ])
    expect(drift.mapping?.fields[1]).toEqual({ column: 3, target: { kind: 'custom', name: 'region' } })
  })

  it('notes a detected setting that differs from the routine, and stops when that moves the columns', async () => {
    const latin = sampleRoutine({ reading: { format: 'csv', headerRow: 1, encoding: 'windows-1252', delimiter: ',' } })
    const zoe = usualRows(10).map((r) => [r[0]!, r[1]!, 'Zoë', r[3]!, r[4]!])
    const encoding = await month(USUAL, zoe, latin)
    expect(encoding.differences).toEqual([
      {
        kind: 'encoding',
        severity: 'note',
        message: 'The file looks like it is written in utf-8; the routine reads it as windows-1252.',
      },
    ])
    const titled = sampleRoutine({ reading: { format: 'csv', headerRow: 2, encoding: 'utf-8', delimiter: ',' } })
    const header = await month(USUAL, usualRows(10), titled)
    // Read from row 2, the first data row becomes the "names": the content still points at the email and flag columns.
    expect(header.differences.map((d) => [d.kind, d.severity, d.column])).toEqual([
      ['header_row', 'note', undefined],
      ['column_renamed', 'stop', 'Email'],
      ['column_renamed', 'stop', 'Uses app'],
      ['column_missing', 'stop', 'First name'],
      ['column_missing', 'stop', 'Region'],
      ['column_new', 'note', 'Name 0'],
      ['column_new', 'note', 'North'],
    ])
    expect(header.differences[0]!.message).toBe(
      'The column names seem to be on row 1 now; the routine reads them from row 2.',
    )
    expect(header.mapping).toBeNull()
  })

  it('says when the routine’s sheet is gone from a workbook', async () => {
    const routine = sampleRoutine({ reading: { format: 'xlsx', headerRow: 1, sheet: 'Usage' } })
    const path = await writeXlsx('usage.xlsx', [
      { name: 'Summary', rows: [{ cells: ['Total'] }, { cells: [3] }] },
      { name: 'Data', rows: [{ cells: USUAL }, ...usualRows(5).map((cells) => ({ cells }))] },
    ])
    await expect(inspectSource(path, { sheet: 'Usage', headerRow: 1 })).rejects.toMatchObject({
      code: 'sheet_not_found',
    })
    const drift = compareWithRoutine(routine, await inspectSource(path, { sheet: 'Data', headerRow: 1 }))
    expect(drift.differences).toEqual([
      {
        kind: 'sheet_missing',
        severity: 'stop',
        message:
          'The workbook has no sheet “Usage” any more (its sheets: “Summary”, “Data”). The columns below are from “Data”.',
      },
    ])
    expect(drift.mapping).toMatchObject({ emailColumn: 0, flagColumn: 1 })
    expect(
      compareWithRoutine(
        sampleRoutine({ reading: { format: 'xlsx', headerRow: 1, sheet: 'data' } }),
        await inspectSource(path, { sheet: 'Data', headerRow: 1 }),
      ).differences,
    ).toEqual([])
  })

  it('turns a run’s positions into names and back, repeated names included', async () => {
    const path = join(tempDir(), 'dup.csv')
    writeFileSync(path, 'Phone,Email,Flag,Phone,Extra\r\n1,a@example.com,1,2,x\r\n')
    const inspection = await inspectSource(path)
    const mapping = {
      emailColumn: 1,
      flagColumn: 2,
      fields: [{ column: 3, target: { kind: 'field' as const, field: 'mobile_phone' as const } }],
    }
    const byName = routineMappingFrom(inspection.columns, mapping)
    expect(byName).toEqual({
      emailColumn: 'Email',
      flagColumn: 'Flag',
      fields: [
        { column: 'Phone (2)', target: { kind: 'field', field: 'mobile_phone' } },
        { column: 'Phone', target: { kind: 'ignore' } },
        { column: 'Extra', target: { kind: 'ignore' } },
      ],
    })
    const routine = sampleRoutine({ mapping: byName, reading: { format: 'csv', headerRow: 1 } })
    const drift = compareWithRoutine(routine, inspection)
    expect(drift).toEqual({ differences: [], mapping })
    expect(prepareOptionsFor(routine, mapping)).toEqual({
      headerRow: 1,
      group0Values: [],
      group1Values: ['active'],
      leaveOutValues: ['test'],
      mapping,
      onConflict: 'exclude',
      groupNames: { '0': 'Not using the app', '1': 'Uses the app' },
    })
    // Where blank flag cells go is Prepare's blankFlag.
    const leaving = { ...routine, flags: { ...routine.flags, blank: 'leave_out' as const } }
    expect(prepareOptionsFor(leaving, mapping).blankFlag).toBe('leave_out')
  })
})
