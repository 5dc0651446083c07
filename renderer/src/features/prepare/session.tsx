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
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react'
import type { UserFacingError } from '../../../../shared/errors'
import { ask, lastActionProblem, useRequest } from '../../common/api/queries'
import type { JobChoices } from '../jobs/types'
import { draftProblems, prepareOptions, runKey, type MappingDraft } from './mapping'
import type { AttachedFile, FlagValueCount, Inspection, PrepareProgress, PrepareResult, ReadOptions } from './types'
import { useFileReading, useFlagSampling, useLoadedFile } from './use-file'
import { usePass } from './use-pass'

export type RunState =
  | { status: 'idle' }
  | { status: 'running'; runId: string; key: string; fileId: string; progress: PrepareProgress | null }
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
  /** Rows among the first rows whose flag cell is empty. */
  blankSample: number
  /** The earlier job whose choices this file was opened with, if any. */
  template: JobChoices | null
  /** What of those choices could not be carried over to this file, in plain words. */
  differences: string[]
}

/**
 * A job of this session whose upload has started: its columns and groups are the ones its upload and
 * report describe, so they can't change any more, unless the person asks for a new job from the same
 * file and choices (the old job then stays as it was, in the list of jobs).
 */
export interface UploadedJobLock {
  jobId: string
  /** Lets the choices change again; the next full pass makes a new job. */
  newJob(): void
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
  /** The earlier job's choices the next opened file gets ("Start the next file with these choices"). */
  template: JobChoices | null
  setTemplate(choices: JobChoices | null): void
  /** The choices the file open now was opened with, once it has been prepared as `jobId`. */
  templateOf(jobId: string): JobChoices | null
  /** Set when the prepared job's upload has started: the choices can't change (see {@link UploadedJobLock}). */
  locked: UploadedJobLock | null
  changeReading(change: ReadOptions): void
  /** Takes a file already read with a draft made elsewhere (a routine's choices), and starts the pass. */
  loadPrepared(next: LoadedFile): void
  updateDraft(update: (draft: MappingDraft) => MappingDraft): void
  /** What still stops the full pass from starting, in plain words. */
  blockers: string[]
  run: RunState
  /** The key of the pass the current choices call for; null when they can't run yet. */
  currentKey: string | null
  startRun(): void
  stopRun(): void
  /** Puts the file away, ready for the next one (its job folder stays as it is). */
  startOver(): void
}

const SessionContext = createContext<PrepareSession | null>(null)

export function usePrepareSession(): PrepareSession {
  const session = useContext(SessionContext)
  if (!session) throw new Error('usePrepareSession() used outside <PrepareSessionProvider>')
  return session
}

export function PrepareSessionProvider({ children }: { children: ReactNode }) {
  const file = useLoadedFile()
  const pass = usePass()
  const reading = useFileReading(file, pass)
  const sampling = useFlagSampling(file)
  const { loaded } = file
  const [template, setTemplate] = useState<JobChoices | null>(null)
  const locked = useUploadedJobLock(pass.state)

  const updateDraft = (update: (draft: MappingDraft) => MappingDraft) => {
    const current = file.latest()
    if (!current || locked) return
    const next = { ...current, draft: update(current.draft) }
    file.keep(next)
    if (next.draft.flagColumn !== current.draft.flagColumn) sampling.sample(next)
  }

  const blockers = useMemo(() => (loaded ? draftProblems(loaded.draft, loaded.inspection) : []), [loaded])
  const currentKey = useMemo(
    () =>
      loaded && blockers.length === 0
        ? runKey(loaded.file.fileId, prepareOptions(loaded.draft, loaded.inspection))
        : null,
    [loaded, blockers],
  )
  const problem = lastActionProblem(reading.attaching, reading.inspecting, sampling.sampling)

  const value: PrepareSession = {
    reading: reading.name === null ? null : { name: reading.name },
    loaded,
    problem: problem?.problem ?? null,
    dismissProblem: () => problem?.dismiss(),
    abandonReading: reading.abandon,
    openFile: (attach, name) => reading.openFile(attach, name, template),
    changeReading: (change) => {
      if (!locked) reading.changeReading(change)
    },
    template,
    setTemplate,
    templateOf: (jobId) =>
      pass.state.status === 'done' && pass.state.result.jobId === jobId ? (loaded?.template ?? null) : null,
    locked,
    loadPrepared: (next) => {
      reading.abandon()
      pass.stop()
      pass.reset()
      file.keep(next)
      pass.startFor(next)
    },
    updateDraft,
    blockers,
    run: pass.state,
    currentKey,
    startRun: () => {
      const current = file.latest()
      if (current && !locked) pass.startFor(current)
    },
    stopRun: pass.stop,
    startOver: () => {
      pass.stop()
      pass.reset()
      reading.abandon()
      sampling.sampling.reset()
      file.keep(null)
    },
  }
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

/** The lock on the prepared job's choices once its upload has started (as the Upload step's own status says). */
function useUploadedJobLock(run: RunState): UploadedJobLock | null {
  const jobId = run.status === 'done' ? run.result.jobId : null
  const status = useRequest(jobId ? ask('upload.status', { jobId }) : null)
  const [released, setReleased] = useState<string | null>(null)
  const started = !!status.data && (status.data.journal !== null || status.data.run !== 'none')
  if (!jobId || !started || released === jobId) return null
  return { jobId, newJob: () => setReleased(jobId) }
}
