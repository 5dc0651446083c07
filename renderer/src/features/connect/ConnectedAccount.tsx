import { Badge, Button, Card, Group, Stack, Text } from '@mantine/core'
import { ResetPractice } from './ResetPractice'
import type { AccountStatus } from './types'

/** The account Splitsend works with, and the ways on: to Import, or disconnect. */
export function ConnectedAccount({
  status,
  onContinue,
  onDisconnect,
}: {
  status: AccountStatus
  onContinue(): void
  onDisconnect(): void
}) {
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group gap="sm">
          <Text fw={600} data-testid="connected-account">
            Connected to {status.accountName ?? 'your Constant Contact account'}
          </Text>
          {status.practice && (
            <Badge color="violet" variant="filled">
              Practice account
            </Badge>
          )}
        </Group>
        {status.email && <Text size="sm">Account email: {status.email}</Text>}
        {status.practice && (
          <Text size="sm">
            This is a pretend Constant Contact that runs only on this computer. Nothing you do here reaches real
            customers.
          </Text>
        )}
        <Group>
          <Button onClick={onContinue}>Continue to Import</Button>
          <Button variant="default" onClick={onDisconnect}>
            Disconnect
          </Button>
          {status.practice && <ResetPractice />}
        </Group>
      </Stack>
    </Card>
  )
}
