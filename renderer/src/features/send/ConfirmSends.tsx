import { Badge, Button, Card, Group, Modal, Stack, Text } from '@mantine/core'
import type { ContractErrorData } from '../../../../shared/errors'
import type { GroupKey, GroupSendState } from './types'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { describeState, formatDateTime } from './words'

/** One send the person is about to make. */
export interface PlannedSend {
  group: GroupKey
  groupName: string
  campaignId: string
  campaignName: string
  subject: string
  listName: string
  contacts: number
}

export type SendProgress =
  | { status: 'waiting' }
  | { status: 'sending' }
  | { status: 'done'; state: GroupSendState; alreadyDone: boolean }
  | { status: 'failed'; problem: ContractErrorData }

/**
 * The last look before sending: each campaign, the list it goes to and how many contacts are on it,
 * and when. Every send needs its own click, and a send that is under way or done can't be clicked again.
 */
export function ConfirmSends({
  opened,
  onClose,
  sends,
  progress,
  whenUtc,
  onSend,
}: {
  opened: boolean
  onClose(): void
  sends: PlannedSend[]
  progress: Partial<Record<GroupKey, SendProgress>>
  /** null: send now. */
  whenUtc: string | null
  onSend(group: GroupKey): void
}) {
  const busy = sends.some((s) => progress[s.group]?.status === 'sending')
  const allDone = sends.every((s) => progress[s.group]?.status === 'done')
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title="Send for real?"
      size="lg"
      closeOnClickOutside={!busy}
      closeOnEscape={!busy}
      withCloseButton={!busy}
      closeButtonProps={{ 'aria-label': 'Close' }}
      // Inside the page's main landmark, so its header is not a second banner of the page.
      withinPortal={false}
    >
      <Stack>
        <Text size="sm">
          {whenUtc
            ? `Each campaign will be scheduled to go out on ${formatDateTime(whenUtc)}. You can cancel a scheduled send until then.`
            : 'Each campaign goes out right away. A sent email can’t be taken back.'}{' '}
          Press the button of each send you want to make.
        </Text>
        {sends.map((send) => {
          const state = progress[send.group] ?? { status: 'waiting' }
          const verb = whenUtc ? 'Schedule' : 'Send'
          return (
            <Card key={send.group} withBorder data-testid={`confirm-send-${send.group}`}>
              <Stack gap="xs">
                <Text fw={600}>
                  “{send.campaignName}” to the list “{send.listName}”
                </Text>
                <Text size="sm">
                  Group “{send.groupName}”: {send.contacts.toLocaleString('en-US')} contact
                  {send.contacts === 1 ? '' : 's'} on the list. Subject: “{send.subject}”.
                </Text>
                {state.status === 'done' ? (
                  <Group gap="xs">
                    <Badge color="teal" variant="light">
                      {state.state.phase === 'scheduled' ? 'Scheduled' : 'Sent to Constant Contact'}
                    </Badge>
                    <Text size="sm" data-testid="confirm-result">
                      {state.alreadyDone ? 'This was already done; nothing more was sent. ' : ''}
                      {describeState(state.state)}
                    </Text>
                  </Group>
                ) : (
                  <Group>
                    <Button
                      color={whenUtc ? undefined : 'red'}
                      onClick={() => onSend(send.group)}
                      loading={state.status === 'sending'}
                      disabled={state.status === 'sending'}
                    >
                      {verb} “{send.campaignName}” to “{send.listName}”
                    </Button>
                  </Group>
                )}
                {state.status === 'failed' && <ProblemAlert problem={state.problem} />}
              </Stack>
            </Card>
          )
        })}
        <Group justify="flex-end">
          <Button variant={allDone ? 'filled' : 'default'} onClick={onClose} disabled={busy}>
            {allDone ? 'Done' : 'Close'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
