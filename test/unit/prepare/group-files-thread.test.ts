import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openGroupFiles } from '../../../electron/services/prepare/fast'
import {
  expectCancelLeavesNothing,
  expectSameJobFolders,
  mixedCsv,
  prepareBothWays,
  tempDir,
  writeFile,
} from './helpers'

describe('group files written by the writer thread', () => {
  it.each(['exclude', 'first', 'last'] as const)(
    'are byte for byte the ones written in-thread (on conflict: %s)',
    async (onConflict) => {
      const path = writeFile('mixed.csv', mixedCsv(30000))
      const outDirs = await prepareBothWays(path, 'writerThread', { onConflict })
      expectSameJobFolders(outDirs)
      const summary = JSON.parse(readFileSync(join(outDirs.thread, 'summary.json'), 'utf8')) as {
        groups: { '0': number; '1': number }
        problems: Record<string, number>
      }
      expect(summary.problems[onConflict === 'exclude' ? 'conflicting_flag' : 'overruled_flag']).toBeGreaterThan(0)
      expect(summary.problems.duplicate).toBeGreaterThan(0)
    },
  )

  it('are the same for many short lines (batches fill up by their number of lines)', async () => {
    const lines = ['e,f']
    for (let i = 0; i < 60000; i++) lines.push(`u${i % 50000}@x.io,${(i >> 3) % 2}`)
    const path = writeFile('short.csv', `${lines.join('\n')}\n`)
    expectSameJobFolders(await prepareBothWays(path, 'writerThread'))
  })

  it('stops and leaves no files behind when the pass is cancelled', async () => {
    await expectCancelLeavesNothing({ writerThread: true })
  })
})

describe('conflict rows taken out of group files', () => {
  it('leave the same bytes whether taken out here, by a thread started for it, or by the writer thread', async () => {
    const written: Record<string, Record<string, Buffer>> = {}
    for (const where of ['here', 'here, drop on a thread', 'writer thread'] as const) {
      const dir = tempDir()
      const path = (name: string): string => join(dir, name)
      const files = openGroupFiles(
        { '0': { csv: path('g0.csv'), index: path('g0.idx') }, '1': { csv: path('g1.csv'), index: path('g1.idx') } },
        'email,name\r\n',
        where,
      )
      for (let row = 2; row < 20000; row++)
        files.addLine(row % 3 === 0 ? '1' : '0', `user${row}@example.com,Zoë ${'x'.repeat(row % 40)}`, row)
      // Record numbers per file, in increasing order: the first, a run, scattered ones, the last.
      const drop = { '0': [0, 5, 6, 7, 100, 4000, files.counts['0'] - 1], '1': [3, 999, 1000, files.counts['1'] - 1] }
      await files.close(drop)
      written[where] = Object.fromEntries(
        ['g0.csv', 'g0.idx', 'g1.csv', 'g1.idx'].map((name) => [name, readFileSync(path(name))]),
      )
    }
    for (const name of Object.keys(written.here!)) {
      expect(written['here, drop on a thread']![name]!.equals(written.here![name]!), name).toBe(true)
      expect(written['writer thread']![name]!.equals(written.here![name]!), name).toBe(true)
    }
    expect(written.here!['g0.csv']!.toString()).not.toContain('user2@example.com,') // record 0 of group 0 is row 2
    expect(written.here!['g0.csv']!.toString()).toContain('user4@example.com,')
  })
})
