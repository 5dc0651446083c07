/**
 * Rows of a prepared job's groups or problems, fetched from main a page at a time around what the
 * table shows, with a few pages kept. The renderer never holds a whole group: a million-row job
 * costs a handful of pages of memory.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ContractErrorData } from '../../../../shared/errors'
import type { ProblemReason, ResultKind, ResultsRow } from '../prepare/types'
import { errorData, useApi } from '../../common/api/client'

export const PAGE_SIZE = 200
/** Pages kept besides the ones on screen; older ones are dropped first. */
const KEPT_PAGES = 8
/** Requests in flight at once; when scrolling fast, only the pages still wanted are asked for next. */
const MAX_IN_FLIGHT = 3

export interface ResultsQuery {
  kind: ResultKind
  reason?: ProblemReason
  search?: string
}

export interface ResultRows {
  /** Rows matching the query; null until the first page has come. */
  total: number | null
  columns: string[]
  rowAt(index: number): ResultsRow | undefined
  /** Asks for the rows `first` to `last` (inclusive) to be fetched. */
  want(first: number, last: number): void
  problem: ContractErrorData | null
}

export function useResultRows(jobId: string, generation: string, query: ResultsQuery): ResultRows {
  const api = useApi()
  const [total, setTotal] = useState<number | null>(null)
  const [columns, setColumns] = useState<string[]>([])
  const [problem, setProblem] = useState<ContractErrorData | null>(null)
  const [, setVersion] = useState(0)
  const cache = useRef(new Map<number, ResultsRow[]>())
  const inFlight = useRef(new Set<number>())
  const wanted = useRef<number[]>([0])
  const queryKey = JSON.stringify([jobId, generation, query.kind, query.reason ?? null, query.search ?? ''])
  const activeKey = useRef(queryKey)

  const pump = useCallback(() => {
    const key = activeKey.current
    for (const page of wanted.current) {
      if (inFlight.current.size >= MAX_IN_FLIGHT) return
      if (cache.current.has(page) || inFlight.current.has(page)) continue
      inFlight.current.add(page)
      const { search, reason } = query
      api
        .call('prepare.page', {
          jobId,
          query: {
            kind: query.kind,
            offset: page * PAGE_SIZE,
            limit: PAGE_SIZE,
            ...(reason ? { reason } : {}),
            ...(search && search.trim() !== '' ? { search: search.trim() } : {}),
          },
        })
        .then(
          (result) => {
            if (activeKey.current !== key) return
            cache.current.delete(page)
            cache.current.set(page, result.rows)
            evict(cache.current, wanted.current)
            setTotal(result.total)
            setColumns(result.columns)
            setVersion((v) => v + 1)
          },
          (error: unknown) => {
            if (activeKey.current === key) setProblem(errorData(error))
          },
        )
        .finally(() => {
          if (activeKey.current !== key) return
          inFlight.current.delete(page)
          pump()
        })
    }
    // `query`'s fields are all in `queryKey`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, jobId, queryKey])

  useEffect(() => {
    activeKey.current = queryKey
    cache.current = new Map()
    inFlight.current = new Set()
    wanted.current = [0]
    setTotal(null)
    setProblem(null)
    pump()
  }, [queryKey, pump])

  const want = useCallback(
    (first: number, last: number) => {
      const pages: number[] = []
      for (
        let page = Math.floor(Math.max(0, first) / PAGE_SIZE);
        page <= Math.floor(Math.max(0, last) / PAGE_SIZE);
        page++
      )
        pages.push(page)
      if (pages.join() === wanted.current.join()) return
      wanted.current = pages
      pump()
    },
    [pump],
  )

  const rowAt = useCallback(
    (index: number) => cache.current.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    [],
  )

  return { total, columns, rowAt, want, problem }
}

function evict(cache: Map<number, ResultsRow[]>, onScreen: number[]): void {
  for (const page of cache.keys()) {
    if (cache.size <= KEPT_PAGES + onScreen.length) return
    if (!onScreen.includes(page)) cache.delete(page)
  }
}
