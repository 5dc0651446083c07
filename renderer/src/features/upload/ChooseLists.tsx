import { Button, Checkbox, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { useEffect, useState } from 'react'
import { useRoutineRuns } from '../routines/routine-run'
import { GROUP_KEYS, type GroupKey } from '../../../../shared/ids'
import { ask, useAction, useRequest } from '../../common/api/queries'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { GroupListChoice } from './GroupListChoice'
import { uploadChoices, type Drafts, type GroupChoiceDraft } from './list-choices'
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
  // A routine's run starts from the routine's lists (by ID), with the plan checked at once: one press of Start.
  const routine = useRoutineRuns().routineOfJob(jobId)
  const [drafts, setDrafts] = useState<Drafts>(() =>
    routine
      ? {
          '0': { mode: 'existing', listId: routine.lists['0'].listId, name: routine.lists['0'].name },
          '1': { mode: 'existing', listId: routine.lists['1'].listId, name: routine.lists['1'].name },
        }
      : {
          '0': { mode: 'new', listId: null, name: groupNames['0'] },
          '1': { mode: 'new', listId: null, name: groupNames['1'] },
        },
  )
  const [createFields, setCreateFields] = useState(false)
  // The plan is checked with the choices as they are; any change puts it away until checked again.
  const planCheck = useAction('upload.plan', { input: (choices: UploadChoices) => ({ jobId, choices }) })
  const plan = planCheck.data ?? null
  const { sameList, choices } = uploadChoices(drafts, lists, createFields)

  const change = (group: GroupKey, next: GroupChoiceDraft) => {
    setDrafts((d) => ({ ...d, [group]: next }))
    planCheck.reset()
  }
  const planRoutineLists = routine !== null && choices !== null && connected && listsQuery.isSuccess
  const { mutate: checkPlan } = planCheck
  useEffect(() => {
    if (planRoutineLists && choices) checkPlan(choices)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once the lists are known, for the routine's lists
  }, [planRoutineLists])
  const missingFields = plan?.customFields.filter((f) => !f.exists) ?? []

  return (
    <Stack gap="md">
      <Title order={3}>{routine ? `The lists of the routine “${routine.name}”` : 'Choose a list for each group'}</Title>
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
