import { Center, Loader } from '@mantine/core'
import { useAccountStatus } from '../features/connect/account'
import { PrepareSessionProvider } from '../features/prepare/session'
import { RoutineRunProvider } from '../features/routines/routine-run'
import { UploadJobProvider } from '../features/upload/current-job'
import { Shell } from './Shell'
import { Steps } from './Steps'

/**
 * The app: until an account is connected it opens on Connect (with the practice account on offer);
 * afterwards on Import, ready for this month's spreadsheet. The Prepare session and the current job
 * live above the steps, so moving between steps loses nothing.
 */
export function App() {
  const account = useAccountStatus()
  // The first answer (or failure) decides where the app opens; reading the account again later
  // ("Try again" after a failure) must not start the app over and lose the work in it.
  const answered = account.dataUpdatedAt > 0 || account.errorUpdatedAt > 0
  if (!answered) {
    return (
      <Shell>
        <Center py="xl">
          <Loader role="status" aria-label="Starting Splitsend" />
        </Center>
      </Shell>
    )
  }
  return (
    <PrepareSessionProvider>
      <UploadJobProvider>
        <RoutineRunProvider>
          <Steps first={account.data?.connected ? 'import' : 'connect'} />
        </RoutineRunProvider>
      </UploadJobProvider>
    </PrepareSessionProvider>
  )
}
