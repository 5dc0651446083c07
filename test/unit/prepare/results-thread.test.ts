/**
 * The Review step's pages of rows: opening a job reads its indexes (a number set per row) and a
 * search reads the whole file, so `prepare.page` is served by the results worker, never on the
 * thread that serves the person; a pass over the same file, or removing the job, lets go of it first.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { FileRegistry } from '../../../electron/services/files/file-registry'
import { createPrepareHandlers } from '../../../electron/services/prepare/handlers'
import type { PrepareOptions } from '../../../shared/prepare/schemas'
import { closeAfterEach } from '../constant-contact/helpers'
import { tempDir, writeFile } from './helpers'

// Counts the jobs opened for paging on this thread; the worker has its own copy of the module.
vi.mock('../../../electron/services/prepare/results', async (original) => {
  const actual = await original<typeof import('../../../electron/services/prepare/results')>()
  return { ...actual, openPreparedResults: vi.fn(actual.openPreparedResults) }
})
const { openPreparedResults } = await import('../../../electron/services/prepare/results')

const OPTIONS: PrepareOptions = {
  mapping: { emailColumn: 0, flagColumn: 1, fields: [{ column: 2, target: { kind: 'field', field: 'first_name' } }] },
}
const rows = (n: number, name: (i: number) => string): string =>
  Array.from({ length: n }, (_, i) => `p${i}@example.com,${i % 2},${name(i)}`).join('\n')

const closeLater = closeAfterEach()
beforeEach(() => vi.clearAllMocks())

describe('the pages of a prepared job', () => {
  it('are read and searched in the results worker, and a new pass of the file is what the next page shows', async () => {
    const jobsDir = tempDir('jobs')
    mkdirSync(jobsDir, { recursive: true })
    const files = new FileRegistry()
    const prepare = createPrepareHandlers({ files, jobsDir, emit: () => {} })
    closeLater(() => prepare.dispose())
    const source = writeFile(
      'contacts.csv',
      `Email,Flag,First name\n${rows(400, (i) => (i % 50 === 0 ? 'Zelda' : 'Ann'))}\n`,
    )
    const file = await files.attachPath(source)
    const { jobId } = await prepare.handlers['prepare.run']({
      fileId: file.fileId,
      runId: 'run-0000001',
      options: OPTIONS,
    })

    const page = await prepare.handlers['prepare.page']({ jobId, query: { kind: 'group0', offset: 0, limit: 10 } })
    expect(page.total).toBe(200)
    expect(page.rows[0]).toMatchObject({ row: 2, cells: ['p0@example.com', 'Zelda'] })
    const found = await prepare.handlers['prepare.page']({
      jobId,
      query: { kind: 'group0', offset: 0, limit: 100, search: 'zelda' },
    })
    expect(found.rows.map((r) => r.cells[0])).toEqual(
      [0, 50, 100, 150, 200, 250, 300, 350].map((i) => `p${i}@example.com`),
    )

    // The same file changed and prepared again into the same job: the worker lets go of the old files.
    writeFileSync(source, `Email,Flag,First name\n${rows(60, () => 'Bea')}\n`)
    const again = await prepare.handlers['prepare.run']({ fileId: file.fileId, runId: 'run-0000002', options: OPTIONS })
    expect(again.jobId).toBe(jobId)
    const after = await prepare.handlers['prepare.page']({ jobId, query: { kind: 'group0', offset: 0, limit: 10 } })
    expect(after.total).toBe(30)
    expect(after.rows[0]!.cells).toEqual(['p0@example.com', 'Bea'])

    expect(openPreparedResults).not.toHaveBeenCalled()
  })
})
