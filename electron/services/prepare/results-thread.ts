import { UserFacingError } from '../../../shared/errors'
import type { ResultsPage, ResultsPageQuery } from '../../../shared/prepare/schemas'
import { KeptWorkerSlot } from '../kept-worker'

export type ResultsRequest =
  | { op: 'page'; jobDir: string; query: ResultsPageQuery }
  /** Closes what is open of a job (before a pass rewrites it or its folder is removed); all without `jobDir`. */
  | { op: 'forget'; jobDir?: string }

/** A page is at most 1,000 rows; a search keeps its matches as record numbers. */
const RESULTS_LIMITS = { maxOldGenerationSizeMb: 512 }
/** The person goes back and forth on the Review step; the worker closes its files itself before this. */
const IDLE_MS = 30 * 60_000

const resultsThread = new KeptWorkerSlot<ResultsRequest, ResultsPage | undefined>({
  entry: 'results-worker',
  sourcePath: 'electron/services/prepare/results-worker.ts',
  resourceLimits: RESULTS_LIMITS,
  idleMs: IDLE_MS,
  outOfMemory: () =>
    new UserFacingError(
      'results_failed',
      'Splitsend could not show these rows: it needs more memory than allowed.',
      'Try a shorter search, or prepare the file again.',
    ),
})

/**
 * A page of a prepared job's rows (./results.ts), read in the results worker: opening a job reads
 * its indexes (a number set per row) and a search reads the whole file, which must cost the
 * Electron main process and the web bridge nothing.
 */
export async function resultsPageInWorker(jobDir: string, query: ResultsPageQuery): Promise<ResultsPage> {
  return (await resultsThread.get().run({ op: 'page', jobDir, query }))!
}

/** Closes what the results worker holds open of a job (of every job without `jobDir`). */
export async function forgetResultsInWorker(jobDir?: string): Promise<void> {
  if (!resultsThread.made) return
  await resultsThread.get().run({ op: 'forget', ...(jobDir ? { jobDir } : {}) })
}

/** Ends the results worker, its files closed first (when the app or the web bridge closes). */
export async function stopResultsWorker(): Promise<void> {
  await forgetResultsInWorker().catch(() => undefined)
  await resultsThread.stop()
}
