/**
 * A run that came from a routine: which routine, the file it was started with, and what differs
 * from the routine. The Prepare session holds the file and the choices (pre-filled from the
 * routine); this only remembers the routine, so Review can show its warnings first, and Upload and
 * Send can offer its lists and campaigns — for the job prepared from that file, never another.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { createContext, useContext, useState, type ReactNode } from 'react'
import type { UserFacingError } from '../../../../shared/errors'
import { useApi } from '../../common/api/client'
import { requestKey } from '../../common/api/queries'
import { draftFromOptions, draftFromSuggestion } from '../prepare/mapping'
import { usePrepareSession } from '../prepare/session'
import type { AttachedFile } from '../prepare/types'
import type { Routine, RoutineCheck } from './types'

export interface ActiveRoutineRun {
  routine: Routine
  fileId: string
  fileName: string
  differences: RoutineCheck['differences']
  /** Every mapped column was found: the routine's mapping is applied as is. */
  mapped: boolean
  /** The person looked at what differs and went on (Review is then the next screen). */
  confirmed: boolean
}

export interface RoutineRuns {
  active: ActiveRoutineRun | null
  /** Opening the new file and comparing it with the routine. */
  starting: { name: string } | null
  problem: UserFacingError | null
  dismissProblem(): void
  /** Opens a file for the routine, compares it with the routine and pre-fills every choice; then `onStarted`. */
  start(routine: Routine, attach: () => Promise<AttachedFile | null>, onStarted?: () => void): void
  confirm(): void
  /** Leaves the routine: the file stays open, as a run of its own. */
  stop(): void
  /** The routine's name, if this job was prepared from the routine's run. */
  routineOfJob(jobId: string | null): Routine | null
  /** After a save: the run is one of this routine's now. */
  adopt(routine: Routine): void
}

const RoutineRunContext = createContext<RoutineRuns | null>(null)

export function useRoutineRuns(): RoutineRuns {
  const value = useContext(RoutineRunContext)
  if (!value) throw new Error('useRoutineRuns() used outside <RoutineRunProvider>')
  return value
}

export function RoutineRunProvider({ children }: { children: ReactNode }) {
  const api = useApi()
  const session = usePrepareSession()
  const queryClient = useQueryClient()
  const [active, setActive] = useState<ActiveRoutineRun | null>(null)
  const starting = useMutation({
    mutationFn: async ({ routine, attach }: { routine: Routine; attach: () => Promise<AttachedFile | null> }) => {
      const file = await attach()
      if (!file) return null
      const check = await api.call('routines.check', { name: routine.name, fileId: file.fileId })
      return { routine, file, check }
    },
  })

  const start: RoutineRuns['start'] = (routine, attach, onStarted) =>
    starting.mutate(
      { routine, attach },
      {
        onSuccess: (started) => {
          if (!started) return
          const { routine, file, check } = started
          // A column the routine maps that can't be placed: the suggestion, with the routine's flags and names.
          const draft = check.options
            ? draftFromOptions(check.options)
            : draftFromSuggestion(check.inspection, draftFromOptions(routineChoices(routine)))
          session.loadPrepared({
            file,
            read: check.read,
            inspection: check.inspection,
            draft,
            flagSample: check.inspection.flagValues,
            blankSample: check.inspection.blankFlags,
            template: null,
            differences: [],
          })
          setActive({
            routine,
            fileId: file.fileId,
            fileName: file.name,
            differences: check.differences,
            mapped: check.options !== null,
            confirmed: false,
          })
          onStarted?.()
        },
      },
    )

  const loadedFileId = session.loaded?.file.fileId ?? null
  const preparedJob = session.run.status === 'done' ? session.run : null
  // The routine's run ends when another file is opened.
  const current = active && active.fileId === loadedFileId ? active : null

  const value: RoutineRuns = {
    active: current,
    starting: starting.isPending ? { name: starting.variables.routine.name } : null,
    problem: starting.error,
    dismissProblem: starting.reset,
    start,
    confirm: () => setActive((a) => (a ? { ...a, confirmed: true } : a)),
    stop: () => setActive(null),
    routineOfJob: (jobId) =>
      current && jobId && preparedJob?.fileId === current.fileId && preparedJob.result.jobId === jobId
        ? current.routine
        : null,
    adopt: (routine) => {
      void queryClient.invalidateQueries({ queryKey: requestKey('routines.list') })
      void queryClient.invalidateQueries({ queryKey: requestKey('routines.show') })
      if (!loadedFileId) return
      setActive((a) =>
        a && a.fileId === loadedFileId
          ? { ...a, routine }
          : {
              routine,
              fileId: loadedFileId,
              fileName: session.loaded!.file.name,
              differences: [],
              mapped: true,
              confirmed: true,
            },
      )
    },
  }
  return <RoutineRunContext.Provider value={value}>{children}</RoutineRunContext.Provider>
}

/** The routine's flag values, conflict rule and group names, as Prepare options (without a mapping). */
function routineChoices(routine: Routine) {
  const { blank: _blank, ...flags } = routine.flags
  const noMapping = { emailColumn: -1, flagColumn: -1, fields: [] }
  return { ...flags, mapping: noMapping, onConflict: routine.onConflict, groupNames: routine.groupNames }
}
