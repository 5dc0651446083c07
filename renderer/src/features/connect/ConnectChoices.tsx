import { Alert, Button, Card, Group, PasswordInput, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { RedirectAddress } from './RedirectAddress'
import type { ApiKeyState } from './types'

/** The two ways to connect: the person's own Constant Contact account, or the practice account. */
export function ConnectChoices({
  apiKey,
  justSaved,
  redirectUri,
  savingKey,
  onSaveKey,
  onConnect,
}: {
  apiKey: ApiKeyState
  /** The key was saved just now (it is confirmed). */
  justSaved: boolean
  redirectUri: string | undefined
  savingKey: boolean
  onSaveKey(apiKey: string): void
  onConnect(practice: boolean, mode?: 'browser' | 'device'): void
}) {
  const [changing, setChanging] = useState(false)
  const save = (key: string) => {
    setChanging(false)
    onSaveKey(key)
  }
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }}>
      <Card withBorder>
        <Stack gap="sm">
          <Title order={3}>Connect your Constant Contact account</Title>
          <Text size="sm">
            You sign in on Constant Contact’s own page, in your browser. Splitsend keeps the sign-in in this computer’s
            password store.
          </Text>
          {apiKey.saved && !changing ? (
            <>
              <SavedApiKey apiKey={apiKey} justSaved={justSaved} onChange={() => setChanging(true)} />
              <Group>
                <Button onClick={() => onConnect(false)}>Connect in your browser</Button>
                <Button variant="subtle" onClick={() => onConnect(false, 'device')}>
                  Use a code instead
                </Button>
              </Group>
            </>
          ) : (
            <ApiKeyForm
              saving={savingKey}
              onSave={save}
              {...(changing ? { onCancel: () => setChanging(false) } : {})}
            />
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

/** The saved key, masked (its last four characters), with a way to change it; confirmed right after saving. */
function SavedApiKey({ apiKey, justSaved, onChange }: { apiKey: ApiKeyState; justSaved: boolean; onChange(): void }) {
  const which = apiKey.ending ? `the key ending in “${apiKey.ending}”` : 'the key you entered'
  return (
    <Stack gap={4}>
      {justSaved && (
        <Alert color="teal" title="The API key is saved" role="status" data-testid="api-key-saved">
          Splitsend will use {which} to connect. It is kept in this computer’s password store.
        </Alert>
      )}
      <Group gap="xs">
        <Text size="sm" data-testid="api-key-status">
          API key: {apiKey.ending ? `•••• ${apiKey.ending}` : 'saved'}
        </Text>
        <Button variant="subtle" size="compact-sm" onClick={onChange}>
          Change the API key
        </Button>
      </Group>
    </Stack>
  )
}

/**
 * Splitsend's API key, entered once by whoever set Splitsend up; it goes to the keychain and never
 * comes back (once it is saved, the connect buttons take this form's place, with its last four
 * characters to tell which key it is, and a way to change it).
 */
function ApiKeyForm({
  saving,
  onSave,
  onCancel,
}: {
  saving: boolean
  onSave(apiKey: string): void
  /** When a saved key is being changed: keep it instead. */
  onCancel?: () => void
}) {
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
      <Group>
        <Button disabled={apiKey.trim() === ''} loading={saving} onClick={() => onSave(apiKey)}>
          Save the API key
        </Button>
        {onCancel && (
          <Button variant="default" onClick={onCancel}>
            Keep the saved key
          </Button>
        )}
      </Group>
    </Stack>
  )
}
