// Runs once before all unit test files (vitest.config.ts `globalSetup`).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BUILT_WORKERS_VARIABLE } from '../../electron/services/worker-entry'
import type { TestProject } from 'vitest/node'
import { bundleWorkers } from './bundle'

/**
 * The worker threads' entries, built once from the sources as they are now: the engine runs from
 * its sources in the tests and starts about 200 worker threads, each of which would otherwise
 * compile its entry and everything it imports again through tsx (half a second of CPU each).
 */
export default async function buildWorkersOnce(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'splitsend-test-workers-'))
  await bundleWorkers(dir)
  process.env[BUILT_WORKERS_VARIABLE] = dir
  // In watch mode, built again before each rerun: a worker changed since would otherwise be tested as it was.
  project.onTestsRerun(() => bundleWorkers(dir))
  return () => rmSync(dir, { recursive: true, force: true })
}
