import { Anchor, Button, Card, Code, Group, Loader, Stack, Text } from '@mantine/core'
import { useApi } from '../../common/api/client'
import type { SignInPrompt } from './types'

/** While a sign-in waits for the person: what to do (open the page, or enter the code), and Cancel. */
export function SignInWaiting({
  practice,
  prompt,
  onCancel,
}: {
  practice: boolean
  prompt: SignInPrompt | null
  onCancel: () => void
}) {
  const api = useApi()
  const open = (url: string) => void api.call('links.openExternal', { url })
  return (
    <Card withBorder aria-live="polite">
      <Stack gap="sm">
        <Group gap="sm">
          <Loader size="sm" aria-hidden />
          <Text fw={600}>
            {practice ? 'Connecting the practice account…' : 'Waiting for you to sign in to Constant Contact…'}
          </Text>
        </Group>
        {prompt?.kind === 'browser' && !practice && (
          <Text size="sm">
            Constant Contact’s sign-in page should have opened in your browser. If it didn’t,{' '}
            <Anchor component="button" type="button" onClick={() => open(prompt.url)}>
              open the sign-in page
            </Anchor>
            .
          </Text>
        )}
        {prompt?.kind === 'device' && (
          <Text size="sm">
            Go to{' '}
            <Anchor
              component="button"
              type="button"
              onClick={() => open(prompt.verificationUriComplete ?? prompt.verificationUri)}
            >
              {prompt.verificationUri}
            </Anchor>{' '}
            and enter this code: <Code fz="lg">{prompt.userCode}</Code>
          </Text>
        )}
        <Button variant="default" w="fit-content" onClick={onCancel}>
          Cancel
        </Button>
      </Stack>
    </Card>
  )
}
