import { Alert, Center, Container } from '@mantine/core'

/** Shown when the page cannot reach Splitsend's background service at all. */
export function StartupFailure({ message }: { message: string }) {
  return (
    <Container size="sm">
      <Center mih="100vh">
        <main>
          <h1 style={{ fontSize: '1.5rem' }}>Splitsend could not start</h1>
          <Alert color="red" title="Not connected">
            {message}
          </Alert>
        </main>
      </Center>
    </Container>
  )
}
