import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  appendEntry,
  attemptOutcome,
  attemptsByGroup,
  readJournal,
  SEND_JOURNAL_FILE,
} from '../../../electron/services/send/journal'
import { tempDir } from '../temp'

/** An intent as the first versions wrote it: no contact count, no copy. */
const intent = {
  type: 'intent',
  attempt: 'a-1',
  group: '0',
  campaignId: 'c-1',
  campaignName: 'May news',
  activityId: 'act-1',
  listId: 'list-0',
  listName: 'Flag: no',
  when: 'now',
  before: { status: 'DRAFT', sendIds: [] },
  replaced: [{ kind: 'list', id: 'old' }],
  at: '2026-12-01T10:00:00.000Z',
}
const accepted = {
  type: 'accepted',
  attempt: 'a-1',
  confirmation: { scheduleAnswer: [], source: 'answer' },
  at: '2026-12-01T10:00:01.000Z',
}

function journal(...entries: object[]): string {
  const jobDir = tempDir('send-journal')
  writeFileSync(join(jobDir, SEND_JOURNAL_FILE), entries.map((e) => `${JSON.stringify(e)}\n`).join(''))
  return jobDir
}

describe('the send journal read back through its schema', () => {
  it('reads an older journal as written, and leaves out the entries of a later version', () => {
    const jobDir = journal(intent, { type: 'a_later_kind', attempt: 'a-1', at: intent.at }, accepted)
    const [attempt] = attemptsByGroup(readJournal(jobDir))['0']
    expect(attempt!.intent).toEqual(intent)
    expect(attemptOutcome(attempt!)).toBe('accepted')
  })

  it('stops on an entry with a wrong field, naming it, rather than read the attempt without it', () => {
    const jobDir = journal({ ...intent, group: '2' }, accepted)
    expect(() => readJournal(jobDir)).toThrow(
      expect.objectContaining({
        code: 'job_damaged',
        message: expect.stringContaining('line 1 (a “intent” entry): the field “group” should be'),
        hint: expect.stringContaining('Nothing more is sent for this job'),
      }),
    )
  })

  it('skips a line a crash cut short, also once the next entry is written after it', () => {
    const jobDir = journal(intent)
    appendFileSync(join(jobDir, SEND_JOURNAL_FILE), '{"type":"accepted","attempt":"a-1","confi')
    expect(attemptOutcome(attemptsByGroup(readJournal(jobDir))['0'][0]!)).toBe('unknown')
    appendEntry(jobDir, { type: 'refused', attempt: 'a-1', code: 'x', message: 'No.' })
    expect(readFileSync(join(jobDir, SEND_JOURNAL_FILE), 'utf8').trim().split('\n')).toHaveLength(3)
    expect(attemptOutcome(attemptsByGroup(readJournal(jobDir))['0'][0]!)).toBe('not_sent')
  })

  it('writes nothing that couldn’t be read back: a field the schema doesn’t know is an error, not dropped', () => {
    const jobDir = journal(intent)
    const before = readFileSync(join(jobDir, SEND_JOURNAL_FILE), 'utf8')
    const refused = { type: 'refused', attempt: 'a-1', code: 'x', message: 'No.' } as const
    expect(() => appendEntry(jobDir, { ...refused, reason: 'kept?' } as typeof refused)).toThrow(/reason/)
    expect(() => appendEntry(jobDir, { ...refused, code: 7 } as unknown as typeof refused)).toThrow(/code/)
    expect(readFileSync(join(jobDir, SEND_JOURNAL_FILE), 'utf8')).toBe(before)
  })
})
