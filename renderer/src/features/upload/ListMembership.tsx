import { Alert, Button, Card, Group, List, Modal, Radio, Stack, Text, Title } from '@mantine/core'
import { leavingWith, type MembershipPolicy } from '../../../../shared/membership/schemas'
import {
  leavingSentence,
  movementSentence,
  POLICY_EXPLANATIONS,
  POLICY_LABELS,
  REMOVAL_IS_NOT_DELETION,
  sampleName,
} from '../../../../shared/membership/words'
import { countOf, formatCount } from '../../common/words'
import type { UploadPlan } from './types'

const POLICIES: MembershipPolicy[] = ['add', 'move', 'match']
type Comparison = NonNullable<UploadPlan['membership']['comparison']>

/** How many contacts a choice takes off the lists, by the plan's comparison. */
export function leavingCount(plan: UploadPlan, policy: MembershipPolicy): number {
  return plan.membership.comparison?.lists.reduce((n, l) => n + leavingWith(l, policy), 0) ?? 0
}

/**
 * Lists that match the file: what happens to the contacts already on the lists. The three choices
 * in plain words, and, for the one chosen, per list how many the upload adds, how many move out and
 * how many are removed for not being in the file, with a few names.
 */
export function ListMembership({
  plan,
  policy,
  onPolicy,
}: {
  plan: UploadPlan
  policy: MembershipPolicy
  onPolicy(policy: MembershipPolicy): void
}) {
  const comparison = plan.membership.comparison
  return (
    <Card withBorder data-testid="list-membership">
      <Stack gap="sm">
        <Title order={3}>Contacts already on the lists</Title>
        <Radio.Group
          value={policy}
          onChange={(value) => onPolicy(value as MembershipPolicy)}
          aria-label="What happens to contacts already on the lists"
        >
          <Stack gap="xs">
            {POLICIES.map((p) => (
              <Radio
                key={p}
                value={p}
                data-testid={`policy-${p}`}
                label={`${POLICY_LABELS[p]}${p === plan.membership.suggested ? ' (suggested)' : ''}`}
                description={POLICY_EXPLANATIONS[p]}
              />
            ))}
          </Stack>
        </Radio.Group>
        <Text size="sm">{REMOVAL_IS_NOT_DELETION}</Text>
        {comparison ? (
          <Movement plan={plan} comparison={comparison} policy={policy} />
        ) : (
          <Text size="sm">The lists have no members yet, so nobody has to leave them.</Text>
        )}
      </Stack>
    </Card>
  )
}

function Movement({
  plan,
  comparison,
  policy,
}: {
  plan: UploadPlan
  comparison: Comparison
  policy: MembershipPolicy
}) {
  const both = comparison.onBoth[policy]
  return (
    <Stack gap="xs" data-testid="movement">
      {comparison.lists.map((list) => {
        const group = plan.groups.find((g) => g.group === list.group)!
        const leaving = [
          ...(policy === 'add' ? [] : list.samples.movedOut),
          ...(policy === 'match' ? list.samples.notInFile : []),
        ]
        return (
          <div key={list.group} data-testid={`movement-${list.group}`}>
            <Text size="sm">{movementSentence(list, policy, group.list?.name ?? '', group.groupName)}</Text>
            {leaving.length > 0 && (
              <Text size="sm" c="dimmed">
                Leaving it, for example: {leaving.slice(0, 5).map(sampleName).join(', ')}
              </Text>
            )}
          </div>
        )
      })}
      <Text size="sm" fw={600} data-testid="leaving-total">
        {leavingSentence(comparison.lists, policy)}
      </Text>
      {comparison.lists.length === 2 && both > 0 && (
        <Alert color="yellow" title={`${countOf(both, 'contact')} would be on both lists`} data-testid="on-both">
          <Text size="sm">
            They would get both messages.{' '}
            {policy === 'add'
              ? `Choose “${POLICY_LABELS.move}” to take the customers whose flag changed off their old list.`
              : `They are in neither group of this file; “${POLICY_LABELS.match}” takes them off both.`}
          </Text>
          {comparison.onBoth.sample.length > 0 && policy !== 'add' && (
            <Text size="sm" c="dimmed">
              For example: {comparison.onBoth.sample.map(sampleName).join(', ')}
            </Text>
          )}
        </Alert>
      )}
    </Stack>
  )
}

/** Before anything is taken off a list, the person confirms the numbers the plan shows. */
export function ConfirmRemovals({
  plan,
  policy,
  opened,
  onBack,
  onConfirm,
}: {
  plan: UploadPlan
  policy: MembershipPolicy
  opened: boolean
  onBack(): void
  onConfirm(): void
}) {
  const lists = plan.membership.comparison?.lists ?? []
  const total = leavingCount(plan, policy)
  return (
    <Modal
      opened={opened}
      onClose={onBack}
      title={`Take ${countOf(total, 'contact')} off the lists?`}
      closeButtonProps={{ 'aria-label': 'Go back' }}
      centered
    >
      <Stack data-testid="confirm-removals">
        <Text size="sm">
          After the upload, Splitsend takes these contacts off these lists ({POLICY_LABELS[policy]}):
        </Text>
        <List size="sm">
          {lists
            .filter((l) => leavingWith(l, policy) > 0)
            .map((l) => {
              const group = plan.groups.find((g) => g.group === l.group)!
              return (
                <List.Item key={l.group}>
                  “{group.list?.name}”: {formatCount(l.movedOut)} whose flag changed
                  {policy === 'match' ? `, ${formatCount(l.notInFile)} not in this file` : ''}
                </List.Item>
              )
            })}
        </List>
        <Text size="sm">{REMOVAL_IS_NOT_DELETION}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onBack}>
            Go back
          </Button>
          <Button onClick={onConfirm} data-testid="confirm-removals-button">
            Upload, then take them off
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
