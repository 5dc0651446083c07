import { Badge, Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core'
import { READABLE_BADGE } from '../../common/styles'
import { countOf, formatCount, when } from '../../common/words'
import type { Job, JobStep } from './types'
import { continueWords, sendWords, standingOf } from './words'

export interface JobActions {
  /** Open the job at one of its steps. */
  onOpen(jobId: string, step: JobStep): void
  /** Start the next month's file with the job's choices. */
  onNextFile(jobId: string): void
  onRemove(job: Job): void
}

/** One job: its file and date, groups, lists and campaigns, how it stands, and what can be done with it. */
export function JobCard({ job, onOpen, onNextFile, onRemove }: { job: Job } & JobActions) {
  const standing = standingOf(job)
  const next = continueWords(job)
  return (
    <Card withBorder component="article" aria-labelledby={`job-${job.jobId}`} data-testid="job">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Title order={3} size="h4" id={`job-${job.jobId}`}>
              {job.sourceFile}
            </Title>
            <Text size="sm" c="dimmed">
              Prepared {when(job.preparedAt)} · {countOf(job.rows, 'row')}
              {job.leftOut > 0 ? ` · ${formatCount(job.leftOut)} left out` : ''}
            </Text>
          </div>
          <Badge
            color={standing.color}
            variant="light"
            size="lg"
            styles={READABLE_BADGE}
            style={{ textTransform: 'none', flexShrink: 0 }}
          >
            {standing.label}
          </Badge>
        </Group>
        <Text size="sm" data-testid="job-standing">
          {standing.sentence}
        </Text>
        <Table withTableBorder={false} verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Group</Table.Th>
              <Table.Th>Contacts</Table.Th>
              <Table.Th>List</Table.Th>
              <Table.Th>Campaign</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {job.groups.map((group) => (
              <Table.Tr key={group.group}>
                <Table.Td>{group.name}</Table.Td>
                <Table.Td>{formatCount(group.contacts)}</Table.Td>
                <Table.Td>
                  {group.list ??
                    (job.damaged ? 'Unknown' : job.upload.state === 'not_started' ? 'Not chosen yet' : 'Not uploaded')}
                </Table.Td>
                <Table.Td>{sendWords(group)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Group gap="sm">
          {next && <Button onClick={() => onOpen(job.jobId, job.next)}>{next}</Button>}
          {job.hasReport && (
            <Button variant={next ? 'default' : 'filled'} onClick={() => onOpen(job.jobId, 'report')}>
              Open the report
            </Button>
          )}
          <Button variant="default" onClick={() => onNextFile(job.jobId)}>
            Start the next file with these choices
          </Button>
          <Button
            variant="subtle"
            color="red"
            onClick={() => onRemove(job)}
            disabled={job.busy}
            title={job.busy ? 'It can be removed once its upload or send has finished.' : undefined}
          >
            Remove from the list
          </Button>
        </Group>
      </Stack>
    </Card>
  )
}
