import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core'
import { useState } from 'react'
import type { ContractErrorData } from '../../../../shared/errors'
import type { TestSendResult } from './types'
import { errorData, useApi } from '../../common/api/client'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { formatDateTime } from './words'

/** An optional test of the campaign to a few addresses, before the real send. */
export function TestSend({ campaignId, campaignName }: { campaignId: string; campaignName: string }) {
  const api = useApi()
  const [addresses, setAddresses] = useState('')
  const [pending, setPending] = useState(false)
  const [sent, setSent] = useState<TestSendResult | null>(null)
  const [problem, setProblem] = useState<ContractErrorData | null>(null)

  const sendTest = async () => {
    if (pending) return
    setPending(true)
    setProblem(null)
    setSent(null)
    try {
      setSent(await api.call('send.test', { campaignId, addresses }))
    } catch (error) {
      setProblem(errorData(error))
    } finally {
      setPending(false)
    }
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
            if (event.key === 'Enter') void sendTest()
          }}
          style={{ flex: '1 1 320px' }}
        />
        <Button variant="default" onClick={() => void sendTest()} loading={pending} disabled={!addresses.trim()}>
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
      {problem && <ProblemAlert problem={problem} onClose={() => setProblem(null)} />}
    </Stack>
  )
}
