import { UserFacingError } from '../../../shared/errors'
import { KeptWorkerSlot } from '../kept-worker'
import { IMPORT_LIMITS, type ImportLimits } from './chunks'
import type { PlannedActivity, UploadPlan } from './plan'

export interface MeasureRequest {
  jobDir: string
  sizing: UploadPlan['sizing']
  limits: ImportLimits
}

/** Measuring streams the group files a block at a time and keeps one number set per activity. */
const MEASURE_LIMITS = { maxOldGenerationSizeMb: 256 }
/** A plan is often checked again a moment later (a list changed on the Upload step). */
const IDLE_MS = 2 * 60_000

const measureThread = new KeptWorkerSlot<MeasureRequest, PlannedActivity[]>({
  entry: 'measure-worker',
  sourcePath: 'electron/services/upload/measure-worker.ts',
  resourceLimits: MEASURE_LIMITS,
  idleMs: IDLE_MS,
  outOfMemory: () =>
    new UserFacingError(
      'upload_measure_failed',
      'Splitsend could not measure this upload: it needs more memory than allowed.',
      'Prepare the file again; if this keeps happening, split it into smaller files.',
    ),
})

/**
 * The activities of a job's upload (./measure.ts), measured in the measure worker: at 1,000,000
 * contacts this reads and serialises every one of them (seconds of work), which must cost the
 * Electron main process and the web bridge nothing.
 */
export function measureActivities(
  jobDir: string,
  sizing: UploadPlan['sizing'],
  limits: ImportLimits = IMPORT_LIMITS,
): Promise<PlannedActivity[]> {
  return measureThread.get().run({ jobDir, sizing, limits })
}

/** Ends the measure worker (when the app or the web bridge closes). */
export async function stopMeasureWorker(): Promise<void> {
  await measureThread.stop()
}
