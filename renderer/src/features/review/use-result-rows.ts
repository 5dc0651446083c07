/**
 * Rows of a prepared job's groups or problems, fetched from main a page at a time around what the
 * table shows. The renderer never holds a whole group: pages off screen are forgotten beyond a few,
 * and when the person scrolls fast only the pages still on screen are asked for next.
 */
import { useQueries, useQueryClient, type QueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { UserFacingError } from '../../../../shared/errors'
import { useApi } from '../../common/api/client'
import { ask, requestKey, useRequest } from '../../common/api/queries'
import type { ProblemReason, ResultKind, ResultsPage, ResultsRow } from '../prepare/types'

const PAGE_SIZE = 200
/** Pages kept besides the ones on screen; those left longest ago are forgotten first. */
const KEPT_PAGES = 8
/** Page requests in flight at once. */
const MAX_IN_FLIGHT = 3

/** Which rows: a job's result (`generation` tells its full passes apart), one kind, filtered. */
export interface ResultsSource {
  jobId: string
  generation: string
  kind: ResultKind
  reason?: ProblemReason
  search?: string
}

/** The request for one page, keyed by the pass that wrote the job folder (a job's folder is rewritten by each pass). */
function pageRequest(source: ResultsSource, page: number) {
  const { jobId, generation, kind, reason, search } = source
  const request = ask('prepare.page', {
    jobId,
    query: {
      kind,
      offset: page * PAGE_SIZE,
      limit: PAGE_SIZE,
      ...(reason ? { reason } : {}),
      ...(search && search.trim() !== '' ? { search: search.trim() } : {}),
    },
  })
  return { ...request, key: [...request.key, generation] }
}

/** How many rows match, and the columns: the first page's answer (which the table shares). */
export function useResultsTotal(source: ResultsSource) {
  return useRequest(pageRequest(source, 0), { staleTime: Infinity })
}

export interface ResultRows {
  rowAt(index: number): ResultsRow | undefined
  problem: UserFacingError | null
}

/** The rows `first` to `end` (exclusive), as far as their pages have come. */
export function useResultRows(source: ResultsSource, first: number, end: number): ResultRows {
  const api = useApi()
  const client = useQueryClient()
  const [inFlight] = useState(() => limitInFlight(MAX_IN_FLIGHT))
  const pages = pagesOf(first, end)
  const results = useQueries({
    queries: pages.map((page) => {
      const { name, input, key } = pageRequest(source, page)
      return {
        queryKey: key,
        queryFn: async ({ signal }: { signal: AbortSignal }): Promise<ResultsPage> => {
          const answer = await inFlight(signal, () => api.call(name, ...input))
          forgetOldPages(client, source.jobId)
          return answer
        },
        staleTime: Infinity,
      }
    }),
  })
  const rowsOf = new Map(pages.map((page, i) => [page, results[i]?.data?.rows]))
  return {
    rowAt: (index) => rowsOf.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    // The first page's problem is shown with the count of rows (useResultsTotal).
    problem: results.find((result, i) => pages[i] !== 0 && result.error)?.error ?? null,
  }
}

function pagesOf(first: number, end: number): number[] {
  const pages: number[] = []
  for (let page = Math.floor(Math.max(0, first) / PAGE_SIZE); page * PAGE_SIZE < Math.max(end, 1); page++)
    pages.push(page)
  return pages
}

function forgetOldPages(client: QueryClient, jobId: string): void {
  const cache = client.getQueryCache()
  cache
    .findAll({ queryKey: requestKey('prepare.page', { jobId }), type: 'inactive' })
    .sort((a, b) => b.state.dataUpdatedAt - a.state.dataUpdatedAt)
    .slice(KEPT_PAGES)
    .forEach((query) => cache.remove(query))
}

/**
 * Runs at most `size` pieces of work at a time. Work waiting for its turn is dropped when its signal
 * aborts (TanStack Query aborts it when no table shows that page any more).
 */
function limitInFlight(size: number) {
  let running = 0
  const waiting: Array<() => void> = []
  const turn = (signal: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      if (running < size) {
        running++
        return resolve()
      }
      const go = () => {
        signal.removeEventListener('abort', drop)
        resolve()
      }
      const drop = () => {
        waiting.splice(waiting.indexOf(go), 1)
        reject(signal.reason)
      }
      waiting.push(go)
      signal.addEventListener('abort', drop, { once: true })
    })
  // A finished piece hands its turn straight to the next one waiting.
  const done = () => {
    const next = waiting.shift()
    if (next) next()
    else running--
  }
  return async <T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> => {
    await turn(signal)
    try {
      return await work()
    } finally {
      done()
    }
  }
}
