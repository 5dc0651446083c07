import { Alert, Button, Group, Stack, Text } from '@mantine/core'
import { useState } from 'react'
import { ask, useRequest } from '../../common/api/queries'
import { when } from '../../common/words'
import { useCurrentJob } from './current-job'

const UNFINISHED = ask('upload.unfinished')

/**
 * Offered when the app starts: uploads that started and didn't finish (the app was closed, the
 * computer crashed, the connection ended), each with a button to go on with it. Not being able to
 * list them must not stand in the way of starting, so a failure here shows nothing.
 */
export function UnfinishedUploads({ onResume }: { onResume(): void }) {
  const { chooseJob } = useCurrentJob()
  const unfinished = useRequest(UNFINISHED, { staleTime: Infinity })
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set())
  const jobs = (unfinished.data ?? []).filter((job) => !dismissed.has(job.jobId))

  if (jobs.length === 0) return null
  const dismiss = (jobId: string) => setDismissed((all) => new Set(all).add(jobId))
  return (
    <Stack gap="xs" mb="md" data-testid="unfinished-uploads">
      {jobs.slice(0, 3).map((job) => (
        <Alert
          key={job.jobId}
          color="blue"
          title={`You have an unfinished upload from “${job.sourceFile}”, ${when(job.lastActivityAt)}`}
          withCloseButton
          closeButtonLabel="Not now"
          onClose={() => dismiss(job.jobId)}
        >
          <Group justify="space-between" gap="sm">
            <Text size="sm">
              {job.activitiesFinished} of {job.activitiesTotal} imports finished
              {job.lists.length ? `, to ${job.lists.map((l) => `“${l.name}”`).join(' and ')}` : ''}.
              {job.error ? ` It stopped: ${job.error.message}` : ''}
            </Text>
            <Button
              size="sm"
              onClick={() => {
                chooseJob(job.jobId)
                dismiss(job.jobId)
                onResume()
              }}
            >
              Resume
            </Button>
          </Group>
        </Alert>
      ))}
    </Stack>
  )
}
