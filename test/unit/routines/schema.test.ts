import { describe, expect, it } from 'vitest'
import {
  RoutineFileError,
  RoutineSchema,
  parseRoutineText,
  routineToText,
  sameRoutineName,
  type Routine,
} from '../../../shared/routines/schema'
import { sampleRoutine } from './helpers'

const FILE = '/data/routines/monthly/routine.json'

/** The routine as JSON text after `change` edits its plain-object form (to write broken files). */
function edited(change: (data: Record<string, any>) => void, routine: Routine = sampleRoutine()): string {
  const data = JSON.parse(JSON.stringify(routine)) as Record<string, any>
  change(data)
  return JSON.stringify(data, null, 2)
}

function errorOf(text: string): RoutineFileError {
  try {
    parseRoutineText(text, FILE)
  } catch (error) {
    expect(error).toBeInstanceOf(RoutineFileError)
    return error as RoutineFileError
  }
  throw new Error('the file was accepted')
}

describe('routine file: reading and writing', () => {
  it('writes readable, pretty-printed JSON that reads back the same', () => {
    const routine = sampleRoutine()
    const text = routineToText(routine)
    expect(text).toContain('\n  "name": "Monthly app-usage mailing",\n')
    expect(text.endsWith('}\n')).toBe(true)
    expect(parseRoutineText(text, FILE)).toEqual(routine)
  })

  it('upgrades a version 1 file (before list policies): it keeps only adding to the lists', () => {
    const v1 = edited((data) => {
      data.version = 1
      delete data.lists.policy
    })
    const upgraded = parseRoutineText(v1, FILE)
    expect(upgraded.version).toBe(2)
    expect(upgraded.lists.policy).toBe('add')
    expect(upgraded.lists['0']).toEqual(sampleRoutine().lists['0'])
    expect(RoutineSchema.safeParse(upgraded).success).toBe(true)
  })

  it('checks a version 1 file against version 1: a policy in it is an unknown field, named', () => {
    const error = errorOf(edited((data) => (data.version = 1)))
    expect(error.field).toBe('lists › policy')
    expect(error.message).toBe(
      `The routine file “${FILE}” can't be used: the field “lists › policy” is not a field Splitsend knows: check its spelling.`,
    )
  })

  it('names the field of a broken version 1 file before upgrading it', () => {
    const error = errorOf(
      edited((data) => {
        data.version = 1
        delete data.lists.policy
        data.lists['1'].listId = 42
      }),
    )
    expect(error.field).toBe('lists › 1 › listId')
    expect(error.message).toContain('should be text, not 42')
  })

  it('refuses a version it does not know, naming the file and the field', () => {
    const newer = errorOf(edited((data) => (data.version = 3)))
    expect(newer.code).toBe('routine_file_invalid')
    expect(newer.field).toBe('version')
    expect(newer.message).toContain(FILE)
    expect(newer.message).toContain('saved by a newer Splitsend')
    expect(errorOf(edited((data) => (data.version = '2'))).message).toContain(
      '“version” should be a whole number, not "2"',
    )
    expect(errorOf(edited((data) => delete data.version)).message).toContain('the field “version” is missing')
    expect(errorOf(edited((data) => (data.version = 0))).field).toBe('version')
  })

  it('says where a file is not JSON', () => {
    const text = routineToText(sampleRoutine()).replace('"onConflict": "exclude",', '"onConflict": "exclude"')
    const error = errorOf(text)
    expect(error.field).toBeUndefined()
    expect(error.message).toMatch(/is not valid JSON \(near line \d+, column \d+\)/)
    expect(errorOf('[1, 2]').message).toContain('does not hold a routine')
  })

  it('names the field and says what is wrong, in words, never filling in a default', () => {
    const cases: Array<[(data: Record<string, any>) => void, string, string]> = [
      [(d) => (d.safety.maxProblemPercent = 'five'), 'safety › maxProblemPercent', 'should be a number, not "five"'],
      [(d) => (d.safety.maxProblemPercent = 250), 'safety › maxProblemPercent', 'should be at most 100, not 250'],
      [(d) => delete d.safety, 'safety', 'is missing'],
      [(d) => (d.lists.policy = 'replace'), 'lists › policy', 'should be "add" or "move" or "match", not "replace"'],
      [(d) => (d.sending['0'].sendAt = '9:30'), 'sending › 0 › sendAt', ''],
      [(d) => (d.sending['1'] = { send: 'yes' }), 'sending › 1 › send', 'should be false or true, not "yes"'],
      [(d) => (d.safety.maxProblemPercnt = 5), 'safety › maxProblemPercnt', 'is not a field Splitsend knows'],
      [(d) => (d.mapping.fields[0].target = { kind: 'email' }), 'mapping › fields › 0 › target', 'emailColumn'],
      [(d) => (d.reading.sheet = 'Data'), 'reading › sheet', 'only for a workbook'],
      [(d) => (d.name = '  '), 'name', 'should be a name, not blank'],
      [(d) => (d.name = 'two\nlines'), 'name', 'on one line'],
      [(d) => (d.account = { endpoint: 'custom', apiBase: 'ftp://x', authBase: 'https://a' }), 'account › apiBase', ''],
    ]
    for (const [change, field, words] of cases) {
      const error = errorOf(edited(change))
      expect(error.field, field).toBe(field)
      expect(error.message).toContain(words)
    }
  })

  it('holds at most 5 test addresses, each an email address', () => {
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `${x}@example.com`)
    expect(errorOf(edited((d) => (d.sending['0'].testAddresses = six))).message).toContain('at most 5 items')
    const error = errorOf(edited((d) => (d.sending['0'].testAddresses = ['office at example'])))
    expect(error.field).toBe('sending › 0 › testAddresses › 0')
    expect(error.message).toContain('should be an email address')
  })

  it('schedules monthly only on days every month has', () => {
    const ok = sampleRoutine({ schedule: { every: 'month', day: 28, at: '23:59' } })
    expect(parseRoutineText(routineToText(ok), FILE).schedule).toEqual({ every: 'month', day: 28, at: '23:59' })
    const error = errorOf(edited((d) => (d.schedule = { every: 'month', day: 31, at: '09:00' })))
    expect(error.field).toBe('schedule › day')
    expect(error.message).toContain('not every month has a 29th, 30th or 31st')
    expect(errorOf(edited((d) => (d.schedule = { every: 'week', weekday: 'monday', at: '24:00' }))).field).toBe(
      'schedule › at',
    )
  })

  it('takes the safety limits and the minimum row count in either form', () => {
    const fixed = sampleRoutine({
      safety: { maxProblemPercent: 2, maxGroupChangePercent: 30, minimumRows: { rows: 1000 } },
    })
    expect(parseRoutineText(routineToText(fixed), FILE).safety.minimumRows).toEqual({ rows: 1000 })
    expect(errorOf(edited((d) => (d.safety.minimumRows = { percent: 50 }))).field).toBe('safety › minimumRows')
  })

  it('tells names apart as a person does', () => {
    expect(sameRoutineName('Monthly mailing', ' monthly  MAILING ')).toBe(true)
    expect(sameRoutineName('Café', 'Cafe\u0301')).toBe(true)
    expect(sameRoutineName('Monthly mailing', 'Monthly mailing 2')).toBe(false)
  })
})
