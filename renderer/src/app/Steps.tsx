import { Stepper } from '@mantine/core'
import { useState, type ReactNode } from 'react'
import { useAccountChanges, useAccountStatus } from '../features/connect/account'
import { AccountBadge } from '../features/connect/AccountBadge'
import { ConnectScreen } from '../features/connect/ConnectScreen'
import { ImportScreen } from '../features/import/ImportScreen'
import { MapScreen } from '../features/map/MapScreen'
import { ReportScreen } from '../features/report/ReportScreen'
import { ReviewScreen } from '../features/review/ReviewScreen'
import { SendScreen } from '../features/send/SendScreen'
import { UnfinishedUploads } from '../features/upload/UnfinishedUploads'
import { UploadScreen } from '../features/upload/UploadScreen'
import { useBridgeConnection } from '../common/api/connection'
import { ConnectionBanner } from './ConnectionBanner'
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
  const connection = useBridgeConnection()

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

  const goTo = (step: StepId) => {
    setActive(step)
    setReturnTo(null)
    window.scrollTo({ top: 0 })
    setReached((current) => Math.max(current, stepIndex(step)))
  }
  const screens = stepScreens(goTo)

  return (
    <Shell badge={<AccountBadge onClick={() => goTo('connect')} />}>
      <ConnectionBanner state={connection} />
      {/* While the background service is away nothing here is live, so none of it is shown (progress
          that stands still would pass for live); it stays mounted and is read again once it is back. */}
      <div hidden={connection !== 'connected'}>
        <UnfinishedUploads onResume={() => goTo('upload')} />
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
      </div>
    </Shell>
  )
}

/** Each step's screen, with where its buttons lead. */
function stepScreens(goTo: (step: StepId) => void): Record<StepId, ReactNode> {
  return {
    connect: <ConnectScreen onContinue={() => goTo('import')} />,
    import: <ImportScreen onContinue={() => goTo('map')} />,
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
    report: <ReportScreen onBack={() => goTo('send')} />,
  }
}
