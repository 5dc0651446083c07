import { Alert, Button, Group, Stack, Text } from '@mantine/core'
import type { ContractErrorData } from '../../../../shared/errors'

/**
 * A problem in plain words: what is wrong, and what to do about it. Announced to screen readers.
 * Every failed request and action is shown with it, so problems look the same on every screen.
 */
export function ProblemAlert({
  problem,
  onClose,
  onRetry,
}: {
  problem: ContractErrorData
  onClose?: () => void
  /** Offers "Try again" (for a failed read). */
  onRetry?: () => void
}) {
  const alert = (
    <Alert
      color="red"
      title={problem.message}
      role="alert"
      withCloseButton={onClose !== undefined}
      onClose={onClose}
      closeButtonLabel="Dismiss"
    >
      {problem.hint && <Text size="sm">{problem.hint}</Text>}
    </Alert>
  )
  if (!onRetry) return alert
  return (
    <Stack gap="xs">
      {alert}
      <Group>
        <Button variant="default" onClick={onRetry}>
          Try again
        </Button>
      </Group>
    </Stack>
  )
}
