import { Alert, Text } from '@mantine/core'
import type { ContractErrorData } from '../../../../shared/errors'

/** A problem in plain words: what is wrong, and what to do about it. Announced to screen readers. */
export function ProblemAlert({ problem, onClose }: { problem: ContractErrorData; onClose?: () => void }) {
  return (
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
}
