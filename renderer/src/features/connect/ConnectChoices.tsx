import { Button, Card, Group, PasswordInput, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { RedirectAddress } from './RedirectAddress'

/** The two ways to connect: the person's own Constant Contact account, or the practice account. */
export function ConnectChoices({
  hasApiKey,
  redirectUri,
  savingKey,
  onSaveKey,
  onConnect,
}: {
  hasApiKey: boolean
  redirectUri: string | undefined
  savingKey: boolean
  onSaveKey(apiKey: string): void
  onConnect(practice: boolean, mode?: 'browser' | 'device'): void
}) {
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Card withBorder>
        <Stack gap="sm">
          <Title order={3}>Connect your Constant Contact account</Title>
          <Text size="sm">
            You sign in on Constant Contact’s own page, in your browser. Splitsend keeps the sign-in in this computer’s
            password store.
          </Text>
          {hasApiKey ? (
            <Group>
              <Button onClick={() => onConnect(false)}>Connect in your browser</Button>
              <Button variant="subtle" onClick={() => onConnect(false, 'device')}>
                Use a code instead
              </Button>
            </Group>
          ) : (
            <ApiKeyForm saving={savingKey} onSave={onSaveKey} />
          )}
          {redirectUri && <RedirectAddress redirectUri={redirectUri} />}
        </Stack>
      </Card>
      <Card withBorder>
        <Stack gap="sm">
          <Title order={3}>Try it with a practice account</Title>
          <Text size="sm">
            A pretend Constant Contact on this computer, with a few lists and two draft messages. No account or internet
            needed, and nothing reaches real customers.
          </Text>
          <Button variant="light" w="fit-content" onClick={() => onConnect(true)}>
            Use the practice account
          </Button>
        </Stack>
      </Card>
    </SimpleGrid>
  )
}

/**
 * Splitsend's API key, entered once by whoever set Splitsend up; it goes to the keychain and never
 * comes back (once it is saved, the connect buttons take this form's place).
 */
function ApiKeyForm({ saving, onSave }: { saving: boolean; onSave(apiKey: string): void }) {
  const [apiKey, setApiKey] = useState('')
  return (
    <Stack gap="xs">
      <PasswordInput
        label="Splitsend’s API key"
        description="Your administrator gets it from the Constant Contact developer portal (it is also called the client ID). You enter it once."
        value={apiKey}
        onChange={(event) => setApiKey(event.currentTarget.value)}
        autoComplete="off"
      />
      <Button w="fit-content" disabled={apiKey.trim() === ''} loading={saving} onClick={() => onSave(apiKey)}>
        Save the API key
      </Button>
    </Stack>
  )
}
