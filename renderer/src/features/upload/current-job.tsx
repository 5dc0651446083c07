/**
 * Which prepared job the Upload, Send and Report steps work on: the one the Prepare session made,
 * or an earlier job the person opened from the list of jobs (or the one whose upload was running
 * when the app started).
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react'
import { usePrepareSession } from '../prepare/session'

export interface CurrentJob {
  /** The job to upload, send and report on; null until a file is prepared or a job opened. */
  jobId: string | null
  /** True when the job is an earlier one the person opened, not the file open in Prepare. */
  resumed: boolean
  /** Work on an earlier job; null: on the file open in Prepare. */
  chooseJob(jobId: string | null): void
}

const JobContext = createContext<CurrentJob | null>(null)

export function useCurrentJob(): CurrentJob {
  const job = useContext(JobContext)
  if (!job) throw new Error('useCurrentJob() used outside <UploadJobProvider>')
  return job
}

export function UploadJobProvider({ initialJobId, children }: { initialJobId?: string | null; children: ReactNode }) {
  const { run, runsFinished } = usePrepareSession()
  const prepared = run.status === 'done' ? run.result.jobId : null
  // The earlier job chosen, and how many full passes had finished then: a file prepared since is
  // what the person works on now.
  const [chosen, setChosen] = useState<{ jobId: string; after: number } | null>(
    initialJobId ? { jobId: initialJobId, after: runsFinished } : null,
  )
  const resumedJob = chosen && chosen.after === runsFinished ? chosen.jobId : null

  const value = useMemo<CurrentJob>(
    () => ({
      jobId: resumedJob ?? prepared,
      resumed: resumedJob !== null && resumedJob !== prepared,
      chooseJob: (jobId) => setChosen(jobId ? { jobId, after: runsFinished } : null),
    }),
    [resumedJob, prepared, runsFinished],
  )
  return <JobContext.Provider value={value}>{children}</JobContext.Provider>
}
