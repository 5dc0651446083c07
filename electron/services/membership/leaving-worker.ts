/**
 * Worker thread that reads a removal run's leaving files for ./leaving-thread.ts: each removal's
 * contact IDs, and the contacts a check looks up. Built as its own entry
 * (`out/main/membership-leaving-worker.js`).
 */
import { OpenPerRun, serveRequests } from '../kept-worker'
import { LeavingFiles } from './batches'
import type { LeavingRequest } from './leaving-thread'

/** Runs whose files are open here. */
const open = new OpenPerRun<LeavingFiles>()

async function handle(request: LeavingRequest): Promise<unknown> {
  switch (request.op) {
    case 'ids':
      return open.get(request.run, () => new LeavingFiles(request.jobDir)).contactIdsOf(request.batch)
    case 'sample':
      return open.get(request.run, () => new LeavingFiles(request.jobDir)).sampleOf(request.batch)
    case 'close':
      return open.close(request.run)
  }
}

/** A run that waits (paused, or waiting on Constant Contact) has its files closed after a minute without requests. */
const CLOSE_AFTER_MS = 60_000

serveRequests(handle, {
  idle: {
    ms: CLOSE_AFTER_MS,
    tidy: () => open.closeAll(),
  },
})
