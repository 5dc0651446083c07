import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core'
import { useState } from 'react'
import { useAction } from '../../common/api/queries'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { formatDateTime } from './words'

/** An optional test of the campaign to a few addresses, before the real send. */
export function TestSend({ campaignId, campaignName }: { campaignId: string; campaignName: string }) {
  const [addresses, setAddresses] = useState('')
  const test = useAction('send.test')
  const sent = test.data
  const sendTest = () => {
    if (!test.isPending) test.mutate({ campaignId, addresses })
  }

  return (
    <Stack gap="xs">
      <Text size="sm">
        Optional: send yourself a test of “{campaignName}” first. Only these addresses get it; the list doesn’t.
        Constant Contact allows up to 5 addresses a test and 50 test emails a day for the whole account.
      </Text>
      <Group align="flex-end" wrap="wrap">
        <TextInput
          label="Send a test to"
          description="Up to 5 email addresses, separated by commas"
          placeholder="you@example.com"
          value={addresses}
          onChange={(event) => setAddresses(event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') sendTest()
          }}
          style={{ flex: '1 1 320px' }}
        />
        <Button variant="default" onClick={() => sendTest()} loading={test.isPending} disabled={!addresses.trim()}>
          Send a test
        </Button>
      </Group>
      {sent && (
        <Alert color="teal" title="Test sent" data-testid="test-sent">
          <Text size="sm">
            A test of “{sent.campaignName}” went to {sent.sentTo.join(', ')} ({formatDateTime(sent.at)}). Check the
            inbox; it can take a few minutes.
          </Text>
        </Alert>
      )}
      {test.error && <ProblemAlert problem={test.error} onClose={test.reset} />}
    </Stack>
  )
}
