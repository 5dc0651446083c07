import { Button, Checkbox, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { GROUP_KEYS, type GroupKey } from '../../../../shared/ids'
import { ask, useAction, useRequest } from '../../common/api/queries'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { GroupListChoice } from './GroupListChoice'
import { firstDrafts, uploadChoices, type Drafts, type GroupChoiceDraft } from './list-choices'
import { usePrepareSession } from '../prepare/session'
import { PlanSummary } from './PlanSummary'
import type { AccountList, UploadChoices, UploadPlan } from './types'
const NO_LISTS: AccountList[] = []

/**
 * Step 5, first part: for each group, a list (existing or new) or "don't upload"; then the plan in
 * plain words, and Start. Changing any choice asks for the plan to be checked again, so what
 * starts is always what the person saw.
 */
export function ChooseLists({
  jobId,
  groupNames,
  groupContacts,
  connected,
  starting,
  onStart,
}: {
  jobId: string
  groupNames: Record<GroupKey, string>
  groupContacts: Record<GroupKey, number>
  connected: boolean
  starting: boolean
  onStart(planId: string): void
}) {
  const listsQuery = useRequest(connected ? ask('upload.lists') : null)
  const lists = listsQuery.data ?? NO_LISTS
  // The person's choices once they change one; until then the lists of the job whose choices this
  // file was opened with (found again by ID), else a new list named after each group.
  const template = usePrepareSession().templateOf(jobId)
  const [changed, setDrafts] = useState<Drafts | null>(null)
  const drafts = changed ?? firstDrafts(groupNames, template?.lists ?? null, lists)
  const [createFields, setCreateFields] = useState(false)
  // The plan is checked with the choices as they are; any change puts it away until checked again.
  const planCheck = useAction('upload.plan', { input: (choices: UploadChoices) => ({ jobId, choices }) })
  const plan = planCheck.data ?? null
  const { sameList, choices } = uploadChoices(drafts, lists, createFields)

  const change = (group: GroupKey, next: GroupChoiceDraft) => {
    setDrafts((d) => ({ ...(d ?? drafts), [group]: next }))
    planCheck.reset()
  }
  const missingFields = plan?.customFields.filter((f) => !f.exists) ?? []

  return (
    <Stack gap="md">
      <Title order={3}>Choose a list for each group</Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {GROUP_KEYS.map((group) => (
          <GroupListChoice
            key={group}
            groupKey={group}
            groupName={groupNames[group]}
            contacts={groupContacts[group]}
            lists={lists}
            listsLoading={listsQuery.isFetching}
            draft={drafts[group]}
            onChange={(next) => change(group, next)}
            conflict={
              group === '1' && sameList
                ? 'Both groups can’t go to the same list. Choose another list, or don’t upload one of the groups.'
                : null
            }
          />
        ))}
      </SimpleGrid>
      {drafts['0'].mode === 'skip' && drafts['1'].mode === 'skip' && (
        <Text>Choose a list for at least one of the groups.</Text>
      )}
      {listsQuery.error && <ProblemAlert problem={listsQuery.error} onRetry={() => void listsQuery.refetch()} />}
      {planCheck.error && <ProblemAlert problem={planCheck.error} onClose={planCheck.reset} />}
      {(missingFields.length > 0 || createFields) && (
        <Checkbox
          label={`Create the custom fields Constant Contact doesn’t have yet${missingFields.length ? `: ${missingFields.map((f) => `“${f.label}”`).join(', ')}` : ''}`}
          checked={createFields}
          onChange={(event) => {
            const checked = event.currentTarget.checked
            setCreateFields(checked)
            planCheck.reset()
            if (choices) planCheck.mutate({ ...choices, createCustomFields: checked })
          }}
        />
      )}
      <Group>
        <Button
          variant={plan ? 'default' : 'filled'}
          onClick={() => choices && planCheck.mutate(choices)}
          disabled={!choices || !connected}
          loading={planCheck.isPending}
        >
          {plan ? 'Check the plan again' : 'Check the plan'}
        </Button>
        {!connected && <Text size="sm">Connect your Constant Contact account first.</Text>}
      </Group>
      {plan && <StartUpload plan={plan} connected={connected} starting={starting} onStart={onStart} />}
    </Stack>
  )
}

/** The checked plan in plain words, and Start. */
function StartUpload({
  plan,
  connected,
  starting,
  onStart,
}: {
  plan: UploadPlan
  connected: boolean
  starting: boolean
  onStart(planId: string): void
}) {
  return (
    <>
      <PlanSummary plan={plan} />
      <Group>
        <Button
          size="md"
          onClick={() => onStart(plan.planId)}
          disabled={plan.blockers.length > 0 || !connected}
          loading={starting}
        >
          Start the upload
        </Button>
        <Text size="sm">Nothing is sent to Constant Contact until you press Start.</Text>
      </Group>
    </>
  )
}
