import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  chooseFlagPlacement,
  chooseKeyColumn,
  chooseTarget,
  columnMapping,
  draftFromLastRun,
  draftFromSuggestion,
  draftProblems,
  flagAssignments,
  flagColumnDoubt,
  flagRulesOf,
  nameGroup,
  placementOf,
  prepareOptions,
  runKey,
  standardPlacement,
} from '../../../renderer/src/features/prepare/mapping'
import { classifyPreview } from '../../../renderer/src/features/map/preview'
import { MAX_SCROLL_HEIGHT, rowWindowAt } from '../../../renderer/src/features/review/row-window'
import type { Inspection } from '../../../renderer/src/features/prepare/types'

/** An inspection as the engine gives it for a small file with Email, Uses app, First name, Notes. */
function inspection(previewRows: Array<[string, string]> = [['ann@example.com', '1']]): Inspection {
  return {
    fileName: 'contacts.csv',
    sizeBytes: 1000,
    format: 'csv',
    encoding: 'utf-8',
    encodingDetected: 'utf-8',
    delimiter: ',',
    delimiterDetected: ',',
    headerRow: 1,
    headerRowDetected: 1,
    columns: ['Email', 'Uses app', 'First name', 'Notes'].map((name, index) => ({ index, name, generated: false })),
    previewRows: previewRows.map(([email, flag], i) => ({ row: i + 2, cells: [email, flag, 'Ann', ''] })),
    suggestion: {
      mapping: {
        emailColumn: 0,
        flagColumn: 1,
        fields: [
          { column: 2, target: { kind: 'field', field: 'first_name' } },
          { column: 3, target: { kind: 'ignore' } },
        ],
      },
      emailBasis: 'header',
      flagBasis: 'header',
    },
    flagValues: [],
    blankFlags: 0,
    complete: true,
    warnings: [],
  }
}

