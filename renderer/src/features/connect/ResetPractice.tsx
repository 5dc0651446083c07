import { Button, Group, Modal, Stack, Text } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useAction } from '../../common/api/queries'
import { ProblemAlert } from '../../common/components/ProblemAlert'

/**
 * "Reset the practice account…": after practising (a big file makes it slow), its lists, contacts
 * and imports go and its campaigns are as they started. It asks first, saying what goes and what stays.
 */
export function ResetPractice() {
  const [asking, setAsking] = useState(false)
  const client = useQueryClient()
  const reset = useAction('account.resetPractice', {
    // Lists, campaigns and send checks on screen describe the account as it was.
    onSuccess: () => {
      setAsking(false)
      void client.invalidateQueries()
    },
  })
  return (
    <>
      <Button variant="default" onClick={() => setAsking(true)}>
        Reset the practice account…
      </Button>
      {reset.isSuccess && (
        <Text size="sm" role="status" data-testid="practice-reset">
          The practice account is as it was at the start: its three lists, six contacts and practice campaigns.
        </Text>
      )}
      <Modal
        opened={asking}
        onClose={() => setAsking(false)}
        title="Reset the practice account?"
        closeButtonProps={{ 'aria-label': 'Close' }}
        // Inside the page's main landmark, so its header is not a second banner of the page (and
        // outside the account's card, which would clip it).
        portalProps={{ target: 'main' }}
      >
        <Stack>
          <Text size="sm">
            Every list, contact and import you made in the practice account goes, and its campaigns are as they were at
            the start (the two practice messages drafts again), so it is as fast and as empty as at the start. You stay
            connected to it.
          </Text>
          <Text size="sm">
            Your jobs and their reports stay in your list of jobs; the practice lists they uploaded to are gone, so
            their messages can’t be sent from the practice account any more. A real Constant Contact account is never
            touched.
          </Text>
          {reset.error && <ProblemAlert problem={reset.error} onClose={reset.reset} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAsking(false)}>
              Keep it as it is
            </Button>
            <Button color="red" onClick={() => reset.mutate()} loading={reset.isPending}>
              Reset the practice account
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  )
}
