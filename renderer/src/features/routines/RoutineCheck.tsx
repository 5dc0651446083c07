import { Alert, Button, Group, List, Stack, Text, Title } from '@mantine/core'
import { useEffect } from 'react'
import { ask, useRequest } from '../../common/api/queries'
import { CautionAlert } from '../../common/components/CautionAlert'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { RunProgress } from '../prepare/RunProgress'
import { usePrepareSession } from '../prepare/session'
import { useRoutineRuns, type ActiveRoutineRun } from './routine-run'

/**
 * Before Review, for a routine's run: what differs from the routine (a column gone or renamed, a new
 * flag value, another sheet) and the safety checks an unattended run would stop at. Nothing is
 * adapted silently: the person goes on to Review, fixes the mapping (and can update the routine
 * later), or stops. With nothing to show, the run goes straight to Review.
 */
export function RoutineCheck({ run, onReview, onMap }: { run: ActiveRoutineRun; onReview(): void; onMap(): void }) {
  const session = usePrepareSession()
  const runs = useRoutineRuns()
  const pass = session.run
  const jobId = pass.status === 'done' && pass.fileId === run.fileId ? pass.result.jobId : null
  const safety = useRequest(jobId ? ask('routines.safety', { name: run.routine.name, jobId }) : null)
  const stops = run.differences.filter((d) => d.severity === 'stop')
  const notes = run.differences.filter((d) => d.severity === 'note')
  const warnings = safety.data ?? []
  const nothingToShow = run.mapped && run.differences.length === 0 && safety.isSuccess && warnings.length === 0

  const goOn = () => {
    runs.confirm()
    onReview()
  }
  useEffect(() => {
    if (nothingToShow) goOn()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the checks come back clean
  }, [nothingToShow])

  return (
    <Stack gap="md" data-testid="routine-check">
      <Title order={2}>
        Running “{run.routine.name}” with “{run.fileName}”
      </Title>
      {stops.length > 0 && (
        <Alert
          color="red"
          title="This file differs from the routine"
          styles={{ title: { color: 'var(--mantine-color-text)' } }}
        >
          <List size="sm">
            {stops.map((d) => (
              <List.Item key={d.message}>{d.message}</List.Item>
            ))}
          </List>
          <Text size="sm" mt="xs">
            {run.mapped
              ? 'Check the mapping before you go on: an unattended run would stop here.'
              : 'Choose the missing columns on the Map step; you can update the routine at the end.'}
          </Text>
        </Alert>
      )}
      <CautionAlert title="Also noticed" items={notes.map((d) => d.message)} />
      {pass.status === 'running' && (
        <RunProgress
          title="Reading the whole file the routine’s way"
          progress={pass.progress}
          onStop={session.stopRun}
        />
      )}
      {pass.status === 'failed' && <ProblemAlert problem={pass.problem} />}
      {safety.error && <ProblemAlert problem={safety.error} onRetry={() => void safety.refetch()} />}
      {warnings.length > 0 && (
        <CautionAlert
          title="Safety checks: an unattended run would stop here. You may still go on."
          items={warnings.map((w) => w.message)}
        />
      )}
      {safety.isSuccess && warnings.length === 0 && run.differences.length === 0 && (
        <Text>Everything matches the routine.</Text>
      )}
      <Group>
        <Button onClick={goOn} disabled={!jobId || !run.mapped}>
          Go on to Review
        </Button>
        <Button variant="default" onClick={onMap}>
          Fix the mapping
        </Button>
        <Button variant="default" color="red" onClick={runs.stop}>
          Stop this run
        </Button>
      </Group>
    </Stack>
  )
}
