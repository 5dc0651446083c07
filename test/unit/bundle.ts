import { symlinkSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { build } from 'vite'
import { tempDir } from './temp'

const ROOT = resolve(import.meta.dirname, '../..')

/**
 * Builds a TypeScript entry and the sources it imports into one ES module that plain `node` runs,
 * packages still read from the repository's node_modules (linked beside it). Starting it costs a
 * third of the CPU of running the sources through tsx, and the crash tests start dozens of processes.
 * Call it in `beforeAll`: the bundle is made from the sources as they are now, once per file.
 */
export async function bundleForNode(entry: string): Promise<string> {
  const dir = tempDir('bundle')
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
  const fileName = basename(entry).replace(/\.ts$/, '.mjs')
  await build({
    configFile: false,
    logLevel: 'error',
    root: ROOT,
    build: {
      ssr: entry,
      outDir: dir,
      emptyOutDir: false,
      minify: false,
      target: 'node20',
      rollupOptions: { output: { format: 'es', entryFileNames: fileName } },
    },
  })
  return join(dir, fileName)
}
