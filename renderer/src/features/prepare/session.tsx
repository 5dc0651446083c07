/**
 * The Prepare session: the file the person opened, how it is read, their mapping choices and the
 * full pass. Shared by the Import, Map and Review screens, so moving back and forth loses nothing.
 *
 * The full pass starts in the background as soon as the file is read with a usable suggestion (so
 * the exact row count and the groups are often ready by the time the person reaches Review), and
 * again whenever Review finds the choices have changed since.
 *
 * Opening, reading and the pass are actions (TanStack Query mutations): when the person asks again
 * before an answer comes (drops another file, picks another encoding), only the answer to the last
 * request is taken.
 */
import { useMutation, type UseMutationResult } from '@tanstack/react-query'
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import type { UserFacingError } from '../../../../shared/errors'
import { useApi } from '../../common/api/client'
import { lastActionProblem } from '../../common/api/queries'
import {
  draftFromSuggestion,
  draftProblems,
  flagAssignments,
  prepareOptions,
  resolvedReadOptions,
  runKey,
  type MappingDraft,
} from './mapping'
import type {
  AttachedFile,
  FlagValueCount,
  Inspection,
  PrepareOptions,
  PrepareProgress,
  PrepareResult,
  ReadOptions,
} from './types'

export type RunState =
  | { status: 'idle' }
  | { status: 'running'; runId: string; key: string; progress: PrepareProgress | null }
  | { status: 'done'; runId: string; key: string; fileId: string; result: PrepareResult }
  | { status: 'failed'; key: string; problem: UserFacingError }
  | { status: 'stopped'; key: string }

export interface LoadedFile {
  file: AttachedFile
  /** What the person changed about how the file is read; everything else is detected. */
  read: ReadOptions
  inspection: Inspection
  draft: MappingDraft
  /** Distinct values of the chosen flag column in the first rows, with their counts. */
  flagSample: FlagValueCount[]
}

export interface PrepareSession {
  /** The file being opened or read again, while that takes. */
  reading: { name: string } | null
  loaded: LoadedFile | null
  /** Why the last file could not be opened or read. */
  problem: UserFacingError | null
  dismissProblem(): void
  /** Stops waiting for the file being opened or read again. */
  abandonReading(): void
  /** `name` is known for a dropped file, so "Reading …" can show while its bytes are handed over. */
  openFile(attach: () => Promise<AttachedFile | null>, name?: string): void
  changeReading(change: ReadOptions): void
  updateDraft(update: (draft: MappingDraft) => MappingDraft): void
  /** What still stops the full pass from starting, in plain words. */
  blockers: string[]
  run: RunState
  /** How many full passes have finished so far (a newly prepared file replaces a job chosen before). */
  runsFinished: number
  /** The key of the pass the current choices call for; null when they can't run yet. */
  currentKey: string | null
  startRun(): void
  stopRun(): void
}

const SessionContext = createContext<PrepareSession | null>(null)

export function usePrepareSession(): PrepareSession {
  const session = useContext(SessionContext)
  if (!session) throw new Error('usePrepareSession() used outside <PrepareSessionProvider>')
  return session
}

interface Attach {
  attach(): Promise<AttachedFile | null>
  /** Known for a dropped file; a picked file's name is known once it is picked. */
  name?: string
}

interface Inspect {
  file: AttachedFile
  read: ReadOptions
  /** The draft so far, whose group names, flag choices and conflict rule carry over. */
  previous: MappingDraft | undefined
}

interface Pass {
  fileId: string
  runId: string
  key: string
  options: PrepareOptions
}

