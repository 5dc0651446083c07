import {
  Badge,
  Button,
  Code,
  Group,
  Loader,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { ask, useAction, useRequest } from '../../common/api/queries'
import { PageModal } from '../../common/components/PageModal'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { when } from '../../common/words'
import { DeleteRoutine, SafetyLimitsForm, SourceFolderForm, TestAddressesForm } from './RoutineSettings'
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
      <TestAddressesForm routine={routine} />
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
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/

/**
 * The schedule: what the computer's scheduler holds for the routine (and the command it runs), and,
 * where this host can register one, the form to set, change or remove it.
 */
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
  const [done, setDone] = useState<string | null>(null)
  const setSchedule = useAction('routines.setSchedule', {
    onSuccess: (view) => {
      setDone(view.words ? `Scheduled: it runs by itself ${view.words}.` : 'The schedule was removed.')
      void queryClient.invalidateQueries({ predicate: (q) => String(q.queryKey[0]).startsWith('routines.') })
    },
  })
  const [every, setEvery] = useState<Schedule['every']>(current?.every ?? 'month')
  const [day, setDay] = useState(current?.every === 'month' ? current.day : 1)
  const [weekday, setWeekday] = useState<(typeof WEEKDAYS)[number]>(
    current?.every === 'week' ? current.weekday : 'monday',
  )
  const [at, setAt] = useState(current?.at ?? '08:00')
  const validTime = TIME_OF_DAY.test(at)
  const validDay = every !== 'month' || (Number.isInteger(day) && day >= 1 && day <= 28)
  const chosen: Schedule =
    every === 'month' ? { every, day, at } : every === 'week' ? { every, weekday, at } : { every, at }
  const change = (schedule: Schedule | null) => {
    setDone(null)
    setSchedule.mutate({ name, schedule })
  }

  return (
    <Stack gap="xs" data-testid="routine-schedule-section">
      <Title order={3} size="h4">
        Schedule
      </Title>
      <Text size="sm" data-testid="routine-schedule">
        {schedule.words ? `Runs by itself ${schedule.words}.` : 'Not scheduled: it runs when you run it.'}
        {schedule.status ? ` ${schedule.status}` : ''}
      </Text>
      {schedule.command && (
        <Text size="sm" data-testid="routine-schedule-command">
          {schedule.registered ? 'The computer runs' : 'The computer would run'}:{' '}
          <Code style={{ wordBreak: 'break-all' }}>{schedule.command}</Code>
        </Text>
      )}
      {schedule.unavailable ? (
        <Text size="sm" data-testid="schedule-unavailable">
          {schedule.unavailable}
        </Text>
      ) : (
        <form
          aria-label="The routine’s schedule"
          onSubmit={(event) => {
            event.preventDefault()
            if (validTime && validDay && !setSchedule.isPending) change(chosen)
          }}
        >
          <Stack gap="xs">
            <Text size="sm">
              Splitsend registers the run with this computer’s own scheduler. It uses the newest file of the routine’s
              folder, and the computer must be on, with you signed in, at that time.
            </Text>
            <Group align="flex-start">
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
                  allowDecimal={false}
                  value={day}
                  onChange={(v) => setDay(Number(v))}
                  error={validDay ? undefined : 'A day from 1 to 28 (not every month has a 29th, 30th or 31st)'}
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
                label="At (HH:MM, this computer’s clock)"
                value={at}
                onChange={(e) => setAt(e.currentTarget.value.trim())}
                error={validTime ? undefined : 'A time like 08:30'}
              />
            </Group>
            <Group>
              <Button type="submit" disabled={!validTime || !validDay} loading={setSchedule.isPending}>
                {current ? 'Change the schedule' : 'Set the schedule'}
              </Button>
              {current && (
                <Button
                  variant="default"
                  onClick={() => !setSchedule.isPending && change(null)}
                  disabled={setSchedule.isPending}
                >
                  Remove the schedule
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      )}
      {done && (
        <Text size="sm" role="status" data-testid="routine-schedule-done">
          {done}
        </Text>
      )}
      {setSchedule.error && <ProblemAlert problem={setSchedule.error} onClose={setSchedule.reset} />}
    </Stack>
  )
}
