import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { useApi, type Api } from '../../common/api/client'
import { ask, useRequest } from '../../common/api/queries'
import { followSignInEnded } from '../connect/account'
import type { MembershipChoice, UploadStatus } from './types'

const statusOf = (jobId: string) => ask('upload.status', { jobId })

/**
 * Where a job's upload stands, kept live: read when the screen opens, then updated by main's
 * `upload.progress` events, and read again when `upload.finished` says the run ended.
 */
export function useUploadStatus(jobId: string | null) {
  const api = useApi()
  const client = useQueryClient()
  const status = useRequest(jobId ? statusOf(jobId) : null)

  useEffect(() => {
    if (!jobId) return
    const { key } = statusOf(jobId)
    const offProgress = api.subscribe('upload.progress', (event) => {
      if (event.jobId !== jobId) return
      client.setQueryData<UploadStatus>(key, (s) =>
        s && s.run !== 'ended'
          ? { ...s, run: event.progress.phase === 'paused' ? 'paused' : 'running', progress: event.progress }
          : s,
      )
    })
    const offFinished = api.subscribe('upload.finished', (event) => {
      if (event.jobId !== jobId) return
      client.setQueryData<UploadStatus>(key, (s) => (s ? { ...s, run: 'ended', result: event.result } : s))
      if (event.result.error) followSignInEnded(client, event.result.error.code)
      void client.invalidateQueries({ queryKey: key })
    })
    return () => {
      offProgress()
      offFinished()
    }
  }, [api, client, jobId])

  return status
}

/** What the person can tell an upload to do. */
export type UploadCommand =
  | { kind: 'start'; planId: string; membership: MembershipChoice }
  | { kind: 'resume'; resendUnclear?: boolean; unsure?: 'send_again' | 'done' }
  | { kind: 'pause' }
  | { kind: 'continue' }
  | { kind: 'cancel' }

function command(api: Api, jobId: string, order: UploadCommand): Promise<UploadStatus> {
  switch (order.kind) {
    case 'start':
      return api.call('upload.start', { jobId, start: { planId: order.planId, membership: order.membership } })
    case 'resume':
      return api.call('upload.start', {
        jobId,
        start: {
          resume: true,
          ...(order.resendUnclear ? { resendUnclear: true as const } : {}),
          ...(order.unsure ? { unsure: order.unsure } : {}),
        },
      })
    default:
      return api.call(`upload.${order.kind}`, { jobId })
  }
}

/** The upload's controls (start, resume, pause, continue, cancel): one at a time, each answered with the new status. */
export function useUploadCommand(jobId: string) {
  const api = useApi()
  const client = useQueryClient()
  return useMutation({
    mutationFn: (order: UploadCommand) => command(api, jobId, order),
    onSuccess: (next) => client.setQueryData(statusOf(jobId).key, next),
  })
}
