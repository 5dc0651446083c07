import { Button, Checkbox, Group, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { useEffect, useState } from 'react'
import { useRoutineRuns } from '../routines/routine-run'
import type { Routine } from '../routines/types'
import { GROUP_KEYS, type GroupKey } from '../../../../shared/ids'
import type { MembershipPolicy } from '../../../../shared/membership/schemas'
import { useApi } from '../../common/api/client'
import { ask, useAction, useRequest } from '../../common/api/queries'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { GroupListChoice } from './GroupListChoice'
import { useCurrentJob } from './current-job'
import { firstChoice, uploadChoices, withAccountLists, type Drafts, type GroupChoiceDraft } from './list-choices'
import { ConfirmRemovals, leavingCount, ListMembership } from './ListMembership'
import { PlanSummary } from './PlanSummary'
import type { AccountList, MembershipChoice, PlanStep, UploadChoices, UploadPlan } from './types'
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
  onStart(planId: string, membership: MembershipChoice): void
}) {
  const listsQuery = useRequest(connected ? ask('upload.lists') : null)
  const lists = listsQuery.data ?? NO_LISTS
  // A routine's run starts from the routine's lists (by ID), with the plan checked at once: one press of
  // Start. Otherwise the lists of the choices the file was opened with (a picked job's, or the last
  // run's with these columns) are offered again.
  const routine = useRoutineRuns().routineOfJob(jobId)
  const { namesChosenBy, earlierLists } = useCurrentJob()
  const [chosen, setDrafts] = useState<Drafts>(() =>
    routine
      ? routineDrafts(routine, null).drafts
      : {
          '0': firstChoice(groupNames['0'], namesChosenBy?.['0'] === 'suggestion', earlierLists?.lists['0']),
          '1': firstChoice(groupNames['1'], namesChosenBy?.['1'] === 'suggestion', earlierLists?.lists['1']),
        },
  )
  const [createFields, setCreateFields] = useState(false)
  // The plan is checked with the choices as they are; any change puts it away until checked again.
  const planCheck = useAction('upload.plan', { input: (choices: UploadChoices) => ({ jobId, choices }) })
  const plan = planCheck.data ?? null
  // Once the account's lists are known, a list of the last run that is gone is made again.
  const { drafts, gone } =
    !routine && listsQuery.data ? withAccountLists(chosen, listsQuery.data) : { drafts: chosen, gone: [] }
  const { sameList, choices } = uploadChoices(drafts, lists, createFields)

  const change = (group: GroupKey, next: GroupChoiceDraft) => {
    setDrafts((d) => ({ ...(d ?? drafts), [group]: next }))
    planCheck.reset()
  }
  // Once the account's lists are known: a routine's list that is gone is created again when the
  // routine says so, or left for the person to choose; then the plan is checked.
  const [goneLists, setGoneLists] = useState<string[]>([])
  // Read afresh on arrival: a cached answer from before this session's uploads may lack their lists.
  const listsKnown = routine !== null && connected && listsQuery.isSuccess && listsQuery.isFetchedAfterMount
  // Adjusted while rendering (React's way for state that follows other state), once.
  const [applied, setApplied] = useState(false)
  if (listsKnown && !applied) {
    const { drafts: fixed, gone } = routineDrafts(routine, lists)
    setApplied(true)
    setDrafts(fixed)
    setGoneLists(gone)
  }
  const { mutate: checkPlan } = planCheck
  useEffect(() => {
    if (!listsKnown) return
    const { drafts: fixed, gone } = routineDrafts(routine, lists)
    const ready = uploadChoices(fixed, lists, false).choices
    if (ready && gone.length === 0) checkPlan(ready)
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the lists are known
  }, [listsKnown])
  const missingFields = plan?.customFields.filter((f) => !f.exists) ?? []

  return (
    <Stack gap="md">
      <Title order={3}>{routine ? `The lists of the routine “${routine.name}”` : 'Choose a list for each group'}</Title>
      {!routine && earlierLists && (
        <Text size="sm" data-testid="last-lists-note">
          {earlierLists.fromFile
            ? `The lists “${earlierLists.fromFile}” went to are chosen again.`
            : 'The lists of your last run with these columns are chosen again.'}
          {gone.map((name) => ` “${name}” is no longer in your Constant Contact account, so it would be made again.`)}
        </Text>
      )}
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
      {goneLists.length > 0 && (
        <Text role="alert">
          {goneLists.map((name) => `The routine’s list “${name}” isn’t in the account any more.`).join(' ')} Choose a
          list for it, then check the plan.
        </Text>
      )}
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
        {!connected ? (
          <Text size="sm">Connect your Constant Contact account first.</Text>
        ) : (
          GROUP_KEYS.some((g) => drafts[g].mode === 'new' && drafts[g].suggestion === 'unconfirmed') && (
            <Text size="sm">Use the suggested list names, or type your own, first.</Text>
          )
        )}
      </Group>
      {planCheck.isPending && <PlanProgress jobId={jobId} />}
      {plan && (
        <StartUpload
          key={plan.planId}
          plan={plan}
          policy={routine?.lists.policy}
          connected={connected}
          starting={starting}
          onStart={onStart}
        />
      )}
    </Stack>
  )
}

