import { Alert, Button, Card, Group, Stack, Text, Title } from '@mantine/core'
import { useEffect, useEffectEvent, useRef, useState } from 'react'
import type { ProblemReason } from '../prepare/types'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { RunProgress } from '../prepare/RunProgress'
import { FlagValueReview } from './FlagValueReview'
import { ProblemsByReason } from './ProblemsByReason'
import { ResultsBrowser, type BrowserFilter, type PreparedRows } from './ResultsBrowser'
import { CutValues } from './CutValues'
import { ReviewWarnings } from './ReviewWarnings'
import { SavePreparedFiles } from './SavePreparedFiles'
import { SplitOverview } from './SplitOverview'
import { usePrepareSession } from '../prepare/session'
import { LockedChoices } from '../prepare/LockedChoices'

/**
 * Step 4: every row read and placed. The two groups with their counts, the problems by reason,
 * every row browsable, the flag values of the whole file (any still unassigned can be assigned
 * here and the file prepared again), and the prepared files to save.
 */
export function ReviewScreen({ onBack, onContinue }: { onBack(): void; onContinue?: () => void }) {
  const session = usePrepareSession()
  const { loaded, run, currentKey, startRun } = session
  // Kept here, so the rows shown stay the same when the groups are prepared again.
  const [filter, setFilter] = useState<BrowserFilter>({ kind: 'problems', reason: null })

  // Arriving here starts the full pass, unless it is already running or done for these choices. Only
  // on arrival: later changes made here are applied with "Prepare again".
  const startIfOutOfDate = useEffectEvent(() => {
    const upToDate = (run.status === 'running' || run.status === 'done') && run.key === currentKey
    if (currentKey !== null && !upToDate) startRun()
  })
  useEffect(() => startIfOutOfDate(), [])

  if (!loaded || currentKey === null) {
    return (
      <Stack>
        <Title order={2}>Review the two groups</Title>
        <Text>{loaded ? 'Finish choosing the columns first.' : 'Open a spreadsheet first.'}</Text>
        <Button w="fit-content" onClick={onBack}>
          Back
        </Button>
      </Stack>
    )
  }

  return (
    <Stack gap="lg">
      <Title order={2}>Review the two groups</Title>
      {run.status === 'running' && (
        <RunProgress
          title={`Preparing the groups from “${loaded.file.name}”`}
          progress={run.progress}
          onStop={session.stopRun}
        />
      )}
      {run.status === 'failed' && <ProblemAlert problem={run.problem} />}
      {(run.status === 'stopped' || run.status === 'failed' || run.status === 'idle') && (
        <Group>
          {run.status === 'stopped' && <Text>You stopped preparing the groups.</Text>}
          <Button onClick={startRun}>Prepare the groups</Button>
        </Group>
      )}
      {run.status === 'done' && (
        <>
          {run.key !== currentKey && (
            <Alert color="blue" title="Your choices have changed">
              <Group justify="space-between">
                <Text size="sm">The counts below are from before. Prepare the groups again to apply your changes.</Text>
                <Button onClick={startRun}>Prepare again</Button>
              </Group>
            </Alert>
          )}
          <PreparedGroups result={run.result} runId={run.runId} filter={filter} onFilter={setFilter} />
        </>
      )}
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        {onContinue && (
          <Button size="md" onClick={onContinue} disabled={run.status !== 'done' || run.key !== currentKey}>
            Continue: upload the groups
          </Button>
        )}
      </Group>
    </Stack>
  )
}

/** The prepared groups: counts, warnings, problems by reason, flag values, every row, and the files. */
function PreparedGroups({ result, runId, filter, onFilter }: PreparedRows) {
  const { summary } = result
  const rowsSection = useRef<HTMLDivElement>(null)
  const showReason = (reason: ProblemReason) => {
    onFilter({ kind: 'problems', reason })
    rowsSection.current?.scrollIntoView({ behavior: 'smooth', block: 'start' })
  }
  return (
    <>
      <SplitOverview summary={summary} />
      <ReviewWarnings summary={summary} />
      <CutValues summary={summary} />
      <Card withBorder>
        <Stack>
          <Title order={3}>Problems</Title>
          <ProblemsByReason summary={summary} onShow={showReason} />
        </Stack>
      </Card>
      <LockedChoices>
        <Card withBorder>
          <FlagValueReview summary={summary} />
        </Card>
      </LockedChoices>
      <Card withBorder ref={rowsSection}>
        <Stack>
          <Title order={3}>The rows</Title>
          <ResultsBrowser result={result} runId={runId} filter={filter} onFilter={onFilter} />
        </Stack>
      </Card>
      <SavePreparedFiles jobId={result.jobId} groupNames={summary.groupNames} />
    </>
  )
}
