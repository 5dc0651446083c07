import { Button, Group, Stack, Stepper } from '@mantine/core'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { focusHeadingIn } from '../common/focus-heading'
import { useAccountChanges, useAccountStatus } from '../features/connect/account'
import { AccountBadge } from '../features/connect/AccountBadge'
import { ConnectScreen } from '../features/connect/ConnectScreen'
import { ImportScreen } from '../features/import/ImportScreen'
import { EarlierJobChoices } from '../features/jobs/EarlierJobChoices'
import { JobsScreen } from '../features/jobs/JobsScreen'
import { useNextFile } from '../features/jobs/next-file'
import { MapScreen } from '../features/map/MapScreen'
import { usePrepareSession } from '../features/prepare/session'
import { ReportScreen } from '../features/report/ReportScreen'
import { ReviewScreen } from '../features/review/ReviewScreen'
import { RoutineCheck } from '../features/routines/RoutineCheck'
import { useRoutineRuns } from '../features/routines/routine-run'
import { RoutinesPanel } from '../features/routines/RoutinesPanel'
import { SendScreen } from '../features/send/SendScreen'
import { useCurrentJob } from '../features/upload/current-job'
import { UploadScreen } from '../features/upload/UploadScreen'
import { useBridgeConnection } from '../common/api/connection'
import { ConnectionBanner } from './ConnectionBanner'
import { Shell } from './Shell'
import { STEPS, stepIndex, type Place, type StepId } from './steps'

/**
 * The first screen (the routines, when there are any, above the list of jobs), and the steps of one
 * job as a stepper, starting at `first`. The person can always go back to a step they have reached;
 * later steps open as the work gets there. A job opened from the list opens at its own step; a
 * routine's run started on the first screen opens at Import, where what differs from the routine is
 * shown. When Constant Contact ends the sign-in, the app goes to Connect (which says why), and back
 * to where the person was once they connect again.
 */
