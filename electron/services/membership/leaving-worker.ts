/**
 * Worker thread that reads a removal run's leaving files for ./leaving-thread.ts: each removal's
 * contact IDs, and the contacts a check looks up. Built as its own entry
 * (`out/main/membership-leaving-worker.js`).
 */
import { serveRequests } from '../kept-worker'
import { LeavingFiles } from './batches'
import type { LeavingRequest } from './leaving-thread'

/** Runs whose files are open here; a run closes its own when it ends. */
const open = new Map<string, LeavingFiles>()
/** More than this many open at once means a run ended without closing (it can't: its thread was lost). */
const MAX_OPEN_RUNS = 8

function filesOf(run: string, jobDir: string): LeavingFiles {
  let files = open.get(run)
  if (!files) {
    if (open.size >= MAX_OPEN_RUNS) {
      const [oldestRun, oldest] = open.entries().next().value!
      open.delete(oldestRun)
      void oldest.close()
    }
    files = new LeavingFiles(jobDir)
    open.set(run, files)
  }
  return files
}

async function handle(request: LeavingRequest): Promise<unknown> {
  switch (request.op) {
    case 'ids':
      return filesOf(request.run, request.jobDir).contactIdsOf(request.batch)
    case 'sample':
      return filesOf(request.run, request.jobDir).sampleOf(request.batch)
    case 'close':
      await open.get(request.run)?.close()
      open.delete(request.run)
      return undefined
  }
}

/** A run that waits (paused, or waiting on Constant Contact) has its files closed after a minute without requests. */
const CLOSE_AFTER_MS = 60_000

serveRequests(handle, {
  idle: {
    ms: CLOSE_AFTER_MS,
    tidy: () => {
      for (const files of open.values()) void files.close()
      open.clear()
    },
  },
})
