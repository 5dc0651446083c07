import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import type { UserFacingError } from '../../../../shared/errors'
import { useApi } from '../../common/api/client'
import { draftProblems, prepareOptions, runKey } from './mapping'
import type { LoadedFile, RunState } from './session'
import type { PrepareOptions, PrepareProgress, PrepareResult } from './types'

interface Pass {
  fileId: string
  runId: string
  key: string
  options: PrepareOptions
}

/** The full pass: started for a file's current choices, followed by its progress events, stoppable. */
export function usePass() {
  const api = useApi()
  const running = useMutation({
    mutationFn: ({ fileId, runId, options }: Pass) => api.call('prepare.run', { fileId, runId, options }),
  })
  const [progress, setProgress] = useState<{ runId: string; progress: PrepareProgress } | null>(null)
  /** The pass under way, for stopping it from a callback made before it started. */
  const current = useRef<string | null>(null)

  useEffect(() => api.subscribe('prepare.progress', setProgress), [api])

  const startFor = (target: LoadedFile) => {
    // (A file with nothing below its header is one of those problems: Import says so and stops there.)
    if (draftProblems(target.draft, target.inspection).length > 0) return
    const options = prepareOptions(target.draft, target.inspection)
    const pass: Pass = {
      fileId: target.file.fileId,
      runId: crypto.randomUUID(),
      key: runKey(target.file.fileId, options),
      options,
    }
    current.current = pass.runId
    running.mutate(pass, {
      onSettled: () => {
        if (current.current === pass.runId) current.current = null
      },
    })
  }
  const stop = () => {
    if (current.current) void api.call('prepare.cancel', { runId: current.current })
  }
  const reset = () => {
    current.current = null
    running.reset()
  }

  return { state: runState(running, progress), startFor, stop, reset }
}

function runState(
  running: UseMutationResult<PrepareResult, UserFacingError, Pass>,
  progress: { runId: string; progress: PrepareProgress } | null,
): RunState {
  const pass = running.variables
  if (!pass) return { status: 'idle' }
  const { runId, key, fileId } = pass
  if (running.data) return { status: 'done', runId, key, fileId, result: running.data }
  if (running.error)
    return running.error.code === 'cancelled'
      ? { status: 'stopped', key }
      : { status: 'failed', key, problem: running.error }
  return { status: 'running', runId, key, fileId, progress: progress?.runId === runId ? progress.progress : null }
}
