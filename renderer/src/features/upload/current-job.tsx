/**
 * Which prepared job the Upload and Report steps work on: the one the Prepare session just made,
 * or an earlier job the person chose to resume (from the unfinished uploads offered on start).
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { usePrepareSession } from '../prepare/session'

export interface CurrentJob {
  /** The job to upload and report on; null until a file is prepared or an unfinished job chosen. */
  jobId: string | null
  /** True when the job is an earlier one the person chose to resume, not the file open in Prepare. */
  resumed: boolean
  /** Work on an earlier job (resuming its unfinished upload). */
  chooseJob(jobId: string): void
}

const JobContext = createContext<CurrentJob | null>(null)

export function useCurrentJob(): CurrentJob {
  const job = useContext(JobContext)
  if (!job) throw new Error('useCurrentJob() used outside <UploadJobProvider>')
  return job
}

export function UploadJobProvider({ children }: { children: ReactNode }) {
  const { run } = usePrepareSession()
  const prepared = run.status === 'done' ? run.result.jobId : null
  const [chosen, setChosen] = useState<string | null>(null)

  // A file prepared after choosing an earlier job is what the person works on now.
  useEffect(() => {
    if (prepared) setChosen(null)
  }, [prepared])

  const value = useMemo<CurrentJob>(
    () => ({ jobId: chosen ?? prepared, resumed: chosen !== null && chosen !== prepared, chooseJob: setChosen }),
    [chosen, prepared],
  )
  return <JobContext.Provider value={value}>{children}</JobContext.Provider>
}
