import type { jobsRequests } from '../../../shared/channels/jobs'
import type { Handlers } from '../contract-dispatch'
import { jobChoices, listJobs, readJob, removeJob, type LiveUpload } from './list'

/**
 * The Jobs view over the contract (see shared/channels/jobs.ts). `live` says which uploads run in
 * this session; `forget` lets the other steps drop what they keep open of a job before its folder goes.
 */
export function createJobsHandlers({
  jobsDir,
  live,
  forget,
}: {
  jobsDir: string
  live: LiveUpload
  forget(jobId: string): void | Promise<void>
}): Pick<Handlers, keyof typeof jobsRequests> {
  return {
    'jobs.list': () => listJobs(jobsDir, live),
    'jobs.get': ({ jobId }) => readJob(jobsDir, jobId, live),
    'jobs.choices': ({ jobId }) => jobChoices(jobsDir, jobId),
    'jobs.remove': async ({ jobId, deleteReport }) => {
      await forget(jobId)
      await removeJob(jobsDir, jobId, { deleteReport, live })
      return true as const
    },
  }
}
