import { Badge, Button, Card, Group, Modal, Stack, Text } from '@mantine/core'
import { useIsMutating, type UseMutationResult } from '@tanstack/react-query'
import { useRef } from 'react'
import type { UserFacingError } from '../../../../shared/errors'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import type { PlannedSend } from './send-plan'
import type { GroupKey, GroupSendState, SendResult } from './types'
import { sendingKey, useSendGroup } from './use-send'
import { describeState, formatDateTime } from './words'

/**
 * The sends in the dialog, fixed when it opens (a group's row stays to show its result). Each opening
 * starts afresh: the dialog's content is made anew.
 */
export interface ConfirmPlan {
  sends: PlannedSend[]
  /** null: send now. */
  whenUtc: string | null
}

/**
 * The last look before sending: each campaign, the list it goes to and how many contacts are on it,
 * and when. Every send needs its own click, and a send that is under way or done can't be clicked again.
 */
export function ConfirmSends({
  jobId,
  routineName,
  plan,
  stateOf,
  onClose,
  onFailed,
}: {
  jobId: string
  /** A routine's run: each send goes by the routine's rule (its tests first, a dated copy where needed). */
  routineName?: string
  plan: ConfirmPlan | null
  /** Where a group's send stands now, so a finished send shows its latest state ("sending" becomes "sent"). */
  stateOf(group: GroupKey): GroupSendState | undefined
  onClose(): void
  onFailed(group: GroupKey): void
}) {
  const busy = useIsMutating({ mutationKey: sendingKey(jobId) }) > 0
  return (
    <Modal
      opened={plan !== null}
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
      {plan && (
        <ConfirmBody
          jobId={jobId}
          routineName={routineName}
          plan={plan}
          stateOf={stateOf}
          busy={busy}
          onClose={onClose}
          onFailed={onFailed}
        />
      )}
    </Modal>
  )
}

/** A send's action; a routine's run also says where its test went. */
type SendAction = UseMutationResult<SendResult & { testSentTo?: string[] }, UserFacingError, PlannedSend>

function ConfirmBody({
  jobId,
  routineName,
  plan,
  stateOf,
  busy,
  onClose,
  onFailed,
}: {
  jobId: string
  routineName: string | undefined
  plan: ConfirmPlan
  stateOf(group: GroupKey): GroupSendState | undefined
  busy: boolean
  onClose(): void
  onFailed(group: GroupKey): void
}) {
  const actions: Record<GroupKey, SendAction> = {
    '0': useSendGroup(jobId, plan.whenUtc, routineName),
    '1': useSendGroup(jobId, plan.whenUtc, routineName),
  }
  /** Groups with a send request under way: set at once, so a second press never asks again. */
  const asked = useRef(new Set<GroupKey>())
  const send = (planned: PlannedSend) => {
    if (asked.current.has(planned.group)) return
    asked.current.add(planned.group)
    actions[planned.group].mutate(planned, {
      onError: () => onFailed(planned.group),
      onSettled: () => asked.current.delete(planned.group),
    })
  }
  const allDone = plan.sends.every((s) => actions[s.group].isSuccess)

  return (
    <Stack>
      <Text size="sm">
        {plan.whenUtc
          ? `Each campaign will be scheduled to go out on ${formatDateTime(plan.whenUtc)}. You can cancel a scheduled send until then.`
          : 'Each campaign goes out right away. A sent email can’t be taken back.'}{' '}
        Press the button of each send you want to make.
      </Text>
      {plan.sends.map((planned) => (
        <ConfirmRow
          key={planned.group}
          planned={planned}
          scheduled={plan.whenUtc !== null}
          action={actions[planned.group]}
          live={stateOf(planned.group)}
          onSend={() => send(planned)}
        />
      ))}
      <Group justify="flex-end">
        <Button variant={allDone ? 'filled' : 'default'} onClick={onClose} disabled={busy}>
          {allDone ? 'Done' : 'Close'}
        </Button>
      </Group>
    </Stack>
  )
}

function ConfirmRow({
  planned,
  scheduled,
  action,
  live,
  onSend,
}: {
  planned: PlannedSend
  scheduled: boolean
  action: SendAction
  live: GroupSendState | undefined
  onSend(): void
}) {
  const done = action.data
  const state = done && live && live.phase !== 'not_sent' ? live : done?.state
  const sending = planned.copyName ?? planned.campaignName
  // The pressed button gives way to the send's result: the focus stays in the dialog, on this send.
  const card = useRef<HTMLDivElement>(null)
  const send = () => {
    card.current?.focus()
    onSend()
  }
  return (
    <Card
      withBorder
      ref={card}
      tabIndex={-1}
      role="group"
      aria-label={`Send of “${sending}”`}
      aria-busy={action.isPending}
      data-testid={`confirm-send-${planned.group}`}
    >
      <Stack gap="xs">
        <Text fw={600}>
          “{sending}” to the list “{planned.listName}”
        </Text>
        <Text size="sm">
          Group “{planned.groupName}”: {planned.contacts.toLocaleString('en-US')} contact
          {planned.contacts === 1 ? '' : 's'} on the list. Subject: “{planned.subject}”.
        </Text>
        {planned.copyName && (
          <Text size="sm" data-testid="confirm-copy">
            “{planned.campaignName}” was sent before, and Constant Contact won’t send it to this list as it is: a dated
            copy named “{planned.copyName}” is made and sent instead.
          </Text>
        )}
        {planned.testAddresses && planned.testAddresses.length > 0 && (
          <Text size="sm" data-testid="confirm-test">
            A test goes to {planned.testAddresses.join(', ')} first.
          </Text>
        )}
        {done && state ? (
          <Group gap="xs">
            <Badge color="teal" variant="light">
              {state.phase === 'scheduled' ? 'Scheduled' : 'Sent to Constant Contact'}
            </Badge>
            <Text size="sm" role="status" data-testid="confirm-result">
              {done.alreadyDone ? 'This was already done; nothing more was sent. ' : ''}
              {done.testSentTo?.length ? `The test went to ${done.testSentTo.join(', ')} first. ` : ''}
              {describeState(state)}
            </Text>
          </Group>
        ) : (
          <Group>
            <Button
              color={scheduled ? undefined : 'red.9'}
              onClick={send}
              loading={action.isPending}
              disabled={action.isPending}
              // Long campaign and list names wrap: the button says in full what it sends where.
              h="auto"
              mih={36}
              py={6}
              maw="100%"
              styles={{ label: { whiteSpace: 'normal', textAlign: 'left', lineHeight: 1.35, overflow: 'visible' } }}
              data-testid="confirm-send-button"
            >
              {scheduled ? 'Schedule' : 'Send'} “{sending}” to “{planned.listName}”
            </Button>
          </Group>
        )}
        {action.error && <ProblemAlert problem={action.error} />}
      </Stack>
    </Card>
  )
}
