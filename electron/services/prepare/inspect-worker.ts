/**
 * Worker thread that inspects files (./inspect.ts) for ./inspect-thread.ts: whatever a file asks
 * of the reader happens here, under the worker's memory limit, never on the thread that serves
 * the person. Built as its own entry (`out/main/inspect-worker.js`).
 * A request is a file's path and the inspection's options; the answer its SourceInspection.
 */
import { serveRequests } from '../kept-worker'
import { inspectSource, type InspectOptions } from './inspect'

serveRequests(({ path, options }: { path: string; options: Omit<InspectOptions, 'signal'> }) =>
  inspectSource(path, options),
)
