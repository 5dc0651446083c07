import { createHash } from 'node:crypto'
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { successfulRunOf } from '../../../shared/routines/history'
import { findNextFile, hashFile, matchesPattern } from '../../../electron/services/routines/next-file'
import { sampleRun, tempDir } from './helpers'

/** Writes a file with a given modification time (minutes after a fixed moment). */
function put(folder: string, name: string, content: string, minute: number): string {
  const path = join(folder, name)
  writeFileSync(path, content)
  const time = new Date(Date.UTC(2025, 5, 1, 8, minute))
  utimesSync(path, time, time)
  return path
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex')

describe("next month's file", () => {
  it('matches a pattern a person writes: * and ? only, ignoring case, everything else literal', () => {
    expect(matchesPattern('usage-2025-06.xlsx', 'usage-*.xlsx')).toBe(true)
    expect(matchesPattern('Usage-2025-06.XLSX', 'usage-*.xlsx')).toBe(true)
    expect(matchesPattern('usage-2025-06.xlsx.bak', 'usage-*.xlsx')).toBe(false)
    expect(matchesPattern('usage-06.csv', 'usage-??.csv')).toBe(true)
    expect(matchesPattern('usage-6.csv', 'usage-??.csv')).toBe(false)
    expect(matchesPattern('Report [final].xlsx', 'Report [final].xlsx')).toBe(true)
    expect(matchesPattern('Report f.xlsx', 'Report [final].xlsx')).toBe(false)
    expect(matchesPattern('a+b (1).csv', 'a+b (*).csv')).toBe(true)
    expect(matchesPattern('axcsv', 'a.csv')).toBe(false)
    // macOS hands names over decomposed (e + combining accent); a typed pattern is composed.
    expect(matchesPattern('Cafe\u0301-06.csv', 'café-*.csv')).toBe(true)
  })

  it('takes the newest matching file, passing over Excel lock files, folders and other names', async () => {
    const folder = tempDir()
    put(folder, 'usage-2025-04.xlsx', 'april', 1)
    const may = put(folder, 'usage-2025-05.xlsx', 'may', 2)
    put(folder, '~$usage-2025-06.xlsx', 'lock', 9)
    put(folder, 'summary.xlsx', 'other', 9)
    mkdirSync(join(folder, 'usage-archive.xlsx'))
    const next = await findNextFile({ folder, pattern: 'usage-*.xlsx' }, [])
    expect(next).toEqual({
      kind: 'found',
      path: may,
      fileName: 'usage-2025-05.xlsx',
      modifiedAt: '2025-06-01T08:02:00.000Z',
      sizeBytes: 3,
      sha256: sha('may'),
      alreadyRun: [],
    })
  })

  it('passes over files whose content already ran successfully, under any name', async () => {
    const folder = tempDir()
    put(folder, 'usage-2025-05.csv', 'may', 1)
    put(folder, 'usage-2025-06.csv', 'june', 2)
    put(folder, 'usage-2025-06 (copy).csv', 'may', 3)
    const runs = [
      sampleRun({
        startedAt: '2025-06-02T08:00:00.000Z',
        source: { fileName: 'usage-2025-05.csv', path: 'x', sha256: sha('may') },
      }),
      // A failed or stopped run of June's file doesn't count as run.
      sampleRun({
        outcome: { kind: 'failed', message: 'offline' },
        source: { fileName: 'usage-2025-06.csv', path: 'y', sha256: sha('june') },
      }),
    ]
    const next = await findNextFile({ folder, pattern: 'usage-*.csv' }, runs)
    expect(next).toMatchObject({
      kind: 'found',
      fileName: 'usage-2025-06.csv',
      alreadyRun: [{ fileName: 'usage-2025-06 (copy).csv', runStartedAt: '2025-06-02T08:00:00.000Z' }],
    })
  })

  it('says plainly when there is no file to run', async () => {
    const folder = tempDir()
    expect(await findNextFile({ folder: join(folder, 'gone'), pattern: '*.csv' }, [])).toMatchObject({
      kind: 'none',
      reason: 'folder_missing',
      message: expect.stringContaining(`The folder “${join(folder, 'gone')}” can't be found.`),
    })
    put(folder, 'notes.txt', 'x', 1)
    expect(await findNextFile({ folder, pattern: 'usage-*.csv' }, [])).toMatchObject({
      kind: 'none',
      reason: 'no_match',
      message: `No file in “${folder}” matches “usage-*.csv”. Put this month's file there, or change the routine's file pattern.`,
    })
    put(folder, 'usage-1.csv', 'one', 1)
    const runs = [
      sampleRun({
        startedAt: '2025-06-02T08:00:00.000Z',
        source: { fileName: 'usage-1.csv', path: 'x', sha256: sha('one') },
      }),
    ]
    expect(await findNextFile({ folder, pattern: 'usage-*.csv' }, runs)).toMatchObject({
      kind: 'none',
      reason: 'all_run',
      message: expect.stringContaining('the newest, “usage-1.csv”, ran on 2025-06-02'),
    })
  })

  it('knows whether this exact content was already run successfully', async () => {
    const path = put(tempDir(), 'f.csv', 'content', 1)
    const hash = await hashFile(path)
    expect(hash).toBe(sha('content'))
    const done = sampleRun({ source: { fileName: 'f.csv', path, sha256: hash } })
    const withProblems = sampleRun({ ...done, outcome: { kind: 'done_with_contacts_not_added', contactsNotAdded: 3 } })
    const stopped = sampleRun({ ...done, outcome: { kind: 'stopped_by_safety_check', reasons: ['x'] } })
    expect(successfulRunOf([done], hash)).toBe(done)
    expect(successfulRunOf([withProblems], hash)).toBe(withProblems)
    expect(successfulRunOf([stopped], hash)).toBeUndefined()
    expect(successfulRunOf([done], sha('other'))).toBeUndefined()
  })
})
