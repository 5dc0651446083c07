import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { Dropzone } from '@mantine/dropzone'
import { useState } from 'react'
import { useApi } from '../../common/api/client'
import { ask, useRequest } from '../../common/api/queries'
import { PageModal } from '../../common/components/PageModal'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { when } from '../../common/words'
import { RoutineDetails } from './RoutineDetails'
import { useRoutineRuns } from './routine-run'
import type { Routine, RoutineEntry } from './types'
import { READABLE_BADGE } from '../../common/styles'
import { countsWords, outcomeColor, outcomeWords } from './words'

const ROUTINES = ask('routines.list')

/**
 * The routines on this computer, on the first screen above the jobs: each with its last run, what
 * the next run would use, and "Run with a new file".
 */
export function RoutinesPanel({
  onOpenReport,
  onRunStarted,
}: {
  onOpenReport(jobId: string): void
  /** A routine's run has its file, compared with the routine. */
  onRunStarted(): void
}) {
  const routines = useRequest(ROUTINES)
  const [running, setRunning] = useState<Routine | null>(null)
  const [details, setDetails] = useState<string | null>(null)
  const runs = useRoutineRuns()
  const closeDialogs = () => {
    setRunning(null)
    setDetails(null)
  }

  if (routines.error) return <ProblemAlert problem={routines.error} onRetry={() => void routines.refetch()} />
  if (!routines.data || routines.data.length === 0) return null
  return (
    <Stack gap="sm" component="section" aria-labelledby="routines-heading">
      <Title order={2} id="routines-heading">
        Your routines
      </Title>
      <Text>Run one with this month’s file: its columns, groups, lists and campaigns are chosen already.</Text>
      {runs.problem && <ProblemAlert problem={runs.problem} onClose={runs.dismissProblem} />}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {routines.data.map((entry) => (
          <RoutineCard
            key={entry.key}
            entry={entry}
            onRun={setRunning}
            onDetails={setDetails}
            onOpenReport={onOpenReport}
          />
        ))}
      </SimpleGrid>
      {running && (
        <RunWithNewFile
          routine={running}
          nextFile={routines.data.find((e) => e.routine?.name === running.name)?.nextFile}
          onClose={closeDialogs}
          onStarted={onRunStarted}
        />
      )}
      {details && (
        <RoutineDetails
          name={details}
          onClose={closeDialogs}
          onOpenReport={(jobId) => {
            closeDialogs()
            onOpenReport(jobId)
          }}
        />
      )}
    </Stack>
  )
}

function RoutineCard({
  entry,
  onRun,
  onDetails,
  onOpenReport,
}: {
  entry: RoutineEntry
  onRun(routine: Routine): void
  onDetails(name: string): void
  onOpenReport(jobId: string): void
}) {
  const runs = useRoutineRuns()
  const { routine, lastRun, nextFile } = entry
  if (!routine) {
    return (
      <Card withBorder>
        <Text fw={600}>{entry.key}</Text>
        {entry.problem && <ProblemAlert problem={entry.problem} />}
      </Card>
    )
  }
  const starting = runs.starting?.name === routine.name
  return (
    <Card withBorder data-testid="routine-card" aria-label={routine.name} component="article">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {routine.name}
          </Title>
          {entry.scheduleWords && (
            <Badge variant="light" styles={READABLE_BADGE}>
              Scheduled {entry.scheduleWords}
            </Badge>
          )}
        </Group>
        {lastRun ? (
          <Stack gap={2} data-testid="routine-last-run">
            <Group gap="xs">
              <Text size="sm">Last run {when(lastRun.startedAt)}:</Text>
              <Badge color={outcomeColor(lastRun.outcome)} variant="light" styles={READABLE_BADGE}>
                {outcomeWords(lastRun.outcome)}
              </Badge>
            </Group>
            <Text size="sm">{countsWords(lastRun.counts, routine.groupNames)}</Text>
            {lastRun.jobId && (
              <Button variant="subtle" size="compact-sm" w="fit-content" onClick={() => onOpenReport(lastRun.jobId!)}>
                Open the last run’s report
              </Button>
            )}
          </Stack>
        ) : (
          <Text size="sm">Not run yet.</Text>
        )}
        <Text size="sm" data-testid="routine-next-file">
          {nextFile?.kind === 'found'
            ? `Next run would use “${nextFile.fileName}” (changed ${when(nextFile.modifiedAt)}).`
            : nextFile
              ? nextFile.message
              : 'Next run: the file you drop or pick.'}
        </Text>
        <Group>
          <Button onClick={() => onRun(routine)} loading={starting}>
            Run with a new file…
          </Button>
          <Button variant="default" onClick={() => onDetails(routine.name)}>
            History and schedule
          </Button>
        </Group>
      </Stack>
    </Card>
  )
}

/** Drop or pick this month's file for the routine, or take the newest file of its folder. */
function RunWithNewFile({
  routine,
  nextFile,
  onClose,
  onStarted,
}: {
  routine: Routine
  nextFile: RoutineEntry['nextFile']
  onClose(): void
  onStarted(): void
}) {
  const api = useApi()
  const runs = useRoutineRuns()
  const start = (attach: Parameters<typeof runs.start>[1]) => {
    runs.start(routine, attach, onStarted)
    onClose()
  }
  return (
    <PageModal opened onClose={onClose} title={`Run “${routine.name}” with a new file`} size="lg">
      <Stack>
        <Dropzone
          onDrop={([file]) => file && start(() => api.attachFile(file))}
          multiple={false}
          activateOnClick={false}
          activateOnKeyboard={false}
          data-testid="routine-dropzone"
        >
          <Stack align="center" gap="xs" py="lg">
            <Text size="lg">Drop this month’s spreadsheet here</Text>
            <Text size="sm" c="dimmed">
              It is read the routine’s way; anything that differs is shown before Review.
            </Text>
          </Stack>
        </Dropzone>
        <Group>
          <Button onClick={() => start(() => api.call('files.pick'))}>Pick a file…</Button>
          {nextFile?.kind === 'found' && (
            <Button
              variant="default"
              onClick={() => start(() => api.call('routines.openNextFile', { name: routine.name }))}
            >
              Use “{nextFile.fileName}”
            </Button>
          )}
        </Group>
      </Stack>
    </PageModal>
  )
}