describe('the Map step’s choices', () => {
  it('start from the suggestion, and keep the person’s own choices when the file is read again', () => {
    const fresh = draftFromSuggestion(inspection())
    expect(fresh).toMatchObject({
      emailColumn: 0,
      flagColumn: 1,
      emailChosenBy: 'suggestion',
      targets: { 2: { kind: 'field', field: 'first_name' } },
      onConflict: 'exclude',
    })
    expect(fresh.targets[3]).toBeUndefined() // "ignore" is simply not sent
    const edited = {
      ...nameGroup(nameGroup(chooseFlagPlacement(fresh, 'Maybe', '1'), '0', 'Not using it'), '1', 'Using it'),
      onConflict: 'first' as const,
    }
    const again = draftFromSuggestion(inspection(), edited)
    expect(again).toMatchObject({
      flagChoices: { maybe: '1' },
      groupNames: { '0': 'Not using it', '1': 'Using it' },
      onConflict: 'first',
    })
  })

  it('suggest group names from the flag column, following it until the person names a group', () => {
    const fresh = draftFromSuggestion(inspection())
    expect(fresh.groupNames).toEqual({ '0': 'Uses app: no', '1': 'Uses app: yes' })
    expect(fresh.namesChosenBy).toEqual({ '0': 'suggestion', '1': 'suggestion' })
    const named = nameGroup(fresh, '1', 'App users')
    const otherFlag = chooseKeyColumn(named, 'flag', 3, inspection().columns)
    expect(otherFlag.groupNames).toEqual({ '0': 'Notes: no', '1': 'App users' })
    expect(otherFlag.namesChosenBy).toEqual({ '0': 'suggestion', '1': 'person' })
  })

  it('never let one column be the email, the flag and a field at once', () => {
    const draft = draftFromSuggestion(inspection())
    const swapped = chooseKeyColumn(draft, 'email', 1, inspection().columns)
    expect(swapped).toMatchObject({ emailColumn: 1, flagColumn: -1, emailChosenBy: 'person' })
    const fieldAsFlag = chooseKeyColumn(draft, 'flag', 2, inspection().columns)
    expect(fieldAsFlag.flagColumn).toBe(2)
    expect(fieldAsFlag.targets[2]).toBeUndefined()
    expect(columnMapping(chooseTarget(draft, 0, { kind: 'custom', name: 'x' })).fields.map((f) => f.column)).toEqual([
      2,
    ])
  })

  it('keep a flag choice only where it differs from what the standard values mean', () => {
    const draft = draftFromSuggestion(inspection())
    expect(standardPlacement(' YES ')).toBe('1')
    expect(standardPlacement('maybe')).toBe('unassigned')
    expect(chooseFlagPlacement(draft, 'Yes', '1').flagChoices).toEqual({})
    const placed = chooseFlagPlacement(
      chooseFlagPlacement(chooseFlagPlacement(draft, 'Yes', '0'), 'Maybe', 'leave_out'),
      'Sometimes',
      '1',
    )
    expect(flagAssignments(placed)).toEqual({
      group0Values: ['yes'],
      group1Values: ['sometimes'],
      leaveOutValues: ['maybe'],
    })
    expect(chooseFlagPlacement(placed, 'MAYBE', 'unassigned').flagChoices).not.toHaveProperty('maybe')
  })

  it('place empty flag cells like any value: a group, left out, or listed as problems', () => {
    const draft = draftFromSuggestion(inspection())
    expect(prepareOptions(draft, inspection()).blankFlag).toBeUndefined()
    const toZero = chooseFlagPlacement(draft, '', '0')
    expect(prepareOptions(toZero, inspection()).blankFlag).toBe('0')
    expect(flagAssignments(toZero)).toEqual({ group0Values: [], group1Values: [], leaveOutValues: [] })
    expect(placementOf(flagRulesOf(toZero), '')).toBe('0')
    const leftOut = chooseFlagPlacement(draft, '', 'leave_out')
    expect(placementOf(flagRulesOf(leftOut), '  ')).toBe('leave_out')
    expect(runKey('f', prepareOptions(leftOut, inspection()))).not.toBe(
      runKey('f', prepareOptions(draft, inspection())),
    )
    expect(prepareOptions(chooseFlagPlacement(leftOut, '', 'unassigned'), inspection()).blankFlag).toBeUndefined()
  })

  it('doubt a flag column with many values or with email addresses, and say why', () => {
    expect(
      flagColumnDoubt('Uses app', [
        { value: '0', count: 40 },
        { value: '1', count: 50 },
        { value: 'maybe', count: 2 },
      ]),
    ).toBeNull()
    const emails = Array.from({ length: 30 }, (_, i) => ({ value: `p${i}@example.com`, count: 1 }))
    expect(flagColumnDoubt('Email', emails)).toBe(
      '“Email” holds email addresses, not a flag. Choose the column that says whether a customer uses the app.',
    )
    const names = Array.from({ length: 30 }, (_, i) => ({ value: `Name ${i}`, count: 1 }))
    expect(flagColumnDoubt('First name', names)).toMatch(
      /^“First name” doesn’t look like a flag: its first rows hold 30 different values/,
    )
  })

  it('fill in the last run’s choices for a file with the same columns, as the person’s own', () => {
    const draft = draftFromLastRun({
      columns: ['Email', 'Uses app', 'First name', 'Notes'],
      fileName: 'october.csv',
      savedAt: '2026-10-03T09:00:00.000Z',
      mapping: { emailColumn: 0, flagColumn: 1, fields: [{ column: 3, target: { kind: 'custom', name: 'Notes' } }] },
      group0Values: ['nein'],
      group1Values: [],
      leaveOutValues: ['Test'],
      blankFlag: 'leave_out',
      onConflict: 'first',
      groupNames: { '0': 'Not yet', '1': 'Using it' },
      lists: { '0': { kind: 'list', name: 'Members', listId: 'l-1' }, '1': { kind: 'skip' } },
    })
    expect(draft).toMatchObject({
      emailChosenBy: 'last_run',
      targets: { 3: { kind: 'custom', name: 'Notes' } },
      flagChoices: { nein: '0', test: 'leave_out', '': 'leave_out' },
      groupNames: { '0': 'Not yet', '1': 'Using it' },
      namesChosenBy: { '0': 'person', '1': 'person' },
      onConflict: 'first',
    })
    expect(prepareOptions(draft, inspection())).toMatchObject({ blankFlag: 'leave_out', leaveOutValues: ['test'] })
  })

  it('say in plain words what stops the full pass', () => {
    const draft = draftFromSuggestion(inspection())
    expect(draftProblems(draft, inspection())).toEqual([])
    expect(draftProblems(draft, inspection([]))).toEqual(['This file has no contacts.'])
    expect(draftProblems({ ...draft, groupNames: { '0': ' ', '1': 'B' } }, inspection())).toContain(
      'Give each group a name.',
    )
    expect(draftProblems({ ...draft, groupNames: { '0': 'Same', '1': ' Same ' } }, inspection())).toContain(
      'Give the two groups different names.',
    )
    expect(draftProblems(chooseTarget(draft, 3, { kind: 'custom', name: '  ' }), inspection())).toContain(
      'Give the custom field for “Notes” a name.',
    )
  })

  it('become the engine’s options, with a key that ignores the order values were chosen in', () => {
    const a = chooseFlagPlacement(chooseFlagPlacement(draftFromSuggestion(inspection()), 'maybe', '0'), 'perhaps', '0')
    const b = chooseFlagPlacement(chooseFlagPlacement(draftFromSuggestion(inspection()), 'perhaps', '0'), 'maybe', '0')
    const options = prepareOptions({ ...a, groupNames: { '0': ' Zero ', '1': 'One' } }, inspection())
    expect(options).toMatchObject({
      encoding: 'utf-8',
      delimiter: ',',
      headerRow: 1,
      groupNames: { '0': 'Zero', '1': 'One' },
      onConflict: 'exclude',
    })
    expect(runKey('f1', prepareOptions(a, inspection()))).toBe(runKey('f1', prepareOptions(b, inspection())))
    expect(runKey('f1', options)).not.toBe(runKey('f2', options))
  })

  it('preview the first rows with the full pass’s rules', () => {
    const rows = classifyPreview(
      inspection([
        ['a@example.com', '1'],
        ['', '0'],
        ['A@example.com', '1'],
        ['b@example.com', 'maybe'],
      ]),
      draftFromSuggestion(inspection()),
    )
    expect(rows.map((r) => [r.row, r.destination])).toEqual([
      [2, { kind: 'group', group: '1' }],
      [3, { kind: 'problem', reason: 'missing_email' }],
      [4, { kind: 'problem', reason: 'duplicate' }],
      [5, { kind: 'problem', reason: 'unrecognized_flag' }],
    ])
  })
})

