import { Alert, Button, Group, Stack, Text } from '@mantine/core'
import { useEffect, useState } from 'react'
import type { UnfinishedUpload } from './types'
import { useApi } from '../../common/api/client'
import { useCurrentJob } from './current-job'
import { when } from '../../common/words'

/**
 * Offered when the app starts: uploads that started and didn't finish (the app was closed, the
 * computer crashed, the connection ended), each with a button to go on with it.
 */
export function UnfinishedUploads({ onResume }: { onResume(): void }) {
  const api = useApi()
  const { chooseJob } = useCurrentJob()
  const [jobs, setJobs] = useState<UnfinishedUpload[]>([])

  useEffect(() => {
    let live = true
    api.call('upload.unfinished').then(
      (found) => live && setJobs(found),
      // Not being able to list them must not stand in the way of starting: the person can still work.
      () => undefined,
    )
    return () => {
      live = false
    }
  }, [api])

  if (jobs.length === 0) return null
  const dismiss = (jobId: string) => setJobs((all) => all.filter((j) => j.jobId !== jobId))
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
