import { Anchor, Button, Code, Group, NumberInput, Radio, Stack, Text } from '@mantine/core'
import { useState } from 'react'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { useSetRedirect } from './account'
import type { RedirectAddress as Address } from './types'

/**
 * The redirect address Constant Contact sends the browser back to, for whoever set up Splitsend's
 * application in the developer portal: exactly what to register there, and a way to change it to
 * the address they did register (127.0.0.1 instead of localhost, another port).
 */
export function RedirectAddress({ redirectUri }: { redirectUri: string }) {
  const [editing, setEditing] = useState(false)
  const save = useSetRedirect()
  const current = addressOf(redirectUri)
  return (
    <Stack gap="xs" data-testid="redirect-address">
      <Text size="sm">
        For your administrator: the application’s redirect URI in Constant Contact’s developer portal must be exactly{' '}
        <Code>{redirectUri}</Code>{' '}
        {!editing && (
          <Anchor component="button" type="button" size="sm" onClick={() => setEditing(true)}>
            Change the redirect address
          </Anchor>
        )}
      </Text>
      {editing && (
        <RedirectForm
          initial={current}
          saving={save.isPending}
          onCancel={() => {
            save.reset()
            setEditing(false)
          }}
          onSave={(address) => save.mutate(address, { onSuccess: () => setEditing(false) })}
        />
      )}
      {save.error && <ProblemAlert problem={save.error} onClose={save.reset} />}
    </Stack>
  )
}

function RedirectForm({
  initial,
  saving,
  onSave,
  onCancel,
}: {
  initial: Address
  saving: boolean
  onSave(address: Address): void
  onCancel(): void
}) {
  const [host, setHost] = useState<Address['host']>(initial.host)
  const [port, setPort] = useState<number | string>(initial.port)
  const portNumber = typeof port === 'number' ? port : Number(port)
  const portValid = Number.isInteger(portNumber) && portNumber >= 1024 && portNumber <= 65535
  return (
    <Stack gap="xs">
      <Radio.Group
        label="The address registered for the application"
        value={host}
        onChange={(value) => setHost(value as Address['host'])}
      >
        <Group gap="md" mt={6}>
          <Radio value="localhost" label="localhost" />
          <Radio value="127.0.0.1" label="127.0.0.1" />
        </Group>
      </Radio.Group>
      <NumberInput
        label="Port"
        description="A number from 1024 to 65535, as in the registered address."
        value={port}
        onChange={setPort}
        min={1024}
        max={65535}
        allowDecimal={false}
        allowNegative={false}
        thousandSeparator={false}
        error={portValid ? undefined : 'Enter a port number from 1024 to 65535.'}
        w={220}
      />
      <Text size="sm">
        Splitsend will use{' '}
        <Code>{portValid ? `http://${host}:${portNumber}/callback` : `http://${host}:…/callback`}</Code>
      </Text>
      <Group>
        <Button size="sm" disabled={!portValid} loading={saving} onClick={() => onSave({ host, port: portNumber })}>
          Save the redirect address
        </Button>
        <Button size="sm" variant="default" onClick={onCancel}>
          Cancel
        </Button>
      </Group>
    </Stack>
  )
}

/** The host and port of a redirect address main reported. */
function addressOf(redirectUri: string): Address {
  const url = new URL(redirectUri)
  return { host: url.hostname === '127.0.0.1' ? '127.0.0.1' : 'localhost', port: Number(url.port) }
}
