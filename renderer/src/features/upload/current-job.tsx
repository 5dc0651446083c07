/**
 * Which prepared job the Upload, Send and Report steps work on: the one the Prepare session made,
 * or an earlier job the person opened from the list of jobs (or the one whose upload was running
 * when the app started).
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react'
import type { MappingDraft } from '../prepare/mapping'
import { usePrepareSession } from '../prepare/session'
import { earlierListsOf, type EarlierLists } from './list-choices'

export interface CurrentJob {
  /** The job to upload, send and report on; null until a file is prepared or a job opened. */
  jobId: string | null
  /** True when the job is an earlier one the person opened, not the file open in Prepare. */
  resumed: boolean
  /** Work on an earlier job; null: on the file open in Prepare. */
  chooseJob(jobId: string | null): void
  /**
   * For the job the Prepare session just made: which group names are still Splitsend's
   * suggestion (the Upload step asks before making a list of one). Null for an earlier job.
   */
  namesChosenBy: MappingDraft['namesChosenBy'] | null
  /**
   * For the job the Prepare session just made from earlier choices (a picked job's, or the last run's
   * with these columns): where each group went then, and whose choices they were.
   */
  earlierLists: EarlierLists | null
}

const JobContext = createContext<CurrentJob | null>(null)

export function useCurrentJob(): CurrentJob {
  const job = useContext(JobContext)
  if (!job) throw new Error('useCurrentJob() used outside <UploadJobProvider>')
  return job
}

export function UploadJobProvider({ initialJobId, children }: { initialJobId?: string | null; children: ReactNode }) {
  const { run, loaded } = usePrepareSession()
  const prepared = run.status === 'done' ? run.result.jobId : null
  // The earlier job opened stays the one worked on until the person leaves it for a file (a new one,
  // or one opened with its choices, once reviewed): a pass of another file finishing in the
  // background meanwhile doesn't take its place.
  const [chosen, setChosen] = useState<string | null>(initialJobId ?? null)

  const namesChosenBy = loaded?.draft.namesChosenBy ?? null
  const earlierLists = useMemo(
    () => (loaded ? earlierListsOf(loaded.template, loaded.draft.lastRun?.lists) : null),
    [loaded],
  )
  const value = useMemo<CurrentJob>(
    () => ({
      jobId: chosen ?? prepared,
      resumed: chosen !== null && chosen !== prepared,
      chooseJob: setChosen,
      namesChosenBy: chosen === null ? namesChosenBy : null,
      earlierLists: chosen === null ? earlierLists : null,
    }),
    [chosen, prepared, namesChosenBy, earlierLists],
  )
  return <JobContext.Provider value={value}>{children}</JobContext.Provider>
}
