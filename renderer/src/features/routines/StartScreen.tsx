import { Stack } from '@mantine/core'
import { useState } from 'react'
import { ImportScreen } from '../import/ImportScreen'
import { useCurrentJob } from '../upload/current-job'
import { RoutineCheck } from './RoutineCheck'
import { useRoutineRuns } from './routine-run'
import { RoutinesPanel } from './RoutinesPanel'

/**
 * The first screen after Connect: the routines (when there are any), then opening a spreadsheet for
 * a run of its own. A routine's run shows what differs from the routine here, before Review.
 */
export function StartScreen({
  onContinue,
  onReview,
  onMap,
  onReport,
}: {
  onContinue(): void
  onReview(): void
  onMap(): void
  onReport(): void
}) {
  const runs = useRoutineRuns()
  const job = useCurrentJob()
  const [dialogOpen, setDialogOpen] = useState(false)
  if (runs.active && !runs.active.confirmed) return <RoutineCheck run={runs.active} onReview={onReview} onMap={onMap} />
  return (
    <Stack gap="xl">
      <RoutinesPanel
        onDialog={setDialogOpen}
        onOpenReport={(jobId) => {
          job.chooseJob(jobId)
          onReport()
        }}
      />
      <ImportScreen onContinue={onContinue} dropAnywhere={!dialogOpen} />
    </Stack>
  )
}
