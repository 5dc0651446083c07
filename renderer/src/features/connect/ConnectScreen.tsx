import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Loader,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core'
import { useCallback, useEffect, useState } from 'react'
import type { AccountStatus, SignInPrompt } from './types'
import type { ContractErrorData } from '../../../../shared/errors'
import { errorData, useApi } from '../../common/api/client'
import { ProblemAlert } from '../../common/components/ProblemAlert'

type Phase = { step: 'loading' } | { step: 'idle' } | { step: 'connecting'; practice: boolean; prompt?: SignInPrompt }

/**
 * Step 1: connect a Constant Contact account once, or try the practice account. Secrets stay in main
 * (the OS keychain); this screen only ever sees who is connected.
 */
export function ConnectScreen({
  onContinue,
  onStatus,
}: {
  onContinue: () => void
  onStatus?: (status: AccountStatus) => void
}) {
  const api = useApi()
  const [status, setStatus] = useState<AccountStatus | null>(null)
  const [hasApiKey, setHasApiKey] = useState(false)
  const [apiKey, setApiKey] = useState('')
  const [phase, setPhase] = useState<Phase>({ step: 'loading' })
  const [problem, setProblem] = useState<ContractErrorData | null>(null)

  const update = useCallback(
    (next: AccountStatus) => {
      setStatus(next)
      onStatus?.(next)
    },
    [onStatus],
  )

  useEffect(() => {
    let live = true
    Promise.all([api.call('account.status'), api.call('account.hasApiKey')]).then(
      ([current, keySaved]) => {
        if (!live) return
        update(current)
        setHasApiKey(keySaved)
        setPhase({ step: 'idle' })
      },
      (error: unknown) => {
        if (!live) return
        setProblem(errorData(error))
        setPhase({ step: 'idle' })
      },
    )
    return () => {
      live = false
    }
  }, [api, update])

  useEffect(
    () =>
      api.subscribe('account.signIn', (prompt) => setPhase((p) => (p.step === 'connecting' ? { ...p, prompt } : p))),
    [api],
  )

  const connect = async (practice: boolean, mode: 'browser' | 'device' = 'browser') => {
    setProblem(null)
    setPhase({ step: 'connecting', practice })
    try {
      update(await api.call('account.connect', { mode, practice }))
    } catch (error) {
      const data = errorData(error)
      if (data.code !== 'cancelled') setProblem(data)
    } finally {
      setPhase({ step: 'idle' })
    }
  }

  const saveKey = async () => {
    setProblem(null)
    try {
      await api.call('account.saveApiKey', { apiKey })
      setHasApiKey(true)
      setApiKey('')
    } catch (error) {
      setProblem(errorData(error))
    }
  }

  const disconnect = async () => {
    setProblem(null)
    try {
      update(await api.call('account.disconnect'))
    } catch (error) {
      setProblem(errorData(error))
    }
  }

  if (phase.step === 'loading') return <Loader aria-label="Checking your Constant Contact connection" />

  return (
    <Stack gap="lg" maw={960}>
      <Title order={2}>Your Constant Contact account</Title>
      {problem && <ProblemAlert problem={problem} onClose={() => setProblem(null)} />}
      {status?.needsReconnect && !status.connected && (
        <Alert color="yellow" title="Your Constant Contact sign-in has ended">
          Connect again to go on. Nothing you prepared or uploaded is lost; unfinished work continues where it stopped.
        </Alert>
      )}

      {status?.connected ? (
        <Card withBorder>
          <Stack gap="sm">
            <Group gap="sm">
              <Text fw={600} data-testid="connected-account">
                Connected to {status.accountName ?? 'your Constant Contact account'}
              </Text>
              {status.practice && (
                <Badge color="violet" variant="filled">
                  Practice account
                </Badge>
              )}
            </Group>
            {status.email && <Text size="sm">Account email: {status.email}</Text>}
            {status.practice && (
              <Text size="sm">
                This is a pretend Constant Contact that runs only on this computer. Nothing you do here reaches real
                customers.
              </Text>
            )}
            <Group>
              <Button onClick={onContinue}>Continue to Import</Button>
              <Button variant="default" onClick={() => void disconnect()}>
                Disconnect
              </Button>
            </Group>
          </Stack>
        </Card>
      ) : phase.step === 'connecting' ? (
        <SignInWaiting
          practice={phase.practice}
          prompt={phase.prompt}
          onCancel={() => void api.call('account.cancelConnect')}
        />
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Card withBorder>
            <Stack gap="sm">
              <Title order={3}>Connect your Constant Contact account</Title>
              <Text size="sm">
                You sign in on Constant Contact’s own page, in your browser. Splitsend keeps the sign-in in this
                computer’s password store.
              </Text>
              {hasApiKey ? (
                <Group>
                  <Button onClick={() => void connect(false)}>Connect in your browser</Button>
                  <Button variant="subtle" onClick={() => void connect(false, 'device')}>
                    Use a code instead
                  </Button>
                </Group>
              ) : (
                <Stack gap="xs">
                  <PasswordInput
                    label="Splitsend’s API key"
                    description="Your administrator gets it from the Constant Contact developer portal (it is also called the client ID). You enter it once."
                    value={apiKey}
                    onChange={(event) => setApiKey(event.currentTarget.value)}
                    autoComplete="off"
                  />
                  <Button w="fit-content" disabled={apiKey.trim() === ''} onClick={() => void saveKey()}>
                    Save the API key
                  </Button>
                  {status?.redirectUri && (
                    <Text size="sm">
                      For your administrator: in the developer portal, the app’s redirect address must be exactly{' '}
                      <Code>{status.redirectUri}</Code>
                    </Text>
                  )}
                </Stack>
              )}
            </Stack>
          </Card>
          <Card withBorder>
            <Stack gap="sm">
              <Title order={3}>Try it with a practice account</Title>
              <Text size="sm">
                A pretend Constant Contact on this computer, with a few lists and two draft messages. No account or
                internet needed, and nothing reaches real customers.
              </Text>
              <Button variant="light" w="fit-content" onClick={() => void connect(true)}>
                Use the practice account
              </Button>
            </Stack>
          </Card>
        </SimpleGrid>
      )}

      {!status?.connected && phase.step !== 'connecting' && (
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

function SignInWaiting({
  practice,
  prompt,
  onCancel,
}: {
  practice: boolean
  prompt: SignInPrompt | undefined
  onCancel: () => void
}) {
  const api = useApi()
  return (
    <Card withBorder aria-live="polite">
      <Stack gap="sm">
        <Group gap="sm">
          <Loader size="sm" aria-hidden />
          <Text fw={600}>
            {practice ? 'Connecting the practice account…' : 'Waiting for you to sign in to Constant Contact…'}
          </Text>
        </Group>
        {prompt?.kind === 'browser' && !practice && (
          <Text size="sm">
            Constant Contact’s sign-in page should have opened in your browser. If it didn’t,{' '}
            <Anchor
              component="button"
              type="button"
              onClick={() => void api.call('links.openExternal', { url: prompt.url })}
            >
              open the sign-in page
            </Anchor>
            .
          </Text>
        )}
        {prompt?.kind === 'device' && (
          <Text size="sm">
            Go to{' '}
            <Anchor
              component="button"
              type="button"
              onClick={() =>
                void api.call('links.openExternal', { url: prompt.verificationUriComplete ?? prompt.verificationUri })
              }
            >
              {prompt.verificationUri}
            </Anchor>{' '}
            and enter this code: <Code fz="lg">{prompt.userCode}</Code>
          </Text>
        )}
        <Button variant="default" w="fit-content" onClick={onCancel}>
          Cancel
        </Button>
      </Stack>
    </Card>
  )
}
