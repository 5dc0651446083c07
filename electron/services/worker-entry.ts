import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker, type WorkerOptions } from 'node:worker_threads'

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
  const source = join(repositoryRoot(here), sourcePath)
  if (!existsSync(source)) throw new Error(`Worker entry ${name} not found (looked for a build and for ${source})`)
  return new Worker(source, { ...options, execArgv: [...(options.execArgv ?? []), '--import', 'tsx'] })
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
