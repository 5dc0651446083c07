import { Alert, Anchor, Button, Loader, Stack, Text, Title } from '@mantine/core'
import { useApi } from '../../common/api/client'
import { lastActionProblem } from '../../common/api/queries'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { useAccountStatus, useApiKey, useConnect, useDisconnect, useSaveApiKey, useSignInPrompt } from './account'
import { ConnectChoices } from './ConnectChoices'
import { ConnectedAccount } from './ConnectedAccount'
import { SignInWaiting } from './SignInWaiting'

/**
 * Step 1: connect a Constant Contact account once, or try the practice account. Secrets stay in main
 * (the OS keychain); this screen only ever sees who is connected.
 */
export function ConnectScreen({ onContinue }: { onContinue: () => void }) {
  const api = useApi()
  const account = useAccountStatus()
  const apiKey = useApiKey()
  const connect = useConnect()
  const disconnect = useDisconnect()
  const saveKey = useSaveApiKey()
  const signIn = useSignInPrompt()

  if (account.isPending || apiKey.isPending)
    return <Loader role="status" aria-label="Checking your Constant Contact connection" />

  const status = account.data
  const readProblem = account.error ?? apiKey.error
  // Giving up a sign-in is not a problem to report.
  const connectOutcome = { ...connect, error: connect.error?.code === 'cancelled' ? null : connect.error }
  const actionProblem = lastActionProblem(connectOutcome, disconnect, saveKey)
  const startConnecting = (practice: boolean, mode: 'browser' | 'device' = 'browser') => {
    signIn.clear()
    connect.mutate({ mode, practice })
  }

  return (
    <Stack gap="lg" maw={960}>
      <Title order={2}>Your Constant Contact account</Title>
      {readProblem && (
        <ProblemAlert problem={readProblem} onRetry={() => void Promise.all([account.refetch(), apiKey.refetch()])} />
      )}
      {actionProblem && <ProblemAlert problem={actionProblem.problem} onClose={actionProblem.dismiss} />}
      {actionProblem && (
        <OtherWayToSignIn code={actionProblem.problem.code} onConnect={(mode) => startConnecting(false, mode)} />
      )}
      {status?.practiceNotice && (
        <Alert
          color="yellow"
          title="What happened to the practice account"
          styles={{ title: { color: 'var(--mantine-color-text)' } }}
          data-testid="practice-notice"
        >
          <Text size="sm">{status.practiceNotice}</Text>
        </Alert>
      )}
      {/* The practice account's notice says why its sign-in ended: the real account's reasons would mislead. */}
      {status?.needsReconnect && !status.connected && !status.practiceNotice && (
        <Alert
          color="yellow"
          title="Your Constant Contact sign-in has ended"
          styles={{ title: { color: 'var(--mantine-color-text)' } }}
          data-testid="sign-in-ended"
        >
          <Text size="sm">
            Constant Contact no longer accepts Splitsend’s sign-in. This happens when Splitsend’s access is removed in
            your Constant Contact account, or after six months without use.
          </Text>
          <Text size="sm">
            Connect again to go on. Nothing you prepared or uploaded is lost: an upload that was running stopped safely
            and goes on where it stopped, without sending anything twice.
          </Text>
        </Alert>
      )}

      {status?.connected ? (
        <ConnectedAccount status={status} onContinue={onContinue} onDisconnect={() => disconnect.mutate()} />
      ) : connect.isPending ? (
        <SignInWaiting
          practice={connect.variables.practice}
          prompt={signIn.prompt}
          onCancel={() => void api.call('account.cancelConnect')}
        />
      ) : (
        <ConnectChoices
          apiKey={apiKey.data ?? { saved: false, ending: null }}
          justSaved={saveKey.isSuccess && !apiKey.isFetching}
          redirectUri={status?.redirectUri}
          savingKey={saveKey.isPending}
          onSaveKey={(apiKey) => saveKey.mutate({ apiKey })}
          onConnect={startConnecting}
        />
      )}

      {!status?.connected && !connect.isPending && (
        <Text size="sm">
          You can also prepare your spreadsheet first and connect later:{' '}
          <Anchor component="button" type="button" onClick={onContinue}>
            go to Import
          </Anchor>
          .
        </Text>
      )}
    </Stack>
  )
}

/**
 * An application is set up for one sign-in flow: when Constant Contact refused this one for that
 * reason, the other way is one press away.
 */
function OtherWayToSignIn({ code, onConnect }: { code: string; onConnect(mode: 'browser' | 'device'): void }) {
  if (code === 'cc_app_set_up_for_device')
    return (
      <Button w="fit-content" onClick={() => onConnect('device')}>
        Sign in with a code instead
      </Button>
    )
  if (code === 'cc_app_set_up_for_browser')
    return (
      <Button w="fit-content" onClick={() => onConnect('browser')}>
        Connect in your browser instead
      </Button>
    )
  return null
}
