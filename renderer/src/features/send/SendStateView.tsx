import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core'
import type { GroupSendState } from './types'
import { describeState, formatDateTime, isSettling } from './words'

const TITLE: Record<GroupSendState['phase'], string> = {
  sent: 'Sent',
  sending: 'Sending',
  scheduled: 'Scheduled',
  checking: 'Checking with Constant Contact',
  in_progress: 'Being sent elsewhere',
  not_sent: 'Not sent',
  unclear: 'Was this this job’s send?',
}

const COLOR: Record<GroupSendState['phase'], string> = {
  sent: 'teal',
  sending: 'teal',
  scheduled: 'blue',
  checking: 'yellow',
  in_progress: 'yellow',
  not_sent: 'gray',
  unclear: 'yellow',
}

/** Where one group's send stands, with Constant Contact's confirmation and, while scheduled, a way to cancel. */
export function SendStateView({
  state,
  onCancel,
  cancelling,
  onAnswer,
  answering,
}: {
  state: GroupSendState
  onCancel?: () => void
  cancelling?: boolean
  /** The person's answer when it can't be told whether a send Constant Contact shows was this job's. */
  onAnswer?: (answer: 'sent' | 'not_sent') => void
  answering?: boolean
}) {
  const confirmation = state.confirmation
  return (
    <Alert
      color={COLOR[state.phase]}
      title={TITLE[state.phase]}
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
      data-testid={`send-state-${state.group}`}
      data-phase={state.phase}
    >
      <Stack gap="xs">
        <Group gap="xs" wrap="nowrap">
          {isSettling(state) && <Loader size="xs" aria-hidden />}
          <Text size="sm" data-testid="send-state-words">
            {describeState(state)}
          </Text>
        </Group>
        {state.contacts !== undefined && state.phase !== 'not_sent' && (
          <Text size="sm">
            {state.contacts.toLocaleString('en-US')} contact{state.contacts === 1 ? ' was' : 's were'} on the list when
            it was sent to Constant Contact.
          </Text>
        )}
        {state.acceptedAt && state.phase !== 'not_sent' && (
          <Text size="sm">Constant Contact accepted it on {formatDateTime(state.acceptedAt)}.</Text>
        )}
        {confirmation &&
          state.phase !== 'not_sent' &&
          (confirmation.sendId !== undefined || confirmation.count !== undefined) && (
            <Text size="sm" data-testid="send-confirmation">
              Constant Contact’s confirmation:
              {confirmation.sendId !== undefined ? ` send number ${confirmation.sendId}` : ''}
              {confirmation.count !== undefined
                ? `, to ${confirmation.count.toLocaleString('en-US')} contact${confirmation.count === 1 ? '' : 's'}`
                : ''}
              {confirmation.runDate ? `, on ${formatDateTime(confirmation.runDate)}` : ''}
              {confirmation.sendStatus ? ` (${confirmation.sendStatus.toLowerCase()})` : ''}.
            </Text>
          )}
        {state.phase === 'scheduled' && (
          <Text size="sm">Until then you can cancel it; nothing goes out before the time.</Text>
        )}
        {state.phase === 'unclear' && onAnswer && (
          <Group>
            <Button variant="default" onClick={() => onAnswer('sent')} loading={answering}>
              It was this job’s send
            </Button>
            <Button variant="default" onClick={() => onAnswer('not_sent')} loading={answering}>
              It wasn’t: this job’s send didn’t go out
            </Button>
          </Group>
        )}
        {state.canUnschedule && onCancel && (
          <Group>
            <Button color="red" variant="light" onClick={onCancel} loading={cancelling}>
              Cancel scheduled send
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  )
}
