import type { GroupKey } from '../../../shared/ids'
import { UserFacingError } from '../../../shared/errors'
import { KeptWorkerSlot } from '../kept-worker'
import type { ImportLimits } from './chunks'
import type { RecordRun } from './added-check'
import type { BodiesOf, UploadBodies } from './bodies'
import type { PlannedActivity } from './plan'

export type BodyRequest = { job: BodiesOf } & (
  | { op: 'open'; groups: GroupKey[] }
  | { op: 'body'; activity: PlannedActivity; listId: string; limits: ImportLimits }
  | { op: 'split'; activity: PlannedActivity; listId: string }
  | { op: 'emails'; group: GroupKey; first: number; count: number }
  | { op: 'named'; group: GroupKey; run: RecordRun; errors: string[]; missing: number }
  | { op: 'notActive'; group: GroupKey; runs: RecordRun[]; exportPath: string; listName: string }
  | { op: 'close' }
)

/** A body is at most 4 MB and a group file's index lives outside the heap: a little memory is plenty. */
const BODY_LIMITS = { maxOldGenerationSizeMb: 256 }
/** Kept between runs of a session (the next one, or the same job continued). */
const IDLE_MS = 2 * 60_000

const bodyThread = new KeptWorkerSlot<BodyRequest, unknown>({
  entry: 'upload-body-worker',
  sourcePath: 'electron/services/upload/body-worker.ts',
  resourceLimits: BODY_LIMITS,
  idleMs: IDLE_MS,
  outOfMemory: () =>
    new UserFacingError(
      'upload_body_failed',
      'Splitsend could not build the next import: it needs more memory than allowed.',
      'Continue the upload; if this keeps happening, prepare the file again.',
    ),
})

/**
 * A run's group files read in the body worker (./body-worker.ts): every contact of the job is read
 * and serialised there, and its bodies come back as bytes handed over (not copied), so the Electron
 * main process, the web bridge and the command's thread only send them.
 */
export function bodiesInWorker(job: BodiesOf): UploadBodies {
  const ask = <T>(request: BodyRequest): Promise<T> => bodyThread.get().run(request) as Promise<T>
  return {
    open: (groups) => ask({ job, op: 'open', groups: [...groups] }),
    body: (activity, listId, limits) => ask({ job, op: 'body', activity, listId, limits }),
    split: (activity, listId) => ask({ job, op: 'split', activity, listId }),
    emails: (group, first, count) => ask({ job, op: 'emails', group, first, count }),
    namedInErrors: (group, run, errors, missing) => ask({ job, op: 'named', group, run, errors, missing }),
    notActiveMembers: (group, runs, exportPath, listName) =>
      ask({ job, op: 'notActive', group, runs, exportPath, listName }),
    close: () => ask({ job, op: 'close' }),
  }
}

/** Ends the body worker (when the app or the web bridge closes). */
export async function stopBodyWorker(): Promise<void> {
  await bodyThread.stop()
}
