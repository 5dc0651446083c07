import { AppShell, Container, Group, Title } from '@mantine/core'
import type { ReactNode } from 'react'

/** The page's frame: the header (with `badge` at its end) and the main area. */
export function Shell({ badge, children }: { badge?: ReactNode; children: ReactNode }) {
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Title order={1} size="h3">
            Splitsend
          </Title>
          {badge}
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Container size="xl">{children}</Container>
      </AppShell.Main>
    </AppShell>
  )
}
