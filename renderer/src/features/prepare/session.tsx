/**
 * The Prepare session: the file the person opened, how it is read, their mapping choices and the
 * full pass. Shared by the Import, Map and Review screens, so moving back and forth loses nothing.
 *
 * The full pass starts in the background as soon as the file is read with a usable suggestion (so
 * the exact row count and the groups are often ready by the time the person reaches Review), and
 * again whenever Review finds the choices have changed since.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import type { AttachedFile } from './types'
import type { ContractErrorData } from '../../../../shared/errors'
import type { FlagValueCount, PrepareProgress, ReadOptions } from './types'
import { errorData, useApi } from '../../common/api/client'
import {
  draftFromSuggestion,
  draftProblems,
  flagAssignments,
  prepareOptions,
  resolvedReadOptions,
  runKey,
  type MappingDraft,
} from './mapping'
import type { Inspection, PrepareResult } from './types'

export type RunState =
  | { status: 'idle' }
  | { status: 'running'; runId: string; key: string; progress: PrepareProgress | null }
  | { status: 'done'; runId: string; key: string; fileId: string; result: PrepareResult }
  | { status: 'failed'; key: string; problem: ContractErrorData }
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
  problem: ContractErrorData | null
  dismissProblem(): void
  /** Stops waiting for the file being opened or read again. */
  abandonReading(): void
  /** `name` is known for a dropped file, so "Reading …" can show while its bytes are handed over. */
  openFile(attach: () => Promise<AttachedFile | null>, name?: string): Promise<void>
  changeReading(change: ReadOptions): Promise<void>
  updateDraft(update: (draft: MappingDraft) => MappingDraft): void
  /** What still stops the full pass from starting, in plain words. */
  blockers: string[]
  run: RunState
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

function newRunId(): string {
  return crypto.randomUUID()
}

