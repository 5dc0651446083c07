import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { inspectSource, openPreparedResults, runPrepare } from '../../../electron/services/prepare/index'
import type { PrepareProgress } from '../../../shared/prepare/schemas'
import { prepareFile, tempDir, writeFile } from './helpers'

function contactsCsv(rows: number): string {
  const lines = ['Email,Name,Flag']
  for (let i = 0; i < rows; i++) {
    if (i % 10 === 3) lines.push(`broken-${i},Name ${i},1`)
    else if (i % 10 === 7) lines.push(`dup@example.com,Dup ${i},1`)
    else lines.push(`user${i}@example.com,"Name, ${i}",${i % 2}`)
  }
  return `${lines.join('\n')}\n`
}

describe('openPreparedResults', () => {
  it('returns pages of each group and of the problems, filtered by reason and by text', async () => {
    const files = await prepareFile(writeFile('c.csv', contactsCsv(5000)))
    const results = openPreparedResults(files.outDir)
    try {
      const group0 = results.page({ kind: 'group0', offset: 0, limit: 3 })
      expect(group0.total).toBe(files.summary.groups['0'])
      expect(group0.columns).toEqual(['email', 'first_name'])
      expect(group0.rows.map((r) => r.row)).toEqual([2, 4, 6])
      expect(group0.rows[1]).toEqual({ row: 4, cells: ['user2@example.com', 'Name, 2'] })

      const lastPage = results.page({ kind: 'group1', offset: files.summary.groups['1'] - 2, limit: 10 })
      expect(lastPage.rows).toHaveLength(2)

      const invalid = results.page({ kind: 'problems', reason: 'invalid_email', offset: 10, limit: 5 })
      expect(invalid.total).toBe(500)
      expect(invalid.rows.every((r) => r.reason === 'invalid_email')).toBe(true)
      expect(invalid.rows[0]).toMatchObject({ row: 105, cells: ['broken-103', 'Name 103', '1'] })

      const duplicates = results.page({ kind: 'problems', reason: 'duplicate', offset: 0, limit: 1000 })
      expect(duplicates.total).toBe(499)

      const search = results.page({ kind: 'group1', offset: 0, limit: 100, search: 'NAME, 4999' })
      expect(search.total).toBe(1)
      expect(search.rows[0]!.cells[0]).toBe('user4999@example.com')
      expect(
        results.page({ kind: 'problems', reason: 'duplicate', offset: 0, limit: 10, search: 'dup 4997' }).total,
      ).toBe(1)
    } finally {
      results.close()
    }
  })

  it('says plainly when a folder holds no prepared job', () => {
    expect(() => openPreparedResults(tempDir())).toThrow(expect.objectContaining({ code: 'job_not_found' }))
  })
})

describe('runPrepare (worker thread)', () => {
  it('runs the pass off the main thread and reports progress', async () => {
    const path = writeFile('c.csv', contactsCsv(20000))
    const inspection = await inspectSource(path)
    const progress: PrepareProgress[] = []
    const outDir = join(tempDir(), 'job')
    const summary = await runPrepare(
      path,
      { mapping: inspection.suggestion.mapping },
      { outDir, onProgress: (p) => progress.push(p) },
    )
    expect(summary.rows).toBe(20000)
    expect(summary.problems.invalid_email).toBe(2000)
    expect(progress.at(-1)).toMatchObject({ fraction: 1 })
    expect(readdirSync(outDir).sort()).toEqual([
      'group-0.csv',
      'group-0.idx',
      'group-1.csv',
      'group-1.idx',
      'job.json',
      'problems.csv',
      'problems.idx',
      'summary.json',
    ])
  })

  it('passes plain-language errors through', async () => {
    const path = writeFile('c.csv', contactsCsv(10))
    await expect(
      runPrepare(path, { mapping: { emailColumn: 0, flagColumn: 0, fields: [] } }, { outDir: tempDir() }),
    ).rejects.toMatchObject({ name: 'UserFacingError', code: 'invalid_mapping' })
  })

  it('can be cancelled, leaving no partial files behind', async () => {
    const path = writeFile('c.csv', contactsCsv(300000))
    const inspection = await inspectSource(path)
    const outDir = join(tempDir(), 'job')
    const controller = new AbortController()
    const run = runPrepare(
      path,
      { mapping: inspection.suggestion.mapping },
      { outDir, signal: controller.signal, onProgress: () => controller.abort() },
    )
    await expect(run).rejects.toMatchObject({ name: 'AbortError' })
    expect(existsSync(outDir) ? readdirSync(outDir) : []).toEqual([])
  })
})
