import { Button, Group, Loader, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { JobCard, type JobActions } from './JobCard'
import { RemoveJob } from './RemoveJob'
import type { Job } from './types'
import { useJobs } from './use-jobs'

/** Jobs whose upload needs the person (running, paused, not finished) come first. */
const NEEDS_ATTENTION: ReadonlySet<Job['upload']['state']> = new Set([
  'running',
  'paused',
  'elsewhere',
  'interrupted',
  'stopped',
])

/**
 * The first screen once connected: this month's file to start, and every job Splitsend has in its
 * data folder — to watch or continue, to open its report, to remove, or to start the next file with
 * its choices. The monthly routines sit above it (Steps.tsx).
 */
export function JobsScreen({
  onNewFile,
  ...actions
}: Omit<JobActions, 'onRemove'> & {
  onNewFile(): void
}) {
  const jobs = useJobs()
  const [removing, setRemoving] = useState<Job | null>(null)
  const all = jobs.data ?? []
  const attention = all.filter((job) => NEEDS_ATTENTION.has(job.upload.state))
  const others = all.filter((job) => !NEEDS_ATTENTION.has(job.upload.state))
  const card = (job: Job) => <JobCard key={job.jobId} job={job} {...actions} onRemove={setRemoving} />

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={2}>Your jobs</Title>
        <Button size="md" onClick={onNewFile}>
          Open this month’s spreadsheet
        </Button>
      </Group>
      {jobs.error && <ProblemAlert problem={jobs.error} onRetry={() => void jobs.refetch()} />}
      {jobs.isPending && <Loader size="sm" aria-label="Reading the jobs" />}
      {attention.length > 0 && (
        <Stack gap="sm" component="section" aria-labelledby="jobs-attention" data-testid="jobs-attention">
          <Title order={3} id="jobs-attention" size="h4">
            Not finished
          </Title>
          {attention.map(card)}
        </Stack>
      )}
      {jobs.data && all.length === 0 && (
        <Text>No jobs yet. Open this month’s spreadsheet: each file you prepare is kept here with its report.</Text>
      )}
      {others.length > 0 && (
        <Stack gap="sm" component="section" aria-labelledby="jobs-all">
          <Title order={3} id="jobs-all" size="h4">
            {attention.length > 0 ? 'Other jobs' : 'Every job, the latest first'}
          </Title>
          {others.map(card)}
        </Stack>
      )}
      <RemoveJob job={removing} onClose={() => setRemoving(null)} />
    </Stack>
  )
}
