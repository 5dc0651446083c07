import { UserFacingError } from '../../../shared/errors'
import { KeptWorkerSlot } from '../kept-worker'

/** Hashing streams the file in small pieces: a little memory is plenty. */
const HASH_LIMITS = { maxOldGenerationSizeMb: 64 }
/** The routines screen asks for the next file's hash each time it opens. */
const IDLE_MS = 5 * 60_000

const hashThread = new KeptWorkerSlot<string, string>({
  entry: 'hash-worker',
  sourcePath: 'electron/services/routines/hash-worker.ts',
  resourceLimits: HASH_LIMITS,
  idleMs: IDLE_MS,
  outOfMemory: () => new UserFacingError('hash_failed', 'Splitsend could not read the whole file to compare it.'),
})

/**
 * A file's SHA-256 (./next-file.ts hashFile) in the hash worker: what the app's routine requests
 * use, so a large month's file costs the Electron main process and the web bridge nothing.
 */
export function hashFileInWorker(path: string): Promise<string> {
  return hashThread.get().run(path)
}

/** Ends the hash worker (when the app or the web bridge closes). */
export async function stopHashWorker(): Promise<void> {
  await hashThread.stop()
}
