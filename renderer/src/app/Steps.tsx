import { Stepper } from '@mantine/core'
import { useState, type ReactNode } from 'react'
import { AccountBadge } from '../features/connect/AccountBadge'
import { ConnectScreen } from '../features/connect/ConnectScreen'
import { ImportScreen } from '../features/import/ImportScreen'
import { MapScreen } from '../features/map/MapScreen'
import { ReportScreen } from '../features/report/ReportScreen'
import { ReviewScreen } from '../features/review/ReviewScreen'
import { SendScreen } from '../features/send/SendScreen'
import { UnfinishedUploads } from '../features/upload/UnfinishedUploads'
import { UploadScreen } from '../features/upload/UploadScreen'
import { Shell } from './Shell'
import { STEPS, stepIndex, type StepId } from './steps'

/**
 * The steps as a stepper, starting at `first`. The person can always go back to a step they have
 * reached; later steps open as the work gets there.
 */
export function Steps({ first }: { first: StepId }) {
  const [active, setActive] = useState<StepId>(first)
  const [reached, setReached] = useState(stepIndex('import'))

  const goTo = (step: StepId) => {
    setActive(step)
    window.scrollTo({ top: 0 })
    setReached((current) => Math.max(current, stepIndex(step)))
  }
  const screens = stepScreens(goTo)

  return (
    <Shell badge={<AccountBadge onClick={() => goTo('connect')} />}>
      <UnfinishedUploads onResume={() => goTo('upload')} />
      <nav aria-label="Steps">
        <Stepper
          active={stepIndex(active)}
          onStepClick={(index) => setActive(STEPS[index]!.id)}
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
