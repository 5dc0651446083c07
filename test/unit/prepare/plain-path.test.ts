import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { inspectSource } from '../../../electron/services/prepare/inspect'
import { prepareJob, type PrepareHooks } from '../../../electron/services/prepare/pass'
import type { ConflictPolicy, Delimiter } from '../../../shared/prepare/schemas'
import { expectSameJobFolders, mixedCsv, tempDir, writeFile } from './helpers'

// The fast path and the helper threads (prepare/fast/) only make the pass faster: the plain pass
// (papaparse for every record, the rows sorted as cells, no helper thread) must write the same job.
describe('the plain pass, without the fast path or a helper thread', () => {
  it.each([
    ['a comma-separated file read on a read thread', ',', 'exclude', { readThread: true }],
    ['a comma-separated file read here', ',', 'last', {}],
    ['a semicolon-separated file', ';', 'first', {}],
  ] as Array<[string, Delimiter, ConflictPolicy, PrepareHooks]>)(
    'writes the job folder the fast pass writes, byte for byte: %s',
    async (_name, delimiter, onConflict, fastHooks) => {
      const path = writeFile('mixed.csv', mixedCsv(20000).replace(/,/g, delimiter))
      const inspection = await inspectSource(path, { delimiter })
      const options = { mapping: inspection.suggestion.mapping, delimiter, onConflict }
      const outDirs = { here: join(tempDir(), 'job'), thread: join(tempDir(), 'job') }
      await prepareJob(path, options, outDirs.here, { fastPath: false })
      await prepareJob(path, options, outDirs.thread, fastHooks)
      expectSameJobFolders(outDirs)
      const summary = JSON.parse(readFileSync(join(outDirs.here, 'summary.json'), 'utf8')) as {
        outputColumns: string[]
        problems: Record<string, number>
      }
      expect(summary.outputColumns.length).toBeGreaterThan(1)
      const conflict = onConflict === 'exclude' ? 'conflicting_flag' : 'overruled_flag'
      for (const reason of [conflict, 'duplicate', 'invalid_email', 'unrecognized_flag', 'malformed_row'])
        expect(summary.problems[reason], reason).toBeGreaterThan(0)
    },
  )
})