export function Steps({ first }: { first: Place }) {
  const [active, setActive] = useState<Place>(first)
  const [reached, setReached] = useState(Math.max(stepIndex('import'), first === 'jobs' ? 0 : stepIndex(first)))
  const { chooseJob, resumed, jobId } = useCurrentJob()
  const { startOver } = usePrepareSession()
  const nextFile = useNextFile()
  const routineRuns = useRoutineRuns()
  const connection = useBridgeConnection()
  const [returnTo, setReturnTo] = useState<Place | null>(null)
  useAccountChanges()

  // Each place the person moves to takes the focus at its heading (after it has rendered).
  const area = useRef<HTMLDivElement>(null)
  const [moves, setMoves] = useState(0)
  useEffect(() => {
    if (moves === 0) return
    window.scrollTo({ top: 0 })
    focusHeadingIn(area.current)
  }, [moves])
  const open = (place: Place) => {
    setActive(place)
    setReturnTo(null)
    setMoves((n) => n + 1)
  }
  const goTo = (place: Place) => {
    open(place)
    if (place !== 'jobs') setReached((current) => Math.max(current, stepIndex(place)))
  }

  // Adjusted while rendering, when the account status changes (React's way for state that follows
  // other state): connected → sign-in ended opens Connect; connected again returns.
  const status = useAccountStatus().data
  const [seen, setSeen] = useState(status)
  if (status !== seen) {
    setSeen(status)
    if (seen?.connected && status && !status.connected && status.needsReconnect && active !== 'connect') {
      setReturnTo(active)
      setActive('connect')
    } else if (!seen?.connected && status?.connected && returnTo) {
      setActive(returnTo)
      setReturnTo(null)
    }
  }

  /** "Start the next file" (from a job, its report or its choices): Import, with that job's choices for the file opened. */
  const startNextFile = (from: string) => {
    startOver()
    nextFile.start(from)
    chooseJob(null)
    goTo('import')
  }
  const openJob = (job: string, step: StepId) => {
    chooseJob(job)
    goTo(step)
  }
  const screens = stepScreens(goTo, resumed ? jobId : null)

  return (
    <Shell
      badge={
        <Group gap="sm">
          <Button
            variant={active === 'jobs' ? 'filled' : 'subtle'}
            aria-current={active === 'jobs' ? 'page' : undefined}
            onClick={() => goTo('jobs')}
          >
            Your jobs
          </Button>
          <AccountBadge onClick={() => goTo('connect')} />
        </Group>
      }
    >
      <ConnectionBanner state={connection} />
      {/* While the background service is away nothing here is live, so none of it is shown (progress
          that stands still would pass for live); it stays mounted and is read again once it is back. */}
      <div hidden={connection !== 'connected'}>
        {active === 'jobs' ? (
          <Stack gap="xl" component="section" aria-label="Your jobs" ref={area}>
            <RoutinesPanel
              onOpenReport={(job) => openJob(job, 'report')}
              // Import then shows what differs from the routine (or goes on to Review).
              onRunStarted={() => {
                chooseJob(null)
                goTo('import')
              }}
            />
            <JobsScreen
              onNewFile={() => {
                nextFile.clear()
                chooseJob(null)
                goTo('import')
              }}
              onOpen={openJob}
              onNextFile={startNextFile}
            />
          </Stack>
        ) : (
          <>
            <nav aria-label="Steps">
              <Stepper
                active={stepIndex(active)}
                onStepClick={(index) => open(STEPS[index]!.id)}
                allowNextStepsSelect={false}
                size="sm"
                wrap={false}
              >
                {STEPS.map((step, index) => (
                  <Stepper.Step
                    key={step.id}
                    label={step.label}
                    description={step.description}
                    allowStepSelect={index <= reached}
                    aria-current={step.id === active ? 'step' : undefined}
                  />
                ))}
              </Stepper>
            </nav>
            <section
              ref={area}
              aria-label={STEPS[stepIndex(active)]!.label}
              style={{ marginTop: 'var(--mantine-spacing-lg)' }}
            >
              {screens[active]}
            </section>
          </>
        )}
      </div>
    </Shell>
  )

  /** Each step's screen, with where its buttons lead. */
  function stepScreens(to: (place: Place) => void, earlierJob: string | null): Record<StepId, ReactNode> {
    // A job opened from the list was prepared earlier: its file and choices are shown as they were,
    // not the file open in this session's Import, Map and Review.
    const earlierChoices = earlierJob && (
      <EarlierJobChoices jobId={earlierJob} onNextFile={startNextFile} onJobs={() => to('jobs')} />
    )
    const routineCheck = routineRuns.active && !routineRuns.active.confirmed && (
      <RoutineCheck run={routineRuns.active} onReview={() => to('review')} onMap={() => to('map')} />
    )
    return {
      connect: <ConnectScreen onContinue={() => to('import')} />,
      import: earlierChoices || routineCheck || <ImportScreen onContinue={() => to('map')} />,
      map: earlierChoices || <MapScreen onBack={() => to('import')} onContinue={() => to('review')} />,
      review: earlierChoices || (
        <ReviewScreen
          onBack={() => to('map')}
          onContinue={() => {
            // The groups just reviewed are what goes on, not a job opened from the list before.
            chooseJob(null)
            to('upload')
          }}
        />
      ),
      upload: (
        <UploadScreen
          // A job opened from the list was prepared earlier: back is the list, not this session's Review.
          onBack={() => to(earlierJob ? 'jobs' : 'review')}
          onConnect={() => to('connect')}
          onReport={() => to('report')}
          onSend={() => to('send')}
        />
      ),
      send: <SendScreen onBack={() => to('upload')} onConnect={() => to('connect')} onContinue={() => to('report')} />,
      report: <ReportScreen onBack={() => to('send')} onNextFile={() => jobId && startNextFile(jobId)} />,
    }
  }
}
