import { Center, Loader } from '@mantine/core'
import { useRequest } from '../common/api/queries'
import { useAccountStatus } from '../features/connect/account'
import { JOBS } from '../features/jobs/use-jobs'
import { PrepareSessionProvider } from '../features/prepare/session'
import { RoutineRunProvider } from '../features/routines/routine-run'
import { UploadJobProvider } from '../features/upload/current-job'
import { Shell } from './Shell'
import { Steps } from './Steps'
import type { Place } from './steps'

/**
 * The app: until an account is connected it opens on Connect (with the practice account on offer);
 * afterwards on the list of jobs, with this month's spreadsheet one click away. An upload still
 * running (the page was reloaded, or the window closed and opened again) opens at once where it is.
 * The Prepare session and the current job live above the steps, so moving between steps loses nothing.
 */
export function App() {
  const account = useAccountStatus()
  const jobs = useRequest(JOBS)
  // The first answers (or failures) decide where the app opens; reading them again later ("Try
  // again" after a failure, the list read again) must not start the app over and lose the work in it.
  const answered = (query: { dataUpdatedAt: number; errorUpdatedAt: number }) =>
    query.dataUpdatedAt > 0 || query.errorUpdatedAt > 0
  if (!answered(account) || !answered(jobs)) {
    return (
      <Shell>
        <Center py="xl">
          <Loader role="status" aria-label="Starting Splitsend" />
        </Center>
      </Shell>
    )
  }
  const running = jobs.data?.find((job) => job.upload.state === 'running' || job.upload.state === 'paused')
  const first: Place = running ? 'upload' : account.data?.connected ? 'jobs' : 'connect'
  return (
    <PrepareSessionProvider>
      <UploadJobProvider initialJobId={running?.jobId ?? null}>
        <RoutineRunProvider>
          <Steps first={first} />
        </RoutineRunProvider>
      </UploadJobProvider>
    </PrepareSessionProvider>
  )
}
