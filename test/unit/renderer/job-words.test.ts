import { describe, expect, it } from 'vitest'
import type { Job } from '../../../renderer/src/features/jobs/types'
import { continueWords, sendWords, standingOf } from '../../../renderer/src/features/jobs/words'

const uploaded: Job = {
  jobId: '2026-05-01-contacts-abc123',
  sourceFile: 'contacts.csv',
  preparedAt: '2026-05-01T10:00:00.000Z',
  lastChangedAt: '2026-05-01T11:00:00.000Z',
  rows: 5,
  leftOut: 0,
  groups: [
    { group: '0', name: 'Non-users', contacts: 3, list: 'May non-users', send: 'not_sent' },
    { group: '1', name: 'Users', contacts: 2, list: 'May users', send: 'not_sent' },
  ],
  upload: { state: 'finished', activitiesTotal: 2, activitiesFinished: 2, added: 5, notAdded: 0, notSent: 0 },
  next: 'send',
  hasReport: true,
  busy: false,
}

describe('the Jobs view’s words', () => {
  it('a job whose record of sends is damaged says so and what to do, never “not sent”, and offers nothing to continue', () => {
    const damaged: Job = {
      ...uploaded,
      next: 'report',
      groups: uploaded.groups.map((g) => ({ ...g, send: 'unclear' as const })),
      damaged: {
        code: 'job_damaged',
        message: 'The record of sends is damaged at line 1.',
        hint: 'Check the campaigns.',
      },
    }
    expect(standingOf(damaged)).toEqual({
      label: 'Record damaged',
      color: 'red',
      sentence: 'The record of sends is damaged at line 1. Check the campaigns.',
    })
    expect(sendWords(damaged.groups[0]!)).toBe('Unknown: the record of sends can’t be read')
    expect(continueWords(damaged)).toBeNull()
    expect(sendWords(uploaded.groups[0]!)).toBe('Not sent')
  })
})
