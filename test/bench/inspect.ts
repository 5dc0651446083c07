/**
 * `npm run bench:inspect` — what inspecting a file costs the thread that serves the person (the
 * Electron main process, the web bridge), before and after inspection moved to its worker (a
 * benchmark, not a test).
 *
 * Builds the runner (./inspect-run.ts) with the worker threads beside it, as the app's build does
 * (so the worker starts as it does in the app, not through tsx), and runs it in plain Node: it
 * measures, side by side in one run, on a 1,000-row CSV, a 1,000,000-row CSV and a 10,000-row
 * workbook, each side in a fresh process of its own:
 *   - before: inspectSource on the calling thread (what `prepare.inspect` did);
 *   - after: inspectInWorker, the worker started as the app starts it;
 * the first inspection of each file and the median of the next ones: the time until the answer,
 * and the time the calling thread was busy, side by side per file with the ratio after/before. Then
 * suggestMapping at 2,000 and 16,000 columns (linear: the ratio is about 8).
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { bundleForNode } from '../unit/bundle'
import { removeFileFolder } from '../unit/temp'

const runner = await bundleForNode(join(import.meta.dirname, 'inspect-run.ts'))
try {
  execFileSync(process.execPath, [runner], { stdio: 'inherit' })
} finally {
  removeFileFolder()
}
