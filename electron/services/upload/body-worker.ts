/**
 * Worker thread that reads an upload run's group files for ./body-thread.ts: the request bodies
 * (every contact of the job read and serialised), the halves of a refused activity, the addresses
 * of a run of records, which of an import's contacts weren't added (./added-check.ts). Built as its own entry (`out/main/upload-body-worker.js`).
 */
import { OpenPerRun, serveRequests } from '../kept-worker'
import { BodiesHere } from './bodies'
import type { BodyRequest } from './body-thread'

/** Runs whose files are open here, by the run's job and field names. */
const open = new OpenPerRun<BodiesHere>()
const bodiesOf = (request: BodyRequest): BodiesHere =>
  open.get(JSON.stringify(request.job), () => new BodiesHere(request.job))

async function handle(request: BodyRequest): Promise<unknown> {
  if (request.op === 'close') return open.close(JSON.stringify(request.job))
  const bodies = bodiesOf(request)
  switch (request.op) {
    case 'open':
      return bodies.open(request.groups)
    case 'body':
      return bodies.body(request.activity, request.listId, request.limits)
    case 'split':
      return bodies.split(request.activity, request.listId)
    case 'emails':
      return bodies.emails(request.group, request.first, request.count)
    case 'named':
      return bodies.namedInErrors(request.group, request.run, request.errors, request.missing)
    case 'notActive':
      return bodies.notActiveMembers(request.group, request.runs, request.exportPath, request.listName)
  }
}

/**
 * A run that waits (paused, or Constant Contact's queue full) closes nothing: its files are closed
 * here after a minute without requests, before the thread is ended, and opened again when it goes on.
 */
const CLOSE_AFTER_MS = 60_000

serveRequests(handle, {
  // A body's bytes are handed over to the run's thread, not copied.
  transfer: (output) => (output instanceof Uint8Array ? [output.buffer as ArrayBuffer] : []),
  idle: {
    ms: CLOSE_AFTER_MS,
    tidy: () => open.closeAll(),
  },
})
