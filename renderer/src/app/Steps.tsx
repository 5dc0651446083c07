import { Button, Group, Stepper } from '@mantine/core'
import { useState, type ReactNode } from 'react'
import { useAccountChanges, useAccountStatus } from '../features/connect/account'
import { AccountBadge } from '../features/connect/AccountBadge'
import { ConnectScreen } from '../features/connect/ConnectScreen'
import { ImportScreen } from '../features/import/ImportScreen'
import { EarlierJobChoices } from '../features/jobs/EarlierJobChoices'
import { JobsScreen } from '../features/jobs/JobsScreen'
import { useNextFile } from '../features/jobs/next-file'
import { MapScreen } from '../features/map/MapScreen'
import { ReportScreen } from '../features/report/ReportScreen'
import { ReviewScreen } from '../features/review/ReviewScreen'
import { SendScreen } from '../features/send/SendScreen'
import { useCurrentJob } from '../features/upload/current-job'
import { UploadScreen } from '../features/upload/UploadScreen'
import { useBridgeConnection } from '../common/api/connection'
import { ConnectionBanner } from './ConnectionBanner'
import { Shell } from './Shell'
import { STEPS, stepIndex, type Place, type StepId } from './steps'

/**
 * The list of jobs, and the steps of one job as a stepper, starting at `first`. The person can
 * always go back to a step they have reached; later steps open as the work gets there. A job opened
 * from the list opens at its own step. When Constant Contact ends the sign-in, the app goes to
 * Connect (which says why), and back to where the person was once they connect again.
 */
export function Steps({ first }: { first: Place }) {
  const [active, setActive] = useState<Place>(first)
  const [reached, setReached] = useState(Math.max(stepIndex('import'), first === 'jobs' ? 0 : stepIndex(first)))
  const { chooseJob, resumed, jobId } = useCurrentJob()
  const nextFile = useNextFile()
  const connection = useBridgeConnection()
  const [returnTo, setReturnTo] = useState<Place | null>(null)
  useAccountChanges()

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

  const goTo = (place: Place) => {
    setActive(place)
    setReturnTo(null)
    window.scrollTo({ top: 0 })
    if (place !== 'jobs') setReached((current) => Math.max(current, stepIndex(place)))
  }
  const startNextFile = (from: string) => {
    nextFile.start(from)
    chooseJob(null)
    goTo('import')
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
          <section aria-label="Your jobs">
            <JobsScreen
              onNewFile={() => {
                nextFile.clear()
                chooseJob(null)
                goTo('import')
              }}
              onOpen={(jobId, step) => {
                chooseJob(jobId)
                goTo(step)
              }}
              onNextFile={startNextFile}
            />
          </section>
        ) : (
          <>
            <nav aria-label="Steps">
              <Stepper
                active={stepIndex(active)}
                onStepClick={(index) => {
                  setActive(STEPS[index]!.id)
                  setReturnTo(null)
                }}
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
            <section aria-label={STEPS[stepIndex(active)]!.label} style={{ marginTop: 'var(--mantine-spacing-lg)' }}>
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
    return {
      connect: <ConnectScreen onContinue={() => to('import')} />,
      import: earlierChoices || <ImportScreen onContinue={() => to('map')} />,
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
      report: <ReportScreen onBack={() => to('send')} />,
    }
  }
}
