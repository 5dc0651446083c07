import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { expectCancelLeavesNothing, expectSameJobFolders, mixedCsv, prepareBothWays, writeFile } from './helpers'

describe('group files written by the writer thread', () => {
  it.each(['exclude', 'first', 'last'] as const)('are byte for byte the ones written in-thread (on conflict: %s)', async (onConflict) => {
    const path = writeFile('mixed.csv', mixedCsv(30000))
    const outDirs = await prepareBothWays(path, 'writerThread', { onConflict })
    expectSameJobFolders(outDirs)
    const summary = JSON.parse(readFileSync(join(outDirs.thread, 'summary.json'), 'utf8')) as { groups: { '0': number; '1': number }; problems: Record<string, number> }
    expect(summary.problems.conflicting_flag).toBeGreaterThan(0)
    expect(summary.problems.duplicate).toBeGreaterThan(0)
  })

  it('are the same for short lines, many to one piece of decoded text (batches fill up before the text changes)', async () => {
    const lines = ['e,f']
    for (let i = 0; i < 60000; i++) lines.push(`u${i % 50000}@x.io,${(i >> 3) % 2}`)
    const path = writeFile('short.csv', `${lines.join('\n')}\n`)
    expectSameJobFolders(await prepareBothWays(path, 'writerThread'))
  })

  it('stops and leaves no files behind when the pass is cancelled', async () => {
    await expectCancelLeavesNothing({ writerThread: true })
  })
})
