import { Alert, Badge, Button, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { useEffect, useState, type ReactNode } from 'react'
import type { AccountStatus } from '../connect/types'
import type { UploadStatus } from './types'
import { errorData, useApi } from '../../common/api/client'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { ActivityRows } from './ActivityRows'
import { ChooseLists } from './ChooseLists'
import { PlanSummary } from './PlanSummary'
import { UploadOutcome } from './UploadOutcome'
import { UploadProgressPanel } from './UploadProgressPanel'
import { useCurrentJob } from './current-job'
import { useUploadStatus } from './use-upload-status'
import { when } from '../../common/words'

/**
 * Step 5: each group onto its own Constant Contact list. The person chooses the lists, sees the
 * plan in plain words, starts, and watches each import; they can pause, resume or cancel, and are
 * told at the end what was added and what wasn't. An upload that didn't finish (the app was
 * closed, the connection ended) is offered for resuming instead.
 */
export function UploadScreen({
  onBack,
  onConnect,
  onReport,
  onSend,
}: {
  onBack(): void
  onConnect(): void
  onReport(): void
  onSend?: () => void
}) {
  const api = useApi()
  const { jobId, resumed } = useCurrentJob()
  const { status, setStatus, problem, setProblem } = useUploadStatus(jobId)
  const [account, setAccount] = useState<AccountStatus | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    let live = true
    api.call('account.status').then(
      (current) => live && setAccount(current),
      (error: unknown) => live && setProblem(errorData(error)),
    )
    return () => {
      live = false
    }
  }, [api, setProblem])

  const act = async (work: () => Promise<UploadStatus>) => {
    setBusy(true)
    setProblem(null)
    try {
      setStatus(await work())
    } catch (error) {
      setProblem(errorData(error))
    } finally {
      setBusy(false)
    }
  }

  if (!jobId) {
    return (
      <Stack>
        <Title order={2}>Upload the groups to Constant Contact</Title>
        <Text>Prepare a spreadsheet first: open it, choose the columns and review the two groups.</Text>
        <Button w="fit-content" onClick={onBack}>
          Back
        </Button>
      </Stack>
    )
  }

  const connected = account?.connected ?? false
  const resume = () => act(() => api.call('upload.start', { jobId, start: { resume: true } }))

  let body: ReactNode
  if (!status) {
    body = problem ? null : <Loader aria-label="Reading where the upload stands" />
  } else if ((status.run === 'running' || status.run === 'paused') && status.progress) {
    body = (
      <UploadProgressPanel
        progress={status.progress}
        paused={status.run === 'paused'}
        groupNames={status.groupNames}
        busy={busy}
        onPause={() => act(() => api.call('upload.pause', { jobId }))}
        onResume={() => act(() => api.call('upload.continue', { jobId }))}
        onCancel={() => act(() => api.call('upload.cancel', { jobId }))}
      />
    )
  } else if (status.run === 'ended' && status.result) {
    body = (
      <Stack gap="md">
        <UploadOutcome result={status.result} onResume={resume} onConnect={onConnect} busy={busy} />
        {status.result.activities.length > 0 && (
          <ActivityRows activities={status.result.activities} groupNames={status.groupNames} />
        )}
      </Stack>
    )
  } else if (status.journal?.ending === 'completed') {
    body = (
      <Alert
        color="green"
        styles={{ title: { color: 'var(--mantine-color-text)' } }}
        title="This file has already been uploaded."
      >
        <Text size="sm">
          The upload{status.journal.startedAt ? ` started ${when(status.journal.startedAt)}` : ''} finished. It is not
          sent again; the report says what happened.
        </Text>
      </Alert>
    )
  } else if (status.journal) {
    const journal = status.journal
    body = (
      <Stack gap="md">
        <Alert
          color="blue"
          title={`An upload of this file${journal.startedAt ? `, started ${when(journal.startedAt)},` : ''} didn’t finish.`}
        >
          <Text size="sm">
            {journal.ending === 'cancelled'
              ? 'It was cancelled.'
              : journal.ending === 'stopped'
                ? `It stopped: ${journal.error?.message ?? 'a problem came up.'}${journal.error?.hint ? ` ${journal.error.hint}` : ''}`
                : 'Splitsend was closed, or the computer stopped, while it ran.'}{' '}
            Resuming goes on where it stopped: imports that finished are not sent again.
          </Text>
          {journal.error?.resumeAt && <Text size="sm">You can resume it after {when(journal.error.resumeAt)}.</Text>}
        </Alert>
        <PlanSummary plan={{ ...journal.plan, warnings: [], blockers: [] }} />
        <Group>
          <Button size="md" onClick={resume} loading={busy} disabled={!connected}>
            Resume the upload
          </Button>
        </Group>
      </Stack>
    )
  } else {
    body = (
      <ChooseLists
        jobId={jobId}
        groupNames={status.groupNames}
        groupContacts={status.groupContacts}
        connected={connected}
        starting={busy}
        onStart={(planId) => act(() => api.call('upload.start', { jobId, start: { planId } }))}
      />
    )
  }

  // Sending makes sense once contacts are on a list.
  const added = (status?.result?.contactsAdded ?? 0) > 0 || status?.journal?.ending === 'completed'
  const canReport =
    status !== null &&
    (status.run === 'ended' || status.journal !== null) &&
    status.run !== 'running' &&
    status.run !== 'paused'

  return (
    <Stack gap="lg">
      <Title order={2}>Upload the groups to Constant Contact</Title>
      {status && (
        <Text>
          File: <strong>{status.sourceFile}</strong>
          {resumed ? ' (an earlier upload you chose to resume)' : ''}
        </Text>
      )}
      {account &&
        (connected ? (
          <Group gap="xs" data-testid="upload-account">
            <Text>Constant Contact account: {account.accountName ?? 'connected'}</Text>
            {account.practice && (
              <Badge color="violet" variant="filled">
                Practice account
              </Badge>
            )}
          </Group>
        ) : (
          <Alert
            color="yellow"
            title={
              account.needsReconnect
                ? 'Your Constant Contact sign-in has ended'
                : 'Connect your Constant Contact account first'
            }
            styles={{ title: { color: 'var(--mantine-color-text)' } }}
          >
            <Stack gap="xs">
              <Text size="sm">Splitsend needs your account to upload the groups. Nothing you prepared is lost.</Text>
              <Button w="fit-content" onClick={onConnect}>
                Go to Connect
              </Button>
            </Stack>
          </Alert>
        ))}
      {problem && <ProblemAlert problem={problem} onClose={() => setProblem(null)} />}
      <div>{body}</div>
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        {canReport && (
          <Group>
            <Button size="md" variant={onSend && added ? 'default' : 'filled'} onClick={onReport}>
              See the report
            </Button>
            {onSend && added && (
              <Button size="md" onClick={onSend}>
                Continue: send the messages
              </Button>
            )}
          </Group>
        )}
      </Group>
    </Stack>
  )
}
