import { Stepper } from '@mantine/core'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { focusHeadingIn } from '../common/focus-heading'
import { useAccountChanges, useAccountStatus } from '../features/connect/account'
import { AccountBadge } from '../features/connect/AccountBadge'
import { ConnectScreen } from '../features/connect/ConnectScreen'
import { MapScreen } from '../features/map/MapScreen'
import { usePrepareSession } from '../features/prepare/session'
import { ReportScreen } from '../features/report/ReportScreen'
import { ReviewScreen } from '../features/review/ReviewScreen'
import { StartScreen } from '../features/routines/StartScreen'
import { SendScreen } from '../features/send/SendScreen'
import { UnfinishedUploads } from '../features/upload/UnfinishedUploads'
import { UploadScreen } from '../features/upload/UploadScreen'
import { Shell } from './Shell'
import { STEPS, stepIndex, type StepId } from './steps'

/**
 * The steps as a stepper, starting at `first`. The person can always go back to a step they have
 * reached; later steps open as the work gets there. When Constant Contact ends the sign-in, the
 * app goes to Connect (which says why), and back to where the person was once they connect again.
 */
export function Steps({ first }: { first: StepId }) {
  const [active, setActive] = useState<StepId>(first)
  const [reached, setReached] = useState(stepIndex('import'))
  const [returnTo, setReturnTo] = useState<StepId | null>(null)
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

  // Each step the person moves to takes the focus at its heading (after it has rendered).
  const stepArea = useRef<HTMLElement>(null)
  const [moves, setMoves] = useState(0)
  useEffect(() => {
    if (moves > 0) focusHeadingIn(stepArea.current)
  }, [moves])
  const open = (step: StepId) => {
    setActive(step)
    setReturnTo(null)
    setMoves((n) => n + 1)
  }

  const goTo = (step: StepId) => {
    open(step)
    window.scrollTo({ top: 0 })
    setReached((current) => Math.max(current, stepIndex(step)))
  }
  const { startOver } = usePrepareSession()
  const screens = stepScreens(goTo, startOver)

  return (
    <Shell badge={<AccountBadge onClick={() => goTo('connect')} />}>
      <UnfinishedUploads onResume={() => goTo('upload')} />
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
        ref={stepArea}
        aria-label={STEPS[stepIndex(active)]!.label}
        style={{ marginTop: 'var(--mantine-spacing-lg)' }}
      >
        {screens[active]}
      </section>
    </Shell>
  )
}

/** Each step's screen, with where its buttons lead. */
function stepScreens(goTo: (step: StepId) => void, startOver: () => void): Record<StepId, ReactNode> {
  return {
    connect: <ConnectScreen onContinue={() => goTo('import')} />,
    import: (
      <StartScreen
        onContinue={() => goTo('map')}
        onReview={() => goTo('review')}
        onMap={() => goTo('map')}
        onReport={() => goTo('report')}
      />
    ),
    map: <MapScreen onBack={() => goTo('import')} onContinue={() => goTo('review')} />,
    review: <ReviewScreen onBack={() => goTo('map')} onContinue={() => goTo('upload')} />,
    upload: (
      <UploadScreen
        onBack={() => goTo('review')}
        onConnect={() => goTo('connect')}
        onReport={() => goTo('report')}
        onSend={() => goTo('send')}
      />
    ),
    // Send works on the job the Prepare session made (its upload was the step before).
    send: (
      <SendScreen onBack={() => goTo('upload')} onConnect={() => goTo('connect')} onContinue={() => goTo('report')} />
    ),
    report: (
      <ReportScreen
        onBack={() => goTo('send')}
        onNextFile={() => {
          startOver()
          goTo('import')
        }}
      />
    ),
  }
}
