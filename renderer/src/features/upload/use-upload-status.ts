import { useCallback, useEffect, useRef, useState } from 'react'
import type { ContractErrorData } from '../../../../shared/errors'
import type { UploadStatus } from './types'
import { errorData, useApi } from '../../common/api/client'

/**
 * Where a job's upload stands, kept live: read once when the screen opens, then updated by the
 * `upload.progress` events and read again when `upload.finished` says the run ended.
 */
export function useUploadStatus(jobId: string | null) {
  const api = useApi()
  const [status, setStatus] = useState<UploadStatus | null>(null)
  const [problem, setProblem] = useState<ContractErrorData | null>(null)
  const current = useRef(jobId)
  current.current = jobId

  const refresh = useCallback(async () => {
    if (!jobId) return
    try {
      const next = await api.call('upload.status', { jobId })
      if (current.current === jobId) {
        setStatus(next)
        setProblem(null)
      }
    } catch (error) {
      if (current.current === jobId) setProblem(errorData(error))
    }
  }, [api, jobId])

  useEffect(() => {
    setStatus(null)
    void refresh()
  }, [refresh])

  useEffect(() => {
    if (!jobId) return
    const offProgress = api.subscribe('upload.progress', (event) => {
      if (event.jobId !== jobId) return
      setStatus((s) =>
        s && s.run !== 'ended'
          ? { ...s, run: event.progress.phase === 'paused' ? 'paused' : 'running', progress: event.progress }
          : s,
      )
    })
    const offFinished = api.subscribe('upload.finished', (event) => {
      if (event.jobId !== jobId) return
      setStatus((s) => (s ? { ...s, run: 'ended', result: event.result } : s))
      void refresh()
    })
    return () => {
      offProgress()
      offFinished()
    }
  }, [api, jobId, refresh])

  return { status, setStatus, problem, setProblem, refresh }
}
