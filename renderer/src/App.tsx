import { Notifications } from '@mantine/notifications'
import { AppShell, Container, Group, Stepper, Text, Title } from '@mantine/core'
import { useState, type ReactNode } from 'react'
import { ConnectScreen } from './screens/ConnectScreen'
import { ImportScreen } from './screens/ImportScreen'
import { MapScreen } from './screens/MapScreen'
import { ReviewScreen } from './screens/ReviewScreen'
import { ReportScreen } from './screens/ReportScreen'
import { UploadScreen } from './screens/UploadScreen'
import { UnfinishedUploads } from './components/upload/UnfinishedUploads'
import { UploadJobProvider } from './upload/job'
import { SendScreen } from './screens/SendScreen'
import { PrepareSessionProvider } from './prepare/session'
import { STEPS, stepIndex, type StepId } from './steps'

/**
 * The app shell: a header and the steps as a stepper. The person can always go back to a step they
 * have reached; later steps open as the work gets there.
 */
export function App() {
  const [active, setActive] = useState<StepId>('import')
  const [reached, setReached] = useState(stepIndex('import'))

  const goTo = (step: StepId) => {
    setActive(step)
    window.scrollTo({ top: 0 })
    setReached((current) => Math.max(current, stepIndex(step)))
  }

  const screens: Partial<Record<StepId, ReactNode>> = {
    connect: <ConnectScreen onContinue={() => goTo('import')} />,
    import: <ImportScreen onContinue={() => goTo('map')} />,
    map: <MapScreen onBack={() => goTo('import')} onContinue={() => goTo('review')} />,
    upload: <UploadScreen onBack={() => goTo('review')} onConnect={() => goTo('connect')} onReport={() => goTo('report')} onSend={() => goTo('send')} />,
    report: <ReportScreen onBack={() => goTo(screens.send !== undefined ? 'send' : 'upload')} />,
  }
  // Review offers to go on only once there is an Upload step to go on to.
  const uploadReady = screens.upload !== undefined
  screens.review = <ReviewScreen onBack={() => goTo('map')} {...(uploadReady ? { onContinue: () => goTo('upload') } : {})} />
  // Send follows Upload (same job: the Prepare session's jobId) and leads to the Report when there is one.
  screens.send = (
    <SendScreen
      onBack={() => goTo(uploadReady ? 'upload' : 'review')}
      onConnect={() => goTo('connect')}
      {...(screens.report !== undefined ? { onContinue: () => goTo('report') } : {})}
    />
  )

  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={1} size="h3">
            Splitsend
          </Title>
          <Text size="sm" c="dimmed">
            Split a contact spreadsheet into two Constant Contact lists
          </Text>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <PrepareSessionProvider>
        <UploadJobProvider>
        <Container size="xl">
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
                  allowStepSelect={index <= reached && screens[step.id] !== undefined}
                  aria-current={step.id === active ? 'step' : undefined}
                />
              ))}
            </Stepper>
          </nav>
          <section aria-label={STEPS[stepIndex(active)]!.label} style={{ marginTop: 'var(--mantine-spacing-lg)' }}>
            {screens[active]}
          </section>
          {/* Inside the main landmark (not a portal on <body>) so every bit of the page belongs to a landmark. */}
          <Notifications position="top-right" withinPortal={false} />
        </Container>
        </UploadJobProvider>
        </PrepareSessionProvider>
      </AppShell.Main>
    </AppShell>
  )
}
