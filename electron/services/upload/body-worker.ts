/**
 * Worker thread that reads an upload run's group files for ./body-thread.ts: the request bodies
 * (every contact of the job read and serialised), the halves of a refused activity, the addresses
 * of a run of records. Built as its own entry (`out/main/upload-body-worker.js`).
 */
import { serveRequests } from '../kept-worker'
import { BodiesHere } from './bodies'
import type { BodyRequest } from './body-thread'

/** Runs whose files are open here; a run closes its own when it ends. */
const open = new Map<string, BodiesHere>()
/** More than this many open at once means a run ended without closing (it can't: its thread was lost). */
const MAX_OPEN_RUNS = 8

function bodiesOf(request: BodyRequest): BodiesHere {
  const key = JSON.stringify(request.job)
  let bodies = open.get(key)
  if (!bodies) {
    if (open.size >= MAX_OPEN_RUNS) {
      const [oldestKey, oldest] = open.entries().next().value!
      open.delete(oldestKey)
      void oldest.close()
    }
    bodies = new BodiesHere(request.job)
    open.set(key, bodies)
  }
  return bodies
}

async function handle(request: BodyRequest): Promise<unknown> {
  if (request.op === 'close') {
    const key = JSON.stringify(request.job)
    await open.get(key)?.close()
    open.delete(key)
    return undefined
  }
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
    tidy: () => {
      for (const bodies of open.values()) void bodies.close()
      open.clear()
    },
  },
})