export function PrepareSessionProvider({ children }: { children: ReactNode }) {
  const api = useApi()
  const [loaded, setLoaded] = useState<LoadedFile | null>(null)
  /** The latest file for the actions' callbacks, which run after the render that made them. */
  const loadedRef = useRef<LoadedFile | null>(null)
  const keepLoaded = (next: LoadedFile | null) => {
    loadedRef.current = next
    setLoaded(next)
  }

  const attaching = useMutation({ mutationFn: ({ attach }: Attach) => attach() })
  const inspecting = useMutation({
    mutationFn: async ({ file, read, previous }: Inspect): Promise<LoadedFile> => {
      const inspection = await api.call('prepare.inspect', { fileId: file.fileId, read })
      return {
        file,
        read,
        inspection,
        draft: draftFromSuggestion(inspection, previous),
        flagSample: inspection.flagValues,
      }
    },
  })
  const sampling = useMutation({
    mutationFn: (target: LoadedFile) =>
      api.call('prepare.inspect', {
        fileId: target.file.fileId,
        read: resolvedReadOptions(target.inspection),
        flagColumn: target.draft.flagColumn,
        flags: flagAssignments(target.draft),
      }),
  })
  const pass = usePass()

  const inspect = (request: Inspect, fresh: boolean) =>
    inspecting.mutate(request, {
      onSuccess: (next) => {
        keepLoaded(next)
        pass.startFor(next)
      },
      // A new file that can't be read replaces the old one; a new way of reading keeps what was there.
      onError: () => fresh && keepLoaded(null),
    })

  const openFile = (attach: () => Promise<AttachedFile | null>, name?: string) => {
    inspecting.reset()
    attaching.mutate(name === undefined ? { attach } : { attach, name }, {
      onSuccess: (file) => {
        if (!file) return
        pass.stop()
        pass.reset()
        inspect({ file, read: {}, previous: loadedRef.current?.draft }, true)
      },
    })
  }

  const changeReading = (change: ReadOptions) => {
    const current = loadedRef.current
    if (!current) return
    const read: ReadOptions = { ...current.read, ...change }
    // Another sheet has its own header row.
    if (change.sheet !== undefined && change.headerRow === undefined) delete read.headerRow
    inspect({ file: current.file, read, previous: current.draft }, false)
  }

  /** Counts the new flag column's values in the first rows (the engine reads them the same way as before). */
  const sampleFlagValues = (target: LoadedFile) => {
    if (target.draft.flagColumn < 0) {
      sampling.reset()
      keepLoaded({ ...target, flagSample: [] })
      return
    }
    sampling.mutate(target, {
      onSuccess: (result) => {
        const latest = loadedRef.current
        if (latest && latest.file.fileId === target.file.fileId)
          keepLoaded({ ...latest, flagSample: result.flagValues })
      },
    })
  }

  const updateDraft = (update: (draft: MappingDraft) => MappingDraft) => {
    const current = loadedRef.current
    if (!current) return
    const next = { ...current, draft: update(current.draft) }
    keepLoaded(next)
    if (next.draft.flagColumn !== current.draft.flagColumn) sampleFlagValues(next)
  }

  const blockers = useMemo(() => (loaded ? draftProblems(loaded.draft, loaded.inspection) : []), [loaded])
  const currentKey = useMemo(
    () =>
      loaded && blockers.length === 0
        ? runKey(loaded.file.fileId, prepareOptions(loaded.draft, loaded.inspection))
        : null,
    [loaded, blockers],
  )
  const readingName = attaching.isPending
    ? (attaching.variables.name ?? null)
    : inspecting.isPending
      ? inspecting.variables.file.name
      : null
  const problem = lastActionProblem(attaching, inspecting, sampling)

  const value: PrepareSession = {
    reading: readingName === null ? null : { name: readingName },
    loaded,
    problem: problem?.problem ?? null,
    dismissProblem: () => problem?.dismiss(),
    abandonReading: () => {
      attaching.reset()
      inspecting.reset()
    },
    openFile,
    changeReading,
    updateDraft,
    blockers,
    run: pass.state,
    runsFinished: pass.finished,
    currentKey,
    startRun: () => loadedRef.current && pass.startFor(loadedRef.current),
    stopRun: pass.stop,
  }
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

/** The full pass: started for a file's current choices, followed by its progress events, stoppable. */
function usePass() {
  const api = useApi()
  const running = useMutation({
    mutationFn: ({ fileId, runId, options }: Pass) => api.call('prepare.run', { fileId, runId, options }),
  })
  const [progress, setProgress] = useState<{ runId: string; progress: PrepareProgress } | null>(null)
  const [finished, setFinished] = useState(0)
  /** The pass under way, for stopping it from a callback made before it started. */
  const current = useRef<string | null>(null)

  useEffect(() => api.subscribe('prepare.progress', setProgress), [api])

  const startFor = (target: LoadedFile) => {
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
      onSuccess: () => setFinished((n) => n + 1),
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

  return { state: runState(running, progress), finished, startFor, stop, reset }
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
  return { status: 'running', runId, key, progress: progress?.runId === runId ? progress.progress : null }
}
