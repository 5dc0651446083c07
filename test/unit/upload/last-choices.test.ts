import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createLastChoicesStore } from '../../../electron/services/last-choices'
import { readPreparedSummary } from '../../../electron/services/upload/prepared-job'
import { preparedJob, tempDir } from './helpers'

describe('the last run’s choices', () => {
  it('are kept per set of columns in the data folder, and found again for a file with the same columns', async () => {
    const job = await preparedJob({ group0: 2, group1: 2, tag: 'last' })
    const summary = { ...readPreparedSummary(job.dir), groupNames: { '0': 'Not yet', '1': 'Using it' } }
    const file = join(tempDir('data'), 'last-choices.json')
    const store = createLastChoicesStore(file)
    const columns = summary.columns.map((c) => c.name)
    expect(store.find(columns)).toBeNull()

    store.remember(summary, { '0': { kind: 'list', name: 'Members' }, '1': { kind: 'skip' } })
    store.remember(summary, { '0': { kind: 'list', name: 'Members', listId: 'l-1' }, '1': { kind: 'skip' } })
    const found = createLastChoicesStore(file).find(columns.map((c) => ` ${c.toUpperCase()} `))
    expect(found).toMatchObject({
      fileName: 'contacts.csv',
      groupNames: { '0': 'Not yet', '1': 'Using it' },
      mapping: summary.mapping,
      onConflict: 'exclude',
      blankFlag: 'problem',
      lists: { '0': { kind: 'list', name: 'Members', listId: 'l-1' }, '1': { kind: 'skip' } },
    })
    // Other columns, or one column more, are another file.
    expect(store.find([...columns, 'Extra'])).toBeNull()
    expect(store.find(columns.slice(1))).toBeNull()
  })

  it('are simply not offered when their file can’t be read', () => {
    const file = join(tempDir('data'), 'last-choices.json')
    writeFileSync(file, '{ not json')
    expect(createLastChoicesStore(file).find(['Email', 'Flag'])).toBeNull()
  })
})
