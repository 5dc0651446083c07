import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Starts `splitsend simulator` in its own process (so it has its own core) and reads its addresses.
 * The built command (out/main/cli.js, `npm run build`) is used when present: from the TypeScript
 * sources, tsx's per-closure helpers make the simulator's import work about a third slower.
 */
export function startSimulatorProcess(
  options: {
    /** Another checkout's sources (practice.ts: an earlier commit's, for "before"). */
    root?: string
    /** From the TypeScript sources even when a build exists (comparing two checkouts alike). */
    sources?: boolean
    /** Keep (and start from) the state in this folder. */
    dataDir?: string
  } = {},
): Promise<{
  apiBase: string
  authBase: string
  /** Stops it; resolves once it has ended (and written its state). */
  stop: () => Promise<void>
  built: boolean
  pid: number
}> {
  const root = options.root ?? join(import.meta.dirname, '..', '..')
  const built = !options.sources && existsSync(join(root, 'out', 'main', 'cli.js'))
  const command = built
    ? [join(root, 'bin', 'splitsend.js')]
    : ['--import', 'tsx', join(root, 'test', 'unit', 'upload', 'cli-entry.ts')]
  const nodeArgs = process.env.BENCH_SIM_NODE_ARGS?.split(' ').filter(Boolean) ?? []
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      ...command,
      'simulator',
      '--speed',
      'instant',
      '--auto-approve',
      '--empty',
      ...(options.dataDir ? ['--data-dir', options.dataDir] : []),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  return new Promise((resolve, reject) => {
    let out = ''
    child.on('error', reject)
    child.stdout.on('data', (d: Buffer) => {
      if (nodeArgs.length) process.stderr.write(d) // e.g. --trace-gc's lines
      out += d.toString()
      const api = /API:\s+(\S+)/.exec(out)?.[1]
      const auth = /Authorization server:\s+(\S+)/.exec(out)?.[1]
      if (api && auth)
        resolve({
          apiBase: api,
          authBase: auth,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) return done()
              child.once('exit', () => done())
              child.kill('SIGTERM')
            }),
          built,
          pid: child.pid!,
        })
    })
  })
}
