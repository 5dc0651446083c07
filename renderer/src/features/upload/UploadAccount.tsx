import { Alert, Badge, Button, Group, Stack, Text } from '@mantine/core'
import type { AccountStatus } from '../connect/types'

/** The account the groups go to, or what to do when none is connected. */
export function UploadAccount({ account, onConnect }: { account: AccountStatus; onConnect(): void }) {
  if (account.connected) {
    return (
      <Group gap="xs" data-testid="upload-account">
        <Text>Constant Contact account: {account.accountName ?? 'connected'}</Text>
        {account.practice && (
          <Badge color="violet" variant="filled">
            Practice account
          </Badge>
        )}
      </Group>
    )
  }
  return (
    <Alert
      color="yellow"
      title={
        account.needsReconnect
          ? 'Your Constant Contact sign-in has ended'
          : 'Connect your Constant Contact account first'
      }
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
    >
      <Stack gap="xs">
        <Text size="sm">Splitsend needs your account to upload the groups. Nothing you prepared is lost.</Text>
        <Button w="fit-content" onClick={onConnect}>
          Go to Connect
        </Button>
      </Stack>
    </Alert>
  )
}