/**
 * The routine's lists as the form's choices. With the account's lists known, a list that is gone is
 * made again under its name when the routine allows it, and otherwise left to choose (and named in `gone`).
 */
function routineDrafts(routine: Routine, lists: AccountList[] | null): { drafts: Drafts; gone: string[] } {
  const gone: string[] = []
  const draftOf = (group: GroupKey): GroupChoiceDraft => {
    const { listId, name, createIfMissing } = routine.lists[group]
    if (!lists || lists.some((l) => l.listId === listId)) return { mode: 'existing', listId, name, suggestion: null }
    if (createIfMissing) return { mode: 'new', listId: null, name, suggestion: null }
    gone.push(name)
    return { mode: 'existing', listId: null, name, suggestion: null }
  }
  return { drafts: { '0': draftOf('0'), '1': draftOf('1') }, gone }
}

/** The checked plan in plain words, the choice for the contacts already on the lists, and Start. */
function StartUpload({
  plan,
  policy: routinePolicy,
  connected,
  starting,
  onStart,
}: {
  plan: UploadPlan
  /** A routine's choice, which wins over the plan's suggestion. */
  policy: MembershipPolicy | undefined
  connected: boolean
  starting: boolean
  onStart(planId: string, membership: MembershipChoice): void
}) {
  const [policy, setPolicy] = useState<MembershipPolicy>(routinePolicy ?? plan.membership.suggested)
  const [confirming, setConfirming] = useState(false)
  const leaving = leavingCount(plan, policy)
  const start = () => onStart(plan.planId, { policy, confirmedLeaving: leaving })
  return (
    <>
      <PlanSummary plan={plan} />
      <ListMembership plan={plan} policy={policy} onPolicy={setPolicy} />
      <Group>
        <Button
          size="md"
          onClick={() => (leaving > 0 ? setConfirming(true) : start())}
          disabled={plan.blockers.length > 0 || !connected}
          loading={starting}
        >
          Start the upload
        </Button>
        <Text size="sm">
          Nothing is sent to Constant Contact until you press Start
          {leaving > 0 ? ', and nobody is taken off a list until you confirm it' : ''}.
        </Text>
      </Group>
      <ConfirmRemovals
        plan={plan}
        policy={policy}
        opened={confirming}
        onBack={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false)
          start()
        }}
      />
    </>
  )
}

/** While the plan reads the lists' members from Constant Contact: what it is doing, as a bar. */
function PlanProgress({ jobId }: { jobId: string }) {
  const api = useApi()
  const [step, setStep] = useState<PlanStep | null>(null)
  useEffect(
    () => api.subscribe('upload.planProgress', (event) => event.jobId === jobId && setStep(event)),
    [api, jobId],
  )
  if (!step) return null
  const words =
    step.step === 'reading'
      ? `Reading the members of “${step.listName ?? 'the list'}” from Constant Contact…`
      : 'Comparing the lists with the file…'
  return (
    <Stack gap={4} data-testid="plan-progress">
      <Text size="sm" role="status">
        {words}
      </Text>
      <Progress
        value={step.step === 'reading' ? (step.percentDone ?? 5) : 100}
        animated
        aria-label="Reading the lists"
      />
    </Stack>
  )
}
