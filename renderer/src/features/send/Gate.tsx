import { Button, Group, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import type { ContractErrorData } from '../../../../shared/errors'
import { ProblemAlert } from '../../common/components/ProblemAlert'

export const SEND_TITLE = 'Send each group its message'

/** The Send step when something must happen first: what, in plain words, and the way there. */
export function Gate({
  children,
  onBack,
  action,
  problem,
  onRetry,
}: {
  children?: ReactNode
  onBack(): void
  action?: { label: string; onClick(): void }
  problem?: ContractErrorData
  onRetry?: () => void
}) {
  return (
    <Stack>
      <Title order={2}>{SEND_TITLE}</Title>
      {children && <Text data-testid="send-gate">{children}</Text>}
      {problem && <ProblemAlert problem={problem} {...(onRetry ? { onRetry } : {})} />}
      <Group>
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        {action && <Button onClick={action.onClick}>{action.label}</Button>}
      </Group>
    </Stack>
  )
}
