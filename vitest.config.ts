import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['test/unit/setup.ts'],
    // A file per core, and at least two: much of a file's time is spent waiting on a local server or
    // a child process (vitest's default, one less than the cores, runs one file at a time on two).
    maxWorkers: Math.max(2, availableParallelism()),
    // tsx (worker threads run from the sources, child processes) would keep a cache folder in the OS
    // temp folder; measured no slower without it.
    env: { TSX_DISABLE_CACHE: '1' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
})
