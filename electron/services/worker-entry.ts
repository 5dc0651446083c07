import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker, type WorkerOptions } from 'node:worker_threads'

/** Names a folder of worker entries built from the current sources, for a run from the sources. */
export const BUILT_WORKERS_VARIABLE = 'SPLITSEND_BUILT_WORKERS'

/**
 * Starts a worker thread by entry name, from the build (`out/main/<name>.js`, where
 * electron.vite.config.ts puts every worker entry) or, when running from TypeScript sources
 * (unit tests, tsx), from `electron/services/**\/<name>.ts` through tsx.
 *
 * `sourcePath` is the worker's source file relative to the repository root.
 */
export function startWorker(name: string, sourcePath: string, options: WorkerOptions = {}): Worker {
  const here = dirname(fileURLToPath(import.meta.url))
  // Built code may sit in out/main/ or in a chunk folder below it.
  for (const dir of [here, join(here, '..')]) {
    const built = join(dir, `${name}.js`)
    if (existsSync(built)) return new Worker(built, options)
  }
  // Only when running from the sources (never in the app, whose workers sit beside it): a test run's
  // workers built once from these sources (test/unit/global-setup.ts).
  const prebuilt = process.env[BUILT_WORKERS_VARIABLE]
  if (prebuilt && existsSync(join(prebuilt, `${name}.js`))) return new Worker(join(prebuilt, `${name}.js`), options)
  const root = repositoryRoot(here)
  const source = join(root, sourcePath)
  if (!existsSync(source)) throw new Error(`Worker entry ${name} not found (looked for a build and for ${source})`)
  // Loader flags in execArgv are not applied to worker threads on every Node version, so the
  // worker registers tsx itself before importing its TypeScript entry.
  // require.resolve finds the CommonJS build; the worker needs the ES module one beside it.
  const tsxApi = pathToFileURL(
    createRequire(join(root, 'package.json'))
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href
  const bootstrap = `const { register } = await import(${JSON.stringify(tsxApi)}); register(); await import(${JSON.stringify(pathToFileURL(source).href)});`
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), options)
}

function repositoryRoot(from: string): string {
  let dir = from
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('Cannot find the Splitsend folder')
    dir = parent
  }
  return dir
}
