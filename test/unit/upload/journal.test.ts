import { appendFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { JOURNAL_FILE, openUploadJournal, readJournal } from '../../../electron/services/upload/journal'
import { replayJournal } from '../../../electron/services/upload/journal-state'
import { writeUploadJournal } from '../report/fixtures'
import { tempDir } from '../temp'

const summary = {
  groups: { '0': 3, '1': 2 },
  groupNames: { '0': 'Flag: no', '1': 'Flag: yes' },
  source: { fileName: 'contacts.csv' },
}

/** A finished upload's journal whose activity 0-1 has its `finished` entry replaced by `finished`. */
function journalWith(finished: Record<string, unknown>): string {
  const jobDir = tempDir('upload-journal')
  writeUploadJournal(jobDir, summary)
  const path = join(jobDir, JOURNAL_FILE)
  const lines = readFileSync(path, 'utf8').trim().split('\n')
  const at = lines.findIndex((l) => l.includes('"finished"') && l.includes('"activity":"0-1"'))
  const entry = { ...(JSON.parse(lines[at]!) as Record<string, unknown>), ...finished }
  lines[at] = JSON.stringify(entry)
  writeFileSync(path, `${lines.join('\n')}\n`)
  return jobDir
}

describe('the upload journal read back through its schema', () => {
  it('reads an older journal as written: not-added offsets as a list, no error lines kept, a later step’s entry kept', () => {
    const jobDir = journalWith({ errors: undefined, moreErrors: undefined })
    appendFileSync(
      join(jobDir, JOURNAL_FILE),
      `${JSON.stringify({ type: 'members_checked', at: new Date().toISOString(), activity: '0-1', attempt: 1, notOnList: [0, 2] })}\n` +
        `${JSON.stringify({ type: 'a_later_step', at: new Date().toISOString(), anything: 1 })}\n`,
    )
    const state = replayJournal(readJournal(jobDir)!)
    const a = state.activities.get('0-1')!
    expect(a.phase).toBe('finished')
    expect(a.last).toMatchObject({ errors: [], moreErrors: 0 })
    expect([0, 1, 2].map((i) => a.membersChecked!.notOnList.has(i))).toEqual([true, false, true])
    expect(state.other.map((e) => e.type)).toEqual(['a_later_step'])
  })

  it('skips a complete entry with a wrong field instead of trusting it: the activity is asked about again', () => {
    const jobDir = journalWith({ counts: 'all of them' })
    const a = replayJournal(readJournal(jobDir)!).activities.get('0-1')!
    // Without its `finished` entry the activity was submitted and not known to have ended: the run follows it again.
    expect(a.phase).toBe('submitted')
    expect(a.last).toBeUndefined()
  })

  it('stops on a damaged plan or a line whose type can’t be read: the later entries would be dropped', () => {
    const jobDir = journalWith({})
    const path = join(jobDir, JOURNAL_FILE)
    const whole = readFileSync(path, 'utf8')
    const lines = whole.trim().split('\n')
    const plan = lines.findIndex((l) => l.includes('"type":"plan"'))
    lines[plan] = lines[plan]!.replace('"contacts":3', '"contacts":"three"')
    writeFileSync(path, `${lines.join('\n')}\n`)
    expect(() => readJournal(jobDir)).toThrow(
      expect.objectContaining({ code: 'job_damaged', message: expect.stringContaining('(a “plan” entry)') }),
    )
    writeFileSync(path, whole.replace('"type":"finished"', '"type":"finished",,'))
    expect(() => readJournal(jobDir)).toThrow(
      expect.objectContaining({ code: 'job_damaged', message: expect.stringContaining('not complete JSON') }),
    )
  })

  it('leaves out a last line a crash cut short, and cuts it off the file when opened for writing', async () => {
    const jobDir = journalWith({})
    const path = join(jobDir, JOURNAL_FILE)
    const whole = readFileSync(path, 'utf8')
    appendFileSync(path, '{"type":"completed","at":"2026-')
    expect(readJournal(jobDir)).toHaveLength(whole.trim().split('\n').length)
    const journal = await openUploadJournal(jobDir)
    journal.close()
    expect(readFileSync(path, 'utf8')).toBe(whole)
  })
})
