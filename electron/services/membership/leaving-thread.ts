import { randomUUID } from 'node:crypto'
import { UserFacingError } from '../../../shared/errors'
import { KeptWorkerSlot } from '../kept-worker'
import type { LeavingContact, LeavingFiles } from './batches'
import type { RemovalBatch } from './journal-state'

export type LeavingRequest =
  { op: 'ids' | 'sample'; run: string; jobDir: string; batch: RemovalBatch } | { op: 'close'; run: string }

/** A removal's contacts are read a piece (about 1 MB) at a time: a little memory is plenty. */
const LEAVING_LIMITS = { maxOldGenerationSizeMb: 128 }
/** Kept while a removal run waits on Constant Contact between its removals. */
const IDLE_MS = 2 * 60_000

const leavingThread = new KeptWorkerSlot<LeavingRequest, unknown>({
  entry: 'membership-leaving-worker',
  sourcePath: 'electron/services/membership/leaving-worker.ts',
  resourceLimits: LEAVING_LIMITS,
  idleMs: IDLE_MS,
  outOfMemory: () =>
    new UserFacingError(
      'membership_read_failed',
      'Splitsend could not read the contacts to take off a list: it needs more memory than allowed.',
      'Run it again; if this keeps happening, compare the lists again.',
    ),
})

/** What a removal run needs of its leaving files (./batches.ts LeavingFiles does it on the thread it's on). */
export type LeavingReader = Pick<LeavingFiles, 'contactIdsOf' | 'sampleOf' | 'close'>

/**
 * A removal run's leaving files read in the leaving worker (./leaving-worker.ts): the thread that
 * serves the person (the Electron main process, the web bridge, the command) gets only each
 * removal's contact IDs (and the three contacts a check looks up), however many are leaving.
 */
export function leavingInWorker(jobDir: string): LeavingReader {
  const run = randomUUID()
  return {
    contactIdsOf: (batch) => leavingThread.get().run({ op: 'ids', run, jobDir, batch }) as Promise<string[]>,
    sampleOf: (batch) => leavingThread.get().run({ op: 'sample', run, jobDir, batch }) as Promise<LeavingContact[]>,
    close: async () => {
      if (leavingThread.made) await leavingThread.get().run({ op: 'close', run })
    },
  }
}

/** Ends the leaving worker (when the app or the web bridge closes). */
export async function stopLeavingWorker(): Promise<void> {
  await leavingThread.stop()
}
