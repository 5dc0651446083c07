/**
 * Which prepared job the Upload and Report steps work on: the one the Prepare session just made,
 * or an earlier job the person chose to resume (from the unfinished uploads offered on start).
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react'
import type { MappingDraft } from '../prepare/mapping'
import { usePrepareSession } from '../prepare/session'

export interface CurrentJob {
  /** The job to upload and report on; null until a file is prepared or an unfinished job chosen. */
  jobId: string | null
  /** True when the job is an earlier one the person chose to resume, not the file open in Prepare. */
  resumed: boolean
  /** Work on an earlier job (resuming its unfinished upload). */
  chooseJob(jobId: string): void
  /**
   * For the job the Prepare session just made: which group names are still Splitsend's
   * suggestion (the Upload step asks before making a list of one). Null for an earlier job.
   */
  namesChosenBy: MappingDraft['namesChosenBy'] | null
  /** For the job the Prepare session just made from the last run's choices: where each group went then. */
  lastLists: NonNullable<NonNullable<MappingDraft['lastRun']>['lists']> | null
}

const JobContext = createContext<CurrentJob | null>(null)

export function useCurrentJob(): CurrentJob {
  const job = useContext(JobContext)
  if (!job) throw new Error('useCurrentJob() used outside <UploadJobProvider>')
  return job
}

export function UploadJobProvider({ children }: { children: ReactNode }) {
  const { run, runsFinished, loaded } = usePrepareSession()
  const prepared = run.status === 'done' ? run.result.jobId : null
  // The earlier job chosen, and how many full passes had finished then: a file prepared since is
  // what the person works on now.
  const [chosen, setChosen] = useState<{ jobId: string; after: number } | null>(null)
  const resumedJob = chosen && chosen.after === runsFinished ? chosen.jobId : null

  const namesChosenBy = loaded?.draft.namesChosenBy ?? null
  const lastLists = loaded?.draft.lastRun?.lists ?? null
  const value = useMemo<CurrentJob>(
    () => ({
      jobId: resumedJob ?? prepared,
      resumed: resumedJob !== null && resumedJob !== prepared,
      chooseJob: (jobId) => setChosen({ jobId, after: runsFinished }),
      namesChosenBy: resumedJob === null ? namesChosenBy : null,
      lastLists: resumedJob === null ? lastLists : null,
    }),
    [resumedJob, prepared, runsFinished, namesChosenBy, lastLists],
  )
  return <JobContext.Provider value={value}>{children}</JobContext.Provider>
}
