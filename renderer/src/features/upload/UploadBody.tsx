import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core'
import type { UseMutationResult, UseQueryResult } from '@tanstack/react-query'
import type { UserFacingError } from '../../../../shared/errors'
import { when } from '../../common/words'
import { ActivityRows } from './ActivityRows'
import { ChooseLists } from './ChooseLists'
import { PlanSummary } from './PlanSummary'
import type { UploadStatus } from './types'
import { UploadOutcome } from './UploadOutcome'
import { UploadProgressPanel } from './UploadProgressPanel'
import type { UploadCommand } from './use-upload-status'

/**
 * The Upload step's main part, for where the upload stands: choosing the lists, the upload running,
 * how it ended, or an earlier upload to resume.
 */
export function UploadBody({
  jobId,
  status: { data: status, error },
  connected,
  command,
  onConnect,
}: {
  jobId: string
  status: UseQueryResult<UploadStatus, UserFacingError>
  connected: boolean
  command: UseMutationResult<UploadStatus, UserFacingError, UploadCommand>
  onConnect(): void
}) {
  const busy = command.isPending
  const order = (next: UploadCommand) => command.mutate(next)
  const resume = (options: { resendUnclear?: boolean } = {}) => order({ kind: 'resume', ...options })

  if (!status) return error ? null : <Loader role="status" aria-label="Reading where the upload stands" />
  if ((status.run === 'running' || status.run === 'paused') && status.progress) {
    return (
      <UploadProgressPanel
        progress={status.progress}
        paused={status.run === 'paused'}
        groupNames={status.groupNames}
        busy={busy}
        onPause={() => order({ kind: 'pause' })}
        onResume={() => order({ kind: 'continue' })}
        onCancel={() => order({ kind: 'cancel' })}
      />
    )
  }
  if (status.run === 'ended' && status.result) {
    return (
      <Stack gap="md">
        <UploadOutcome
          result={status.result}
          onResume={resume}
          onConnect={onConnect}
          busy={busy}
          connected={connected}
        />
        {status.result.activities.length > 0 && (
          <ActivityRows activities={status.result.activities} groupNames={status.groupNames} />
        )}
      </Stack>
    )
  }
  if (status.journal?.ending === 'completed') {
    return (
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
  }
  if (status.journal) {
    return <UnfinishedJournal journal={status.journal} connected={connected} busy={busy} onResume={() => resume()} />
  }
  return (
    <ChooseLists
      jobId={jobId}
      groupNames={status.groupNames}
      groupContacts={status.groupContacts}
      connected={connected}
      starting={busy}
      onStart={(planId) => order({ kind: 'start', planId })}
    />
  )
}

/** An earlier upload of this job that didn't finish: why, what it was doing, and Resume. */
function UnfinishedJournal({
  journal,
  connected,
  busy,
  onResume,
}: {
  journal: NonNullable<UploadStatus['journal']>
  connected: boolean
  busy: boolean
  onResume(): void
}) {
  return (
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
        <Button size="md" onClick={onResume} loading={busy} disabled={!connected}>
          Resume the upload
        </Button>
      </Group>
    </Stack>
  )
}
