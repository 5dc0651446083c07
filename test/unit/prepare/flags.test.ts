import { describe, expect, it } from 'vitest'
import { FlagAssignmentConflict, FlagRules } from '../../../shared/prepare/flags'

describe('FlagRules', () => {
  const rules = new FlagRules()

  it.each(['0', '0.0', 'false', 'FALSE', 'no', 'No', 'n', ' N '])('%j means group 0', (value) =>
    expect(rules.decide(value)).toBe('0'),
  )
  it.each(['1', '1.0', 'true', 'TRUE', 'yes', 'YES', 'y', '\u00a0Y\u00a0'])('%j means group 1', (value) =>
    expect(rules.decide(value)).toBe('1'),
  )
  it.each(['', '   ', '\u200b'])('%j is missing', (value) => expect(rules.decide(value)).toBe('missing'))

  it('never treats an unknown value as 0', () => {
    for (const value of ['2', 'maybe', '00', '1.00', 'oui', 'nein', '-', 'x'])
      expect(rules.decide(value)).toBe('unassigned')
  })

  it("applies the person's assignments, case-insensitively, on top of the standard values", () => {
    const custom = new FlagRules({ group0Values: ['Nein'], group1Values: ['Ja', 'oui'], leaveOutValues: ['n/a', 'no'] })
    expect(custom.decide('nein')).toBe('0')
    expect(custom.decide(' JA ')).toBe('1')
    expect(custom.decide('OUI')).toBe('1')
    expect(custom.decide('N/A')).toBe('leave_out')
    expect(custom.decide('no')).toBe('leave_out') // a standard value can be moved too
    expect(custom.decide('1')).toBe('1')
    expect(custom.decide('vielleicht')).toBe('unassigned')
  })

  it('refuses a value given to two groups', () => {
    expect(() => new FlagRules({ group0Values: ['maybe'], group1Values: ['Maybe'] })).toThrow(FlagAssignmentConflict)
  })
})
