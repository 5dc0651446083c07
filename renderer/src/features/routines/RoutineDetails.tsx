import { Badge, Button, Group, Loader, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ask, useAction, useRequest } from '../../common/api/queries'
import { PageModal } from '../../common/components/PageModal'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { when } from '../../common/words'
import { DeleteRoutine, SafetyLimitsForm, SourceFolderForm } from './RoutineSettings'
import type { RoutineDetails as Details, Schedule } from './types'
import { READABLE_BADGE } from '../../common/styles'
import { countsWords, outcomeColor, outcomeWords } from './words'

/** A routine's runs (newest first, each with its report) and its schedule. */
export function RoutineDetails({
  name,
  onClose,
  onOpenReport,
}: {
  name: string
  onClose(): void
  onOpenReport(jobId: string): void
}) {
  const details = useRequest(ask('routines.show', { name }))
  return (
    <PageModal opened onClose={onClose} title={`Routine “${name}”`} size="xl">
      {details.error && <ProblemAlert problem={details.error} onRetry={() => void details.refetch()} />}
      {details.isPending && <Loader aria-label="Reading the routine" />}
      {details.data && <DetailsBody name={name} details={details.data} onOpenReport={onOpenReport} onClose={onClose} />}
    </PageModal>
  )
}

function DetailsBody({
  name,
  details,
  onOpenReport,
  onClose,
}: {
  name: string
  details: Details
  onOpenReport(jobId: string): void
  onClose(): void
}) {
  const { routine, runs } = details
  const sends = (['0', '1'] as const).map((g) => {
    const sending = routine.sending[g]
    return `“${routine.groupNames[g]}” → list “${routine.lists[g].name}”, ${sending.send ? `campaign “${sending.campaign.name}”` : 'no campaign'}`
  })
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        {sends.map((line) => (
          <Text size="sm" key={line}>
            {line}
          </Text>
        ))}
        <Text size="sm">
          Account:{' '}
          {routine.account.endpoint === 'practice'
            ? 'the practice account'
            : routine.account.endpoint === 'real'
              ? (routine.account.accountName ?? 'a Constant Contact account')
              : routine.account.apiBase}
        </Text>
      </Stack>
      <Stack gap="xs">
        <Title order={3} size="h4">
          History
        </Title>
        {runs.length === 0 ? (
          <Text size="sm">No runs yet.</Text>
        ) : (
          <Table.ScrollContainer minWidth={640}>
            <Table data-testid="routine-history">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Date</Table.Th>
                  <Table.Th>File</Table.Th>
                  <Table.Th>Counts</Table.Th>
                  <Table.Th>Outcome</Table.Th>
                  <Table.Th>Job folder</Table.Th>
                  <Table.Th>Report</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {runs.map((run) => (
                  <Table.Tr key={run.runId}>
                    <Table.Td>{when(run.startedAt)}</Table.Td>
                    <Table.Td>{run.source?.fileName ?? '—'}</Table.Td>
                    <Table.Td>{countsWords(run.counts, routine.groupNames) || '—'}</Table.Td>
                    <Table.Td>
                      <Badge
                        color={outcomeColor(run.outcome)}
                        variant="light"
                        styles={{ ...READABLE_BADGE, root: { whiteSpace: 'normal', height: 'auto' } }}
                      >
                        {outcomeWords(run.outcome)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" style={{ wordBreak: 'break-all' }}>
                        {run.jobFolder ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {run.jobId ? (
                        <Button size="compact-sm" variant="subtle" onClick={() => onOpenReport(run.jobId!)}>
                          Open the report
                        </Button>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <SourceFolderForm routine={routine} />
      <ScheduleSection name={name} schedule={details.schedule} current={routine.schedule} />
      <SafetyLimitsForm routine={routine} />
      <DeleteRoutine routine={routine} onDeleted={onClose} />
    </Stack>
  )
}

const EVERY = [
  { value: 'month', label: 'Every month' },
  { value: 'week', label: 'Every week' },
  { value: 'day', label: 'Every day' },
]
const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const

/** The schedule in words, and (where this computer's scheduler can be reached from here) set or remove it. */
function ScheduleSection({
  name,
  schedule,
  current,
}: {
  name: string
  schedule: Details['schedule']
  current?: Schedule
}) {
  const queryClient = useQueryClient()
  const setSchedule = useAction('routines.setSchedule', {
    onSuccess: () =>
      void queryClient.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('routines.') }),
  })
  const [every, setEvery] = useState<Schedule['every']>(current?.every ?? 'month')
  const [day, setDay] = useState(current?.every === 'month' ? current.day : 1)
  const [weekday, setWeekday] = useState<(typeof WEEKDAYS)[number]>(
    current?.every === 'week' ? current.weekday : 'monday',
  )
  const [at, setAt] = useState(current?.at ?? '08:00')
  const validTime = /^([01]\d|2[0-3]):[0-5]\d$/.test(at)
  const chosen: Schedule =
    every === 'month' ? { every, day, at } : every === 'week' ? { every, weekday, at } : { every, at }

  return (
    <Stack gap="xs">
      <Title order={3} size="h4">
        Schedule
      </Title>
      <Text size="sm" data-testid="routine-schedule">
        {schedule.words ? `Runs by itself ${schedule.words}.` : 'Not scheduled: it runs when you run it.'}
        {schedule.status ? ` ${schedule.status}` : ''}
      </Text>
      {schedule.unavailable ? (
        <Text size="sm" data-testid="schedule-unavailable">
          {schedule.unavailable}
        </Text>
      ) : (
        <>
          <Group align="flex-end">
            <Select
              label="How often"
              data={EVERY}
              value={every}
              onChange={(v) => v && setEvery(v as Schedule['every'])}
              allowDeselect={false}
            />
            {every === 'month' && (
              <NumberInput
                label="Day of the month (1–28)"
                min={1}
                max={28}
                value={day}
                onChange={(v) => setDay(Number(v) || 1)}
              />
            )}
            {every === 'week' && (
              <Select
                label="Day of the week"
                data={WEEKDAYS.map((d) => ({ value: d, label: d[0]!.toUpperCase() + d.slice(1) }))}
                value={weekday}
                onChange={(v) => v && setWeekday(v as (typeof WEEKDAYS)[number])}
                allowDeselect={false}
              />
            )}
            <TextInput
              label="At (HH:MM)"
              value={at}
              onChange={(e) => setAt(e.currentTarget.value)}
              error={validTime ? undefined : 'A time like 08:30'}
            />
          </Group>
          <Group>
            <Button
              onClick={() => setSchedule.mutate({ name, schedule: chosen })}
              disabled={!validTime}
              loading={setSchedule.isPending}
            >
              Set the schedule
            </Button>
            {current && (
              <Button
                variant="default"
                onClick={() => setSchedule.mutate({ name, schedule: null })}
                loading={setSchedule.isPending}
              >
                Remove the schedule
              </Button>
            )}
          </Group>
        </>
      )}
      {setSchedule.error && <ProblemAlert problem={setSchedule.error} onClose={setSchedule.reset} />}
    </Stack>
  )
}
