import { Notifications } from '@mantine/notifications'
import { AppShell, Center, Container, Group, Loader, Stepper, Title } from '@mantine/core'
import { useEffect, useState, type ReactNode } from 'react'
import type { AccountStatus } from '../features/connect/types'
import { useApi } from '../common/api/client'
import { AccountBadge } from '../features/connect/AccountBadge'
import { ConnectScreen } from '../features/connect/ConnectScreen'
import { ImportScreen } from '../features/import/ImportScreen'
import { MapScreen } from '../features/map/MapScreen'
import { ReviewScreen } from '../features/review/ReviewScreen'
import { ReportScreen } from '../features/report/ReportScreen'
import { UploadScreen } from '../features/upload/UploadScreen'
import { UnfinishedUploads } from '../features/upload/UnfinishedUploads'
import { UploadJobProvider } from '../features/upload/current-job'
import { SendScreen } from '../features/send/SendScreen'
import { PrepareSessionProvider } from '../features/prepare/session'
import { STEPS, stepIndex, type StepId } from './steps'

/**
 * The app shell: a header and the steps as a stepper. The person can always go back to a step they
 * have reached; later steps open as the work gets there.
 */
export function App() {
  const api = useApi()
  const [active, setActive] = useState<StepId | null>(null)
  const [reached, setReached] = useState(stepIndex('import'))
  const [account, setAccount] = useState<AccountStatus | null>(null)

  // Until an account is connected, the app opens on Connect (with the practice account on offer);
  // afterwards it opens on Import, ready for this month's spreadsheet.
  useEffect(() => {
    let live = true
    api.call('account.status').then(
      (status) => {
        if (!live) return
        setAccount(status)
        setActive((current) => current ?? (status.connected ? 'import' : 'connect'))
      },
      () => live && setActive((current) => current ?? 'connect'),
    )
    return () => {
      live = false
    }
  }, [api])

  const goTo = (step: StepId) => {
    setActive(step)
    window.scrollTo({ top: 0 })
    setReached((current) => Math.max(current, stepIndex(step)))
  }

  const screens: Partial<Record<StepId, ReactNode>> = {
    connect: <ConnectScreen onContinue={() => goTo('import')} onStatus={setAccount} />,
    import: <ImportScreen onContinue={() => goTo('map')} />,
    map: <MapScreen onBack={() => goTo('import')} onContinue={() => goTo('review')} />,
    upload: (
      <UploadScreen
        onBack={() => goTo('review')}
        onConnect={() => goTo('connect')}
        onReport={() => goTo('report')}
        onSend={() => goTo('send')}
      />
    ),
    report: <ReportScreen onBack={() => goTo(screens.send !== undefined ? 'send' : 'upload')} />,
  }
  // Review offers to go on only once there is an Upload step to go on to.
  const uploadReady = screens.upload !== undefined
  screens.review = (
    <ReviewScreen onBack={() => goTo('map')} {...(uploadReady ? { onContinue: () => goTo('upload') } : {})} />
  )
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
          <AccountBadge status={account} onClick={() => goTo('connect')} />
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <PrepareSessionProvider>
          <UploadJobProvider>
            <Container size="xl">
              <UnfinishedUploads onResume={() => goTo('upload')} />
              {active === null ? (
                <Center py="xl">
                  <Loader aria-label="Starting Splitsend" />
                </Center>
              ) : (
                <>
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
                  <section
                    aria-label={STEPS[stepIndex(active)]!.label}
                    style={{ marginTop: 'var(--mantine-spacing-lg)' }}
                  >
                    {screens[active]}
                  </section>
                </>
              )}
              {/* Inside the main landmark (not a portal on <body>) so every bit of the page belongs to a landmark. */}
              <Notifications position="top-right" withinPortal={false} />
            </Container>
          </UploadJobProvider>
        </PrepareSessionProvider>
      </AppShell.Main>
    </AppShell>
  )
}
