import { Alert, Group, Text } from '@mantine/core'
import type { ReactNode } from 'react'

/**
 * A note about choices made for the person (the last run's, a picked job's, a locked job's): what it
 * is in a sentence, and the one thing they can do about it. The title is in the page's text colour,
 * as blue on the pale tint is too faint to read.
 */
export function NoteAlert({
  title,
  testId,
  children,
  action,
}: {
  title: string
  testId: string
  children: ReactNode
  action: ReactNode
}) {
  return (
    <Alert color="blue" title={title} styles={{ title: { color: 'var(--mantine-color-text)' } }} data-testid={testId}>
      <Group justify="space-between" gap="sm">
        <Text size="sm">{children}</Text>
        {action}
      </Group>
    </Alert>
  )
}
