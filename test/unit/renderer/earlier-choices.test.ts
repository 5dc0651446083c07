import { describe, expect, it } from 'vitest'
import type { LastChoices } from '../../../shared/prepare/last-choices'
import { draftFromChoices } from '../../../renderer/src/features/prepare/from-choices'
import type { JobChoices } from '../../../renderer/src/features/jobs/types'
import { draftFromLastRun, draftFromOptions } from '../../../renderer/src/features/prepare/mapping'
import type { Inspection } from '../../../renderer/src/features/prepare/types'
import { earlierListsOf, firstChoice } from '../../../renderer/src/features/upload/list-choices'

/** A new month's file as the engine inspects it, its columns in `names`' order. */
function inspection(names: string[]): Inspection {
  return {
    fileName: 'november.csv',
    sizeBytes: 1000,
    format: 'csv',
    encoding: 'utf-8',
    encodingDetected: 'utf-8',
    delimiter: ',',
    delimiterDetected: ',',
    headerRow: 1,
    headerRowDetected: 1,
    columns: names.map((name, index) => ({ index, name, generated: false })),
    previewRows: [],
    suggestion: {
      mapping: { emailColumn: names.indexOf('Email'), flagColumn: names.indexOf('Uses app'), fields: [] },
      emailBasis: 'header',
      flagBasis: 'header',
    },
    flagValues: [],
    blankFlags: 0,
    complete: true,
    warnings: [],
  }
}

/** October's job, as `jobs.choices` gives it. */
const OCTOBER: JobChoices = {
  jobId: '2026-10-03-october-abc123',
  sourceFile: 'october.csv',
  preparedAt: '2026-10-03T09:00:00.000Z',
  format: 'csv',
  read: { headerRow: 1 },
  columns: {
    email: 'Email',
    flag: 'Uses app',
    fields: [
      { column: 'First name', target: { kind: 'field', field: 'first_name' } },
      { column: 'Notes', target: { kind: 'ignore' } },
    ],
  },
  flags: { group0Values: ['nein'], group1Values: [], leaveOutValues: ['Test'] },
  blankFlag: 'leave_out',
  groupNames: { '0': 'Not yet', '1': 'Using it' },
  onConflict: 'first',
  lists: { '0': { listId: 'l-1', name: 'Members' }, '1': { name: 'Users' } },
  campaigns: { '0': null, '1': null },
}

/** The same choices as the last run with these columns kept them (last-choices.json). */
const LAST_RUN: LastChoices = {
  columns: ['Email', 'Uses app', 'First name', 'Notes'],
  fileName: 'october.csv',
  savedAt: '2026-10-03T09:00:00.000Z',
  mapping: { emailColumn: 0, flagColumn: 1, fields: [{ column: 2, target: { kind: 'field', field: 'first_name' } }] },
  group0Values: ['nein'],
  group1Values: [],
  leaveOutValues: ['Test'],
  blankFlag: 'leave_out',
  onConflict: 'first',
  groupNames: { '0': 'Not yet', '1': 'Using it' },
  lists: { '0': { kind: 'list', name: 'Members', listId: 'l-1' }, '1': { kind: 'list', name: 'Users' } },
}

describe('earlier choices for the next file: a picked job’s and the last run’s are one mechanism', () => {
  it('gives the same draft for a file with the same columns, whichever of the two it came from', () => {
    const { draft, differences } = draftFromChoices(OCTOBER, inspection(LAST_RUN.columns))
    expect(differences).toEqual([])
    expect(draft).toEqual(draftFromOptions(LAST_RUN))
    // The last run's draft is that draft, marked as the last run's (Map says so and offers the suggestion instead).
    expect(draftFromLastRun(LAST_RUN)).toEqual({
      ...draft,
      emailChosenBy: 'last_run',
      flagChosenBy: 'last_run',
      lastRun: LAST_RUN,
    })
  })

  it('finds a picked job’s columns by name in a file that has them in another order', () => {
    const { draft } = draftFromChoices(OCTOBER, inspection(['First name', 'Notes', 'Email', 'Uses app']))
    expect(draft).toMatchObject({
      emailColumn: 2,
      flagColumn: 3,
      targets: { 0: { kind: 'field', field: 'first_name' } },
    })
    expect(draft.flagChoices).toEqual(draftFromOptions(LAST_RUN).flagChoices)
  })

  it('offers the lists of either the same way: a list by its ID, a new one by its name; a group the job didn’t upload gets a new list', () => {
    const fromJob = earlierListsOf(OCTOBER, undefined)!
    const fromLastRun = earlierListsOf(null, LAST_RUN.lists)!
    expect(fromJob.fromFile).toBe('october.csv')
    expect(fromLastRun.fromFile).toBeNull()
    for (const earlier of [fromJob, fromLastRun]) {
      expect(firstChoice('Not yet', false, earlier.lists['0'])).toEqual({
        mode: 'existing',
        listId: 'l-1',
        name: 'Members',
        suggestion: null,
      })
      expect(firstChoice('Using it', false, earlier.lists['1'])).toEqual({
        mode: 'new',
        listId: null,
        name: 'Users',
        suggestion: null,
      })
    }
    const notUploaded = earlierListsOf({ ...OCTOBER, lists: { '0': OCTOBER.lists['0'], '1': null } }, undefined)!
    expect(firstChoice('Using it', false, notUploaded.lists['1'])).toMatchObject({ mode: 'new', name: 'Using it' })
    expect(earlierListsOf(null, undefined)).toBeNull()
  })
})
