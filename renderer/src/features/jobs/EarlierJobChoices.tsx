import { Alert, Button, Card, Group, List, Stack, Table, Text, Title } from '@mantine/core'
import { ask, useRequest } from '../../common/api/queries'
import { Loading } from '../../common/components/Loading'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { when } from '../../common/words'
import type { JobChoices } from './types'

const CONFLICT_WORDS: Record<JobChoices['onConflict'], string> = {
  exclude: 'An address marked both 0 and 1 was left out.',
  first: 'An address marked both 0 and 1 went by its first row.',
  last: 'An address marked both 0 and 1 went by its last row.',
}

/**
 * Import, Map and Review of a job opened from the list of jobs: its file and choices as they were,
 * read-only (its upload and report describe them). Changing them means a new job: the next file, or
 * the same one again, opened with these choices.
 */
export function EarlierJobChoices({
  jobId,
  onNextFile,
  onJobs,
}: {
  jobId: string
  onNextFile(jobId: string): void
  onJobs(): void
}) {
  const choices = useRequest(ask('jobs.choices', { jobId }))
  if (choices.error) return <ProblemAlert problem={choices.error} onRetry={() => void choices.refetch()} />
  if (!choices.data) return <Loading words="Reading the job’s choices…" />
  const job = choices.data
  const values = (list: string[] | undefined) => (list?.length ? list.map((v) => v || '(blank)').join(', ') : '—')
  return (
    <Stack gap="lg" data-testid="earlier-job-choices">
      <Title order={2}>The choices of “{job.sourceFile}”</Title>
      <Alert
        color="blue"
        title="This job’s choices can’t change."
        styles={{ title: { color: 'var(--mantine-color-text)' } }}
      >
        <Stack gap="xs">
          <Text size="sm">
            It was prepared {when(job.preparedAt)}, and its upload and report describe the groups as they are here. To
            change them, open a file (this one again, or next month’s) with these choices: that makes a new job, and
            this one stays as it is in your list of jobs.
          </Text>
          <Group gap="sm">
            <Button onClick={() => onNextFile(job.jobId)}>Open a file with these choices</Button>
            <Button variant="default" onClick={onJobs}>
              Back to your jobs
            </Button>
          </Group>
        </Stack>
      </Alert>
      <Card withBorder>
        <Stack gap="xs">
          <Title order={3}>Columns and groups</Title>
          <List size="sm">
            <List.Item>
              Addresses from the column “{job.columns.email}”; the flag from “{job.columns.flag}”.
            </List.Item>
            <List.Item>{CONFLICT_WORDS[job.onConflict]}</List.Item>
          </List>
          <Table withTableBorder={false} verticalSpacing={4} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Group</Table.Th>
                <Table.Th>Flag values</Table.Th>
                <Table.Th>List</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(['0', '1'] as const).map((group) => (
                <Table.Tr key={group}>
                  <Table.Td>{job.groupNames[group]}</Table.Td>
                  <Table.Td>{values(group === '0' ? job.flags.group0Values : job.flags.group1Values)}</Table.Td>
                  <Table.Td>{job.lists[group]?.name ?? 'Not uploaded'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {job.flags.leaveOutValues.length > 0 && (
            <Text size="sm">Rows with the flag {values(job.flags.leaveOutValues)} were left out.</Text>
          )}
        </Stack>
      </Card>
    </Stack>
  )
}
