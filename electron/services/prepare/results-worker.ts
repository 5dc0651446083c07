/**
 * Worker thread that serves the pages of prepared jobs' rows (./results.ts) for
 * ./results-thread.ts: each job's indexes are read here, and a search reads the whole file here.
 * Built as its own entry (`out/main/results-worker.js`).
 */
import { serveRequests } from '../kept-worker'
import { openPreparedResults, type PreparedResults } from './results'
import type { ResultsRequest } from './results-thread'

/** Jobs open here, the one used last at the end. */
const open = new Map<string, PreparedResults>()
/** The Review step shows one job at a time; a few are kept for going back and forth. */
const MAX_OPEN_JOBS = 4
/** With nothing asked for this long, the files are closed (the worker itself may be ended later). */
const CLOSE_AFTER_MS = 10 * 60_000

function forget(jobDir: string): void {
  open.get(jobDir)?.close()
  open.delete(jobDir)
}

function resultsOf(jobDir: string): PreparedResults {
  let results = open.get(jobDir)
  if (results) open.delete(jobDir)
  else {
    if (open.size >= MAX_OPEN_JOBS) forget(open.keys().next().value!)
    results = openPreparedResults(jobDir)
  }
  open.set(jobDir, results)
  return results
}

const forgetAll = (): void => {
  for (const jobDir of [...open.keys()]) forget(jobDir)
}

serveRequests(
  (request: ResultsRequest) => {
    if (request.op === 'page') return resultsOf(request.jobDir).page(request.query)
    if (request.jobDir) forget(request.jobDir)
    else forgetAll()
    return undefined
  },
  { idle: { ms: CLOSE_AFTER_MS, tidy: forgetAll } },
)
