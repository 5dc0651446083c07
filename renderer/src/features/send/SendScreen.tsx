import { Button, Group, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import { GROUP_KEYS } from '../../../../shared/ids'
import { Loading } from '../../common/components/Loading'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { useAccountStatus } from '../connect/account'
import { useCurrentJob } from '../upload/current-job'
import { usePrepareSession } from '../prepare/session'
import { ConfirmSends, type ConfirmPlan } from './ConfirmSends'
import { Gate, SEND_TITLE } from './Gate'
import { GroupCard } from './GroupCard'
import { campaignOf, SKIP, sendPlan } from './send-plan'
import type { GroupKey, SendJob } from './types'
import { useCampaignCheck } from './use-campaign-check'
import { useCampaigns, useResolveSend, useSendJob, useSendStates, useUnschedule } from './use-send'
import { useSendTime, WhenToSend } from './WhenToSend'
import { useRoutineRuns } from '../routines/routine-run'
import { SaveAsRoutine, useRecordRoutineRun } from '../routines/SaveAsRoutine'
import type { Routine } from '../routines/types'
import { routineSendTime } from '../../../../shared/routines/send-time'

/** The routine's campaign per group, as the pickers' values. */
function routineCampaigns(routine: Routine): Record<GroupKey, string> {
  const of = (group: GroupKey) => {
    const sending = routine.sending[group]
    return sending.send ? sending.campaign.id : SKIP
  }
  return { '0': of('0'), '1': of('1') }
}

interface Navigation {
  onBack(): void
  onConnect(): void
  onContinue?: () => void
}

/**
 * Step 6: each uploaded group gets its own campaign (or none). The person sees the campaign's subject,
 * sender and content, the checks before sending in plain words, can send a test, chooses now or a
 * time in their own zone, and confirms each send with its own click. Sending is exactly once per group
 * per job: the engine guarantees it, and the screen never asks twice while a send is under way.
 */
export function SendScreen(navigation: Navigation) {
  const { jobId } = useCurrentJob()
  if (!jobId) {
    return (
      <Gate onBack={navigation.onBack}>
        Prepare the groups and upload them first. Splitsend sends only to groups it has put on their Constant Contact
        lists.
      </Gate>
    )
  }
  return <SendJobScreen jobId={jobId} {...navigation} />
}

/** What must be in place before choosing: a connected account, and groups this job uploaded. */
function SendJobScreen({ jobId, ...navigation }: Navigation & { jobId: string }) {
  const { onBack, onConnect } = navigation
  const account = useAccountStatus()
  const job = useSendJob(jobId)

  if (account.isPending || job.isPending) {
    return (
      <Stack>
        <Title order={2}>{SEND_TITLE}</Title>
        <Loading size="sm" words="Reading the job and your account…" />
      </Stack>
    )
  }
  if (account.error) return <Gate onBack={onBack} problem={account.error} onRetry={() => void account.refetch()} />
  if (!account.data.connected || account.data.needsReconnect) {
    return (
      <Gate onBack={onBack} action={{ label: 'Connect your account', onClick: onConnect }}>
        {account.data.needsReconnect
          ? 'The connection to Constant Contact has ended. Connect your account again to send; nothing is lost.'
          : 'Connect your Constant Contact account first: the campaigns are sent from there.'}
      </Gate>
    )
  }
  if (job.error) return <Gate onBack={onBack} problem={job.error} onRetry={() => void job.refetch()} />
  if (job.data.uploads.length === 0) {
    return (
      <Gate onBack={onBack}>
        Upload the groups first. Splitsend sends each group’s campaign to the list the group was uploaded to, and this
        job hasn’t uploaded any group yet.
      </Gate>
    )
  }
  return <SendChoices jobId={jobId} job={job.data} {...navigation} />
}

/** The campaigns chosen for the groups, when they go, and the confirmation. */
function SendChoices({ jobId, job, onBack, onContinue }: Navigation & { jobId: string; job: SendJob }) {
  const campaigns = useCampaigns()
  const states = useSendStates(jobId)
  const unschedule = useUnschedule(jobId)
  const resolveSend = useResolveSend(jobId)
  // A routine's run starts from the routine's campaigns (or "don't send"); a file opened with a picked
  // job's choices from that job's campaigns. Every check still applies.
  const routine = useRoutineRuns().routineOfJob(jobId)
  const template = usePrepareSession().templateOf(jobId)
  const [choices, setChoices] = useState<Record<GroupKey, string | null>>(() =>
    routine
      ? routineCampaigns(routine)
      : { '0': template?.campaigns['0']?.campaignId ?? null, '1': template?.campaigns['1']?.campaignId ?? null },
  )
  useRecordRoutineRun(jobId, states.data?.map((s) => s.phase).join() ?? null)
  const time = useSendTime(routine ? routineSendTime(routine, new Date()) : null)
  const [confirmPlan, setConfirmPlan] = useState<ConfirmPlan | null>(null)

  const stateOf = (group: GroupKey) => states.data?.find((s) => s.group === group)
  const checks = {
    '0': useCampaignCheck(jobId, '0', campaignOf(choices['0']), stateOf('0')?.phase),
    '1': useCampaignCheck(jobId, '1', campaignOf(choices['1']), stateOf('1')?.phase),
  }
  const plan = sendPlan({
    job,
    states: states.data,
    choices,
    checks: { '0': checks['0'].check, '1': checks['1'].check },
    whenProblem: time.problem,
    ...(routine ? { routine } : {}),
  })
  const openConfirm = () => {
    if (plan.canSend && !('problem' in time.when)) setConfirmPlan({ sends: plan.planned, whenUtc: time.when.utc })
  }
  const anySendMade = states.data?.some((s) => s.phase !== 'not_sent') ?? false
  const readProblem = campaigns.error ?? states.error

  return (
    <Stack gap="lg">
      <Title order={2}>{SEND_TITLE}</Title>
      <Text>
        Choose the email campaign each group gets. Splitsend sends it to the list the group was uploaded to, and to
        nobody else. Each group is sent to once: pressing Send again never sends twice.
      </Text>
      {unschedule.error && <ProblemAlert problem={unschedule.error} onClose={unschedule.reset} />}
      {resolveSend.error && <ProblemAlert problem={resolveSend.error} onClose={resolveSend.reset} />}
      {readProblem && (
        <ProblemAlert problem={readProblem} onRetry={() => void Promise.all([campaigns.refetch(), states.refetch()])} />
      )}

      {GROUP_KEYS.map((group) => (
        <GroupCard
          key={group}
          jobId={jobId}
          group={group}
          groupName={job.groupNames[group]}
          upload={job.uploads.find((u) => u.group === group)}
          state={stateOf(group)}
          campaigns={campaigns.data}
          choice={choices[group]}
          onChoose={(value) => setChoices((c) => ({ ...c, [group]: value }))}
          check={checks[group].check}
          onRecheck={checks[group].recheck}
          onCancel={() => !unschedule.isPending && unschedule.mutate(group)}
          cancelling={unschedule.isPending && unschedule.variables === group}
          onAnswer={(answer) => !resolveSend.isPending && resolveSend.mutate({ group, answer })}
          answering={resolveSend.isPending && resolveSend.variables?.group === group}
          routineRun={Boolean(routine)}
        />
      ))}

      {plan.open.length > 0 && (
        <WhenToSend
          time={time}
          blockers={plan.blockers}
          nothingChosen={plan.chosen.length === 0}
          allSkipped={plan.open.every((g) => choices[g] === SKIP)}
          canSend={plan.canSend}
          onSend={openConfirm}
        />
      )}

      <ConfirmSends
        jobId={jobId}
        routineName={routine?.name}
        plan={confirmPlan}
        stateOf={stateOf}
        onClose={() => setConfirmPlan(null)}
        onFailed={(group) => checks[group].recheck()}
      />

      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        <Group>
          <SaveAsRoutine jobId={jobId} />
          {onContinue && (
            <Button size="md" variant={anySendMade ? 'filled' : 'default'} onClick={onContinue}>
              Continue: the report
            </Button>
          )}
        </Group>
      </Group>
    </Stack>
  )
}
