import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { inspectSource } from '../../../electron/services/prepare/inspect'
import { prepareJob, type PrepareHooks } from '../../../electron/services/prepare/pass'
import { openPreparedResults } from '../../../electron/services/prepare/results'
import { MAX_RECORD_CHARS } from '../../../electron/services/spreadsheet/csv-parse'
import { MAX_SHOWN_CELL_CHARS, ResultsPageSchema, type ResultKind } from '../../../shared/prepare/schemas'
import { tempDir, writeFile } from './helpers'

/** Every row of a prepared job with where it went, in row order. */
function placedRows(jobDir: string): Array<{ row: number; kind: ResultKind; reason?: string }> {
  const results = openPreparedResults(jobDir)
  try {
    const rows: Array<{ row: number; kind: ResultKind; reason?: string }> = []
    for (const kind of ['group0', 'group1', 'problems'] as const) {
      const page = ResultsPageSchema.parse(results.page({ kind, offset: 0, limit: 1000 }))
      for (const r of page.rows) rows.push({ row: r.row, kind, ...(r.reason ? { reason: r.reason } : {}) })
    }
    return rows.sort((a, b) => a.row - b.row)
  } finally {
    results.close()
  }
}

const ways: Array<[string, PrepareHooks]> = [
  ['the plain pass', { fastPath: false }],
  ['the fast path', {}],
  ['the read thread', { readThread: true }],
]

describe('a record longer than the cap on one record', () => {
  it.each(ways)(
    'a single 10 MB line is one malformed row, and the rows after it keep their numbers (%s)',
    async (_way, hooks) => {
      const long = `huge@example.com,${'x'.repeat(10 * 1024 * 1024)},1`
      const path = writeFile(
        'long.csv',
        ['Email,Notes,Flag', 'ann@example.com,,1', long, 'bob@example.com,,0', 'cy@example.com,,1', ''].join('\r\n'),
      )
      const inspection = await inspectSource(path)
      const outDir = join(tempDir(), 'job')
      const summary = await prepareJob(path, { mapping: inspection.suggestion.mapping }, outDir, hooks)
      expect(summary.rows).toBe(4)
      expect(placedRows(outDir)).toEqual([
        { row: 2, kind: 'group1' },
        { row: 3, kind: 'problems', reason: 'malformed_row' },
        { row: 4, kind: 'group0' },
        { row: 5, kind: 'group1' },
      ])
      const results = openPreparedResults(outDir)
      const problem = results.page({ kind: 'problems', offset: 0, limit: 1 }).rows[0]!
      results.close()
      expect(problem.explanation).toContain(`longer than ${MAX_RECORD_CHARS.toLocaleString('en-US')} characters`)
      // The review table shows the start of the line; the job's problems.csv keeps what was read of it.
      expect(problem.cells[0]!.length).toBe(MAX_SHOWN_CELL_CHARS)
      expect(problem.cells[0]!.startsWith('huge@example.com,xxx')).toBe(true)
    },
  )

  it('a line of 10 MB at the end of a file without a final line break is one row too', async () => {
    const path = writeFile('tail.csv', `Email,Flag\r\nann@example.com,1\r\n${'y'.repeat(10 * 1024 * 1024)}`)
    const inspection = await inspectSource(path)
    const outDir = join(tempDir(), 'job')
    const summary = await prepareJob(path, { mapping: inspection.suggestion.mapping }, outDir)
    expect(summary.rows).toBe(2)
    expect(placedRows(outDir)).toEqual([
      { row: 2, kind: 'group1' },
      { row: 3, kind: 'problems', reason: 'malformed_row' },
    ])
  })
})
