/**
 * A group file's record count is read from its index's size, not its contents: the membership
 * step checks it on the thread that serves the person, and a 1,000,000-row job's index is 16 MB.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { groupFileNames, groupRecordCount, openGroupFile } from '../../../electron/services/upload/group-file'
import { preparedJob } from './helpers'

vi.mock('node:fs', async (original) => {
  const actual = await original<typeof import('node:fs')>()
  return { ...actual, readFileSync: vi.fn(actual.readFileSync) }
})
const { readFileSync } = await import('node:fs')

describe('a group file’s record count', () => {
  it('is the number of records the file holds, read without reading the index', async () => {
    const job = await preparedJob({ group0: 37, group1: 5, problems: 2, tag: 'count' })
    for (const group of ['0', '1'] as const) {
      const file = openGroupFile(job.dir, group)
      const count = file.count
      file.close()
      vi.mocked(readFileSync).mockClear()
      expect(groupRecordCount(job.dir, group)).toBe(count)
      expect(count).toBe(job.emails[group].length)
      expect(readFileSync).not.toHaveBeenCalled()
    }
  })

  it('says the job is incomplete when a group file is missing', async () => {
    const job = await preparedJob({ group0: 3, group1: 3, tag: 'missing' })
    rmSync(join(job.dir, groupFileNames('1').csv))
    expect(() => groupRecordCount(job.dir, '1')).toThrow(expect.objectContaining({ code: 'job_incomplete' }))
    expect(groupRecordCount(job.dir, '0')).toBe(3)
  })
})
