import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { inspectSource } from '../../../electron/services/prepare/inspect'
import { prepareJob } from '../../../electron/services/prepare/pass'
import type { PrepareOptions } from '../../../shared/prepare/types'
import { mixedCsv, tempDir, writeFile } from './helpers'

async function prepareBothWays(path: string, options: Partial<PrepareOptions>): Promise<Record<'here' | 'thread', string>> {
  const inspection = await inspectSource(path, options)
  const outDirs = { here: join(tempDir(), 'job'), thread: join(tempDir(), 'job') }
  for (const way of ['here', 'thread'] as const) {
    await prepareJob(path, { mapping: inspection.suggestion.mapping, ...options }, outDirs[way], { writerThread: way === 'thread' })
  }
  return outDirs
}

describe('group files written by the writer thread', () => {
  it.each(['exclude', 'first', 'last'] as const)('are byte for byte the ones written in-thread (on conflict: %s)', async (onConflict) => {
    const path = writeFile('mixed.csv', mixedCsv(30000))
    const outDirs = await prepareBothWays(path, { onConflict })
    const files = readdirSync(outDirs.here).sort()
    expect(readdirSync(outDirs.thread).sort()).toEqual(files)
    for (const name of files) {
      if (name.endsWith('.json')) continue // timestamps and durations differ
      expect(readFileSync(join(outDirs.thread, name)).equals(readFileSync(join(outDirs.here, name))), name).toBe(true)
    }
    const summary = JSON.parse(readFileSync(join(outDirs.thread, 'summary.json'), 'utf8')) as { groups: { '0': number; '1': number }; problems: Record<string, number> }
    expect(summary.problems.conflicting_flag).toBeGreaterThan(0)
    expect(summary.problems.duplicate).toBeGreaterThan(0)
  })

  it('are the same for short lines, many to one piece of decoded text (batches fill up before the text changes)', async () => {
    const lines = ['e,f']
    for (let i = 0; i < 60000; i++) lines.push(`u${i % 50000}@x.io,${(i >> 3) % 2}`)
    const path = writeFile('short.csv', `${lines.join('\n')}\n`)
    const outDirs = await prepareBothWays(path, {})
    for (const name of ['group-0.csv', 'group-0.idx', 'group-1.csv', 'group-1.idx', 'problems.csv', 'problems.idx']) {
      expect(readFileSync(join(outDirs.thread, name)).equals(readFileSync(join(outDirs.here, name))), name).toBe(true)
    }
  })

  it('stops and leaves no files behind when the pass is cancelled', async () => {
    const path = writeFile('mixed.csv', mixedCsv(200000))
    const inspection = await inspectSource(path)
    const outDir = join(tempDir(), 'job')
    const controller = new AbortController()
    const run = prepareJob(path, { mapping: inspection.suggestion.mapping }, outDir, { writerThread: true, signal: controller.signal, onProgress: () => controller.abort() })
    await expect(run).rejects.toThrow()
    expect(existsSync(join(outDir, 'job.json'))).toBe(false)
    expect(readdirSync(outDir)).toEqual([])
  })
})