describe('the rows on screen in a long table', () => {
  it('cover the viewport, overscan a little, and account for the whole height', () => {
    const span = rowWindowAt(0, 100, 34, 340)
    expect(span).toEqual({ first: 0, end: 16, spaceBefore: 0, spaceAfter: (100 - 16) * 34 })
    const bottom = rowWindowAt(1e9, 100, 34, 340)
    expect(bottom.end).toBe(100)
    expect(bottom.spaceBefore + (bottom.end - bottom.first) * 34 + bottom.spaceAfter).toBe(100 * 34)
  })

  it('reach every row of a million, within the height a browser can lay out', () => {
    const count = 1_000_000
    const rowHeight = 34
    const viewport = 600
    expect(rowWindowAt(1e12, count, rowHeight, viewport).end).toBe(count) // the end is reachable
    fc.assert(
      fc.property(fc.double({ min: 0, max: MAX_SCROLL_HEIGHT, noNaN: true }), (scrollTop) => {
        const { first, end, spaceBefore, spaceAfter } = rowWindowAt(scrollTop, count, rowHeight, viewport)
        expect(first).toBeLessThan(end)
        expect(end - first).toBeLessThanOrEqual(Math.ceil(viewport / rowHeight) + 14)
        // The content is never taller than the capped height, and rows sit inside it.
        expect(spaceBefore + (end - first) * rowHeight + spaceAfter).toBeCloseTo(MAX_SCROLL_HEIGHT, 3)
        // The rendered rows fill the viewport wherever it is.
        const top = Math.min(scrollTop, MAX_SCROLL_HEIGHT - viewport)
        expect(spaceBefore).toBeLessThanOrEqual(top + 1e-6)
        expect(spaceBefore + (end - first) * rowHeight).toBeGreaterThanOrEqual(top + viewport - 1e-6)
      }),
    )
  })
})
