import { Button, Group, Stack, Text, Title } from '@mantine/core'
import { useRef } from 'react'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { useFocusKeptIn } from '../../common/focus-heading'
import { useAccountStatus } from '../connect/account'
import { useCurrentJob } from './current-job'
import { SaveAsRoutine, useRecordRoutineRun } from '../routines/SaveAsRoutine'
import { UploadAccount } from './UploadAccount'
import { UploadBody } from './UploadBody'
import { useUploadCommand, useUploadStatus } from './use-upload-status'
import type { UploadStatus } from './types'

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
  const { jobId } = useCurrentJob()
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
  return <UploadJob jobId={jobId} onBack={onBack} onConnect={onConnect} onReport={onReport} onSend={onSend} />
}

function UploadJob({
  jobId,
  onBack,
  onConnect,
  onReport,
  onSend,
}: {
  jobId: string
  onBack(): void
  onConnect(): void
  onReport(): void
  onSend: (() => void) | undefined
}) {
  const { resumed } = useCurrentJob()
  const status = useUploadStatus(jobId)
  const account = useAccountStatus()
  const command = useUploadCommand(jobId)
  const readProblem = status.error ?? account.error
  // Start, Pause, Cancel…: the button pressed goes with the part it was in; the new part's heading takes the focus.
  const body = useRef<HTMLDivElement>(null)
  useFocusKeptIn(body, `${status.data?.run ?? 'reading'} ${status.data?.journal?.ending ?? ''}`)

  return (
    <Stack gap="lg">
      <Title order={2}>Upload the groups to Constant Contact</Title>
      {status.data && (
        <Text>
          File: <strong>{status.data.sourceFile}</strong>
          {resumed ? ' (prepared earlier: opened from your jobs)' : ''}
        </Text>
      )}
      {account.data && <UploadAccount account={account.data} onConnect={onConnect} />}
      {readProblem && (
        <ProblemAlert problem={readProblem} onRetry={() => void Promise.all([status.refetch(), account.refetch()])} />
      )}
      {command.error && <ProblemAlert problem={command.error} onClose={command.reset} />}
      <div ref={body} data-testid="upload-body">
        <UploadBody
          jobId={jobId}
          status={status}
          connected={account.data?.connected ?? false}
          command={command}
          onConnect={onConnect}
        />
      </div>
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        {status.data && <NextSteps jobId={jobId} status={status.data} onReport={onReport} onSend={onSend} />}
      </Group>
    </Stack>
  )
}

/** Once the upload is over: the report, and (when contacts are on a list) sending. */
function NextSteps({
  jobId,
  status,
  onReport,
  onSend,
}: {
  jobId: string
  status: UploadStatus
  onReport(): void
  onSend: (() => void) | undefined
}) {
  const over =
    (status.run === 'ended' || status.journal !== null) && status.run !== 'running' && status.run !== 'paused'
  useRecordRoutineRun(jobId, over ? 'over' : null)
  if (!over) return null
  // Sending makes sense once contacts are on a list.
  const added = (status.result?.contactsAdded ?? 0) > 0 || status.journal?.ending === 'completed'
  return (
    <Group>
      {added && <SaveAsRoutine jobId={jobId} />}
      <Button size="md" variant={onSend && added ? 'default' : 'filled'} onClick={onReport}>
        See the report
      </Button>
      {onSend && added && (
        <Button size="md" onClick={onSend}>
          Continue: send the messages
        </Button>
      )}
    </Group>
  )
}
