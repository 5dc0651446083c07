import { symlinkSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { build } from 'vite'
import electronViteConfig from '../../electron.vite.config'
import { tempDir } from './temp'

const ROOT = resolve(import.meta.dirname, '../..')

/** The worker threads' entries, named as the app's build names them (startWorker looks for `<name>.js`). */
function workerEntries(): Record<string, string> {
  const input = (electronViteConfig as { main: { build: { rollupOptions: { input: Record<string, string> } } } }).main
    .build.rollupOptions.input
  return Object.fromEntries(Object.entries(input).filter(([name]) => name.endsWith('-worker')))
}

/**
 * Builds a TypeScript entry and the sources it imports into ES modules that plain `node` runs, with
 * the worker threads beside it as in the app's build and the packages read from the repository's
 * node_modules (linked beside them). Starting it costs a third of the CPU of running the sources
 * through tsx, and the crash tests start dozens of processes. Call it in `beforeAll`: the bundle is
 * made from the sources as they are now, once per file. Returns the path to run.
 */
export async function bundleForNode(entry: string): Promise<string> {
  const dir = tempDir('bundle')
  const name = basename(entry).replace(/\.ts$/, '')
  await buildForNode(dir, { [name]: entry, ...workerEntries() })
  return join(dir, `${name}.js`)
}

/**
 * Builds only the worker threads' entries into `dir` (the unit tests' global setup: the engine, run
 * from its sources, starts them from there instead of compiling each one again through tsx).
 */
export async function bundleWorkers(dir: string): Promise<void> {
  await buildForNode(dir, workerEntries())
}

async function buildForNode(dir: string, input: Record<string, string>): Promise<void> {
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  await build({
    configFile: false,
    logLevel: 'error',
    root: ROOT,
    build: {
      ssr: true,
      outDir: dir,
      emptyOutDir: false,
      minify: false,
      target: 'node20',
      rollupOptions: { input, output: { format: 'es', entryFileNames: '[name].js' } },
    },
  })
}