export function PrepareSessionProvider({ children }: { children: ReactNode }) {
  const api = useApi()
  const [reading, setReading] = useState<{ name: string } | null>(null)
  const [loaded, setLoaded] = useState<LoadedFile | null>(null)
  const [problem, setProblem] = useState<ContractErrorData | null>(null)
  const [run, setRun] = useState<RunState>({ status: 'idle' })
  const loadedRef = useRef<LoadedFile | null>(null)
  const runRef = useRef<RunState>(run)
  /** Answers to older inspections are dropped when a newer one has been asked for. */
  const inspection = useRef(0)
  const flagSampling = useRef(0)

  const keepLoaded = useCallback((next: LoadedFile | null) => {
    loadedRef.current = next
    setLoaded(next)
  }, [])
  const keepRun = useCallback((next: RunState) => {
    runRef.current = next
    setRun(next)
  }, [])

  useEffect(
    () =>
      api.subscribe('prepare.progress', ({ runId, progress }) => {
        const current = runRef.current
        if (current.status === 'running' && current.runId === runId) keepRun({ ...current, progress })
      }),
    [api, keepRun],
  )

  const startRunFor = useCallback(
    (target: LoadedFile) => {
      if (draftProblems(target.draft, target.inspection).length > 0) return
      const options = prepareOptions(target.draft, target.inspection)
      const key = runKey(target.file.fileId, options)
      const runId = newRunId()
      keepRun({ status: 'running', runId, key, progress: null })
      api.call('prepare.run', { fileId: target.file.fileId, runId, options }).then(
        (result) => {
          const current = runRef.current
          if (current.status === 'running' && current.runId === runId)
            keepRun({ status: 'done', runId, key, fileId: target.file.fileId, result })
        },
        (error: unknown) => {
          const current = runRef.current
          if (current.status !== 'running' || current.runId !== runId) return
          const data = errorData(error)
          keepRun(data.code === 'cancelled' ? { status: 'stopped', key } : { status: 'failed', key, problem: data })
        },
      )
    },
    [api, keepRun],
  )

  const stopRun = useCallback(() => {
    const current = runRef.current
    if (current.status === 'running') void api.call('prepare.cancel', { runId: current.runId })
  }, [api])

  const inspect = useCallback(
    async (file: AttachedFile, read: ReadOptions, previous: MappingDraft | undefined, fresh: boolean) => {
      const ticket = ++inspection.current
      setReading({ name: file.name })
      try {
        const result = await api.call('prepare.inspect', { fileId: file.fileId, read })
        if (ticket !== inspection.current) return
        const draft = draftFromSuggestion(result, previous)
        const next: LoadedFile = { file, read, inspection: result, draft, flagSample: result.flagValues }
        keepLoaded(next)
        setProblem(null)
        startRunFor(next)
      } catch (error) {
        if (ticket !== inspection.current) return
        setProblem(errorData(error))
        // A new file that can't be read replaces the old one; a new way of reading keeps what was there.
        if (fresh) keepLoaded(null)
      } finally {
        if (ticket === inspection.current) setReading(null)
      }
    },
    [api, keepLoaded, startRunFor],
  )

  const openFile = useCallback(
    async (attach: () => Promise<AttachedFile | null>, name?: string) => {
      setProblem(null)
      const ticket = ++inspection.current
      if (name !== undefined) setReading({ name })
      let file: AttachedFile | null
      try {
        file = await attach()
      } catch (error) {
        if (ticket === inspection.current) {
          setProblem(errorData(error))
          setReading(null)
        }
        return
      }
      if (ticket !== inspection.current) return
      if (!file) return
      stopRun()
      keepRun({ status: 'idle' })
      await inspect(file, {}, loadedRef.current?.draft, true)
    },
    [inspect, keepRun, stopRun],
  )

  const changeReading = useCallback(
    async (change: ReadOptions) => {
      const current = loadedRef.current
      if (!current) return
      const read: ReadOptions = { ...current.read, ...change }
      // Another sheet has its own header row.
      if (change.sheet !== undefined && change.headerRow === undefined) delete read.headerRow
      await inspect(current.file, read, current.draft, false)
    },
    [inspect],
  )

  /** Counts the new flag column's values in the first rows (the engine reads them the same way as before). */
  const sampleFlagValues = useCallback(
    async (target: LoadedFile) => {
      const ticket = ++flagSampling.current
      if (target.draft.flagColumn < 0) {
        keepLoaded({ ...target, flagSample: [] })
        return
      }
      try {
        const result = await api.call('prepare.inspect', {
          fileId: target.file.fileId,
          read: resolvedReadOptions(target.inspection),
          flagColumn: target.draft.flagColumn,
          flags: flagAssignments(target.draft),
        })
        const latest = loadedRef.current
        if (ticket === flagSampling.current && latest && latest.file.fileId === target.file.fileId)
          keepLoaded({ ...latest, flagSample: result.flagValues })
      } catch (error) {
        if (ticket === flagSampling.current) setProblem(errorData(error))
      }
    },
    [api, keepLoaded],
  )

  const updateDraft = useCallback(
    (update: (draft: MappingDraft) => MappingDraft) => {
      const current = loadedRef.current
      if (!current) return
      const next = { ...current, draft: update(current.draft) }
      keepLoaded(next)
      if (next.draft.flagColumn !== current.draft.flagColumn) void sampleFlagValues(next)
    },
    [keepLoaded, sampleFlagValues],
  )

  const blockers = useMemo(() => (loaded ? draftProblems(loaded.draft, loaded.inspection) : []), [loaded])
  const currentKey = useMemo(
    () =>
      loaded && blockers.length === 0
        ? runKey(loaded.file.fileId, prepareOptions(loaded.draft, loaded.inspection))
        : null,
    [loaded, blockers],
  )

  const startRun = useCallback(() => {
    if (loadedRef.current) startRunFor(loadedRef.current)
  }, [startRunFor])

  const value: PrepareSession = {
    reading,
    loaded,
    problem,
    dismissProblem: () => setProblem(null),
    abandonReading: () => {
      inspection.current++
      setReading(null)
    },
    openFile,
    changeReading,
    updateDraft,
    blockers,
    run,
    currentKey,
    startRun,
    stopRun,
  }
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}
