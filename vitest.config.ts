import { readdirSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from 'vitest/config'

const UNIT_TESTS = 'test/unit'

/**
 * Test files that change what their whole process sees: they replace a module (`vi.mock`,
 * `vi.doMock`), set an environment variable, or open a keychain of their own (which changes the
 * process's D-Bus address). Each runs in a fresh process; the others share their worker's process,
 * which saves importing the engine again for every file (about a quarter of the unit tests' CPU).
 */
const CHANGES_THE_PROCESS =
  /vi\.(mock|doMock)\(|vi\.stubEnv|process\.env(\.\w+|\[[^\]]+\]) *=[^=]|delete process\.env|privateKeychain\(\)/

function testFilesThatChangeTheProcess(): string[] {
  return readdirSync(UNIT_TESTS, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => join(UNIT_TESTS, name).replaceAll('\\', '/'))
    .filter((path) => CHANGES_THE_PROCESS.test(readFileSync(path, 'utf8')))
}

const ownProcess = testFilesThatChangeTheProcess()

export default defineConfig({
  test: {
    environment: 'node',
    setupFiles: ['test/unit/setup.ts'],
    globalSetup: ['test/unit/global-setup.ts'],
    // A file per core, and at least three: much of a file's time is spent waiting on a local server,
    // a child process or a timer (vitest's default, one less than the cores, runs one file at a time
    // on two). SPLITSEND_UNIT_WORKERS to try another count (see README's testing section).
    maxWorkers: Number(process.env.SPLITSEND_UNIT_WORKERS ?? Math.max(3, availableParallelism())),
    // tsx (the few child processes run from the sources) would keep a cache folder in the OS temp
    // folder; measured no slower without it.
    env: { TSX_DISABLE_CACHE: '1' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'own-process', include: ownProcess, isolate: true } },
      {
        extends: true,
        test: { name: 'shared-process', include: [`${UNIT_TESTS}/**/*.test.ts`], exclude: ownProcess, isolate: false },
      },
    ],
  },
})
