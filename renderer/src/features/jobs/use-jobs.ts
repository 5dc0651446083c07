import { useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { useApi } from '../../common/api/client'
import { ask, requestKey, useAction, useRequest } from '../../common/api/queries'
import type { Job } from './types'

export const JOBS = ask('jobs.list')
/** How often the list is read again while a job in it is being uploaded or sent. */
const BUSY_REFRESH_MS = 2_000

/**
 * Every job in Splitsend's data folder, read again whenever the list is shown, when an upload here
 * ends, and every two seconds while one of them is being uploaded or sent (here, in another window or
 * by the command).
 */
export function useJobs() {
  const api = useApi()
  const client = useQueryClient()
  const jobs = useRequest(JOBS, {
    refetchInterval: (query) => (query.state.data?.some((job: Job) => job.busy) ? BUSY_REFRESH_MS : false),
  })
  useEffect(
    () => api.subscribe('upload.finished', () => void client.invalidateQueries({ queryKey: JOBS.key })),
    [api, client],
  )
  return jobs
}

/** Removes a job (its folder); the list is read again afterwards. */
export function useRemoveJob() {
  const client = useQueryClient()
  return useAction('jobs.remove', {
    onSettled: () => void client.invalidateQueries({ queryKey: requestKey('jobs.list') }),
  })
}
