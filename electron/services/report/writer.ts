import { resolve } from 'node:path'
import type { ResourceLimits } from 'node:worker_threads'
import { UserFacingError } from '../../../shared/errors'
import { removeLeftoverTemps } from '../files/atomic-file'
import { acquireJobLock } from '../jobs/job-lock'
import { KeptWorker } from '../kept-worker'
import { readCurrentReport, type StoredReport } from './build'
import { reportPaths } from './row-outcomes'

/**
 * Keeps each job's report written and current, without the asking thread ever going over the rows:
 *
 *   current(jobDir)        the stored report when it was built from the job's files as they are now;
 *                          otherwise the one being written (waited for), or a new one.
 *   journalChanged(jobDir) a journal of the job changed: write the report now, in the background.
 *   settle()               waits for the writes under way (before quitting).
 *
 * Writes run in a worker thread (./report-worker.ts) with a memory limit. One write per job at a
 * time: within the process, callers share the write under way; across processes (the app and the
 * command), `report.lock` in the job folder keeps a second writer waiting, and once it has the
 * lock it finds the report current and writes nothing.
 */
export interface ReportWriter {
  current(jobDir: string): Promise<StoredReport>
  journalChanged(jobDir: string): void
  settle(): Promise<void>
}

export interface ReportWriterOptions {
  /** How long a write waits for another process's write of the same job (default two minutes). */
  lockWaitMs?: number
  resourceLimits?: ResourceLimits
  /** How long the worker thread is kept with nothing to do (default 30 s). */
  idleMs?: number
}

/** A report holds one line per row and a little per activity; this leaves room for millions of rows. */
const WORKER_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 1024 }
const LOCK_WAIT_MS = 120_000
const IDLE_MS = 30_000

export function createReportWriter(options: ReportWriterOptions = {}): ReportWriter {
  const writing = new Map<string, Promise<StoredReport>>()
  const thread = new KeptWorker<string, StoredReport>({
    entry: 'report-worker',
    sourcePath: 'electron/services/report/report-worker.ts',
    resourceLimits: options.resourceLimits ?? WORKER_LIMITS,
    idleMs: options.idleMs ?? IDLE_MS,
    outOfMemory: tooLargeError,
  })

  /** Starts a write of the job's report, or joins the one under way. */
  const write = (jobDir: string): Promise<StoredReport> => {
    let pending = writing.get(jobDir)
    if (!pending) {
      pending = writeHoldingLock(jobDir, thread, options.lockWaitMs ?? LOCK_WAIT_MS).finally(() =>
        writing.delete(jobDir),
      )
      writing.set(jobDir, pending)
    }
    return pending
  }

  const current = async (folder: string): Promise<StoredReport> => {
    const jobDir = resolve(folder)
    // A write under way may already include the latest change: wait for it before judging.
    await writing.get(jobDir)?.catch(() => undefined)
    return readCurrentReport(jobDir) ?? write(jobDir)
  }

  return {
    current,
    journalChanged(jobDir) {
      // Nobody waits for this one; if it fails, the next request for the report says why.
      current(jobDir).catch(() => undefined)
    },
    async settle() {
      while (writing.size) await Promise.allSettled([...writing.values()])
    },
  }
}

async function writeHoldingLock(
  jobDir: string,
  thread: KeptWorker<string, StoredReport>,
  lockWaitMs: number,
): Promise<StoredReport> {
  const lock = await acquireJobLock(jobDir, 'report', { waitMs: lockWaitMs })
  try {
    // Another process may have written it while this one waited for the lock.
    const stored = readCurrentReport(jobDir)
    if (stored) return stored
    // Holding the lock, any temporary report file is a leftover of a writer that was killed.
    for (const path of Object.values(reportPaths(jobDir))) removeLeftoverTemps(path)
    return await thread.run(jobDir)
  } finally {
    lock.release()
  }
}

function tooLargeError(): UserFacingError {
  return new UserFacingError(
    'report_too_large',
    'This job’s report needs more memory than Splitsend gives it, so it wasn’t written.',
    'Its upload and sends are not affected. Close other programs and open the report again.',
  )
}

/** The process's writer: the app's requests, the upload's end and the command share it. */
export const jobReports: ReportWriter = createReportWriter()
