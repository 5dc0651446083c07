import type { ResourceLimits } from 'node:worker_threads'
import { UserFacingError } from '../../../shared/errors'
import { KeptWorkerSlot } from '../kept-worker'
import type { InspectOptions, SourceInspection } from './inspect'

/**
 * An inspection reads at most 16 MB of a CSV file, or a workbook's first thousand rows and the
 * shared text they use; a file that needs more than this is not a contact list Splitsend can read.
 */
const INSPECT_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 1024 }
/**
 * Kept this long with nothing to do: the person goes back and forth between Import and Map, and
 * a worker started anew costs the next inspection 0.1-0.5 s (`npm run bench:inspect`).
 */
const IDLE_MS = 30 * 60_000
/** An ordinary file is inspected in well under a second; a minute means a file built to be slow. */
const TIME_LIMIT_MS = 60_000

type InspectRequest = { path: string; options: Omit<InspectOptions, 'signal'> }
const inspectThread = new KeptWorkerSlot<InspectRequest, SourceInspection>({
  entry: 'inspect-worker',
  sourcePath: 'electron/services/prepare/inspect-worker.ts',
  resourceLimits: INSPECT_LIMITS,
  idleMs: IDLE_MS,
  outOfMemory: () =>
    new UserFacingError(
      'file_too_large',
      'Reading the start of this file took more memory than Splitsend allows, so it was stopped.',
      'The file may be damaged, or built to be too large. Open it in Excel and save it again, or ask for a new copy.',
    ),
  timeLimit: {
    ms: TIME_LIMIT_MS,
    error: () =>
      new UserFacingError(
        'file_too_slow',
        'Reading the start of this file took more than a minute, so it was stopped.',
        'The file may be damaged, or built to be too large. Open it in Excel and save it again, or ask for a new copy.',
      ),
  },
})

/**
 * {@link inspectSource} in the inspect worker (started at the first call, or by
 * {@link warmInspectWorker}, and kept): the one way the app, the web bridge and the command
 * inspect a person's file.
 */
export function inspectInWorker(path: string, options: Omit<InspectOptions, 'signal'> = {}): Promise<SourceInspection> {
  return inspectThread.get().run({ path, options })
}

/** Starts the inspect worker now (the app, when it starts), so the first file isn't kept waiting for it. */
export function warmInspectWorker(): void {
  inspectThread.get().warm()
}

/** Ends the inspect worker (when the app or the web bridge closes). */
export async function stopInspectWorker(): Promise<void> {
  await inspectThread.stop()
}
