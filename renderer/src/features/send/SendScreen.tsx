import { Alert, Button, Card, Grid, Group, Loader, Radio, Stack, Text, TextInput, Title } from '@mantine/core'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { AccountStatus } from '../connect/types'
import type { ContractErrorData } from '../../../../shared/errors'
import type { CampaignChoice, GroupKey, GroupSendState, SendJob, UploadOutcome } from './types'
import { errorData, useApi } from '../../common/api/client'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { CampaignPicker, SKIP } from './CampaignPicker'
import { CampaignPreview } from './CampaignPreview'
import { ConfirmSends, type PlannedSend, type SendProgress } from './ConfirmSends'
import { PreflightChecks } from './PreflightChecks'
import { SendStateView } from './SendStateView'
import { TestSend } from './TestSend'
import { usePrepareSession } from '../prepare/session'
import { useCampaignCheck, type CampaignCheck } from './use-campaign-check'
import { isSettling, localInputValue, scheduleTimeFromLocal, timeZoneLabel } from './words'

const GROUPS: readonly GroupKey[] = ['0', '1']
/** How often the screen asks again while Constant Contact is still sending or being checked. */
const SETTLING_POLL_MS = 2_500

type Loaded<T> =
  { status: 'loading' } | { status: 'ready'; value: T } | { status: 'failed'; problem: ContractErrorData }

/**
 * Step 6: each uploaded group gets its own campaign (or none). The person sees the campaign's subject,
 * sender and content, the checks before sending in plain words, can send a test, chooses now or a
 * time in their own zone, and confirms each send with its own click. Sending is exactly once per group
 * per job: the engine guarantees it, and the screen never asks twice while a send is under way.
 */
export function SendScreen({
  onBack,
  onConnect,
  onContinue,
}: {
  onBack(): void
  onConnect(): void
  onContinue?: () => void
}) {
  const api = useApi()
  const { run } = usePrepareSession()
  const jobId = run.status === 'done' ? run.result.jobId : null

  const [account, setAccount] = useState<Loaded<AccountStatus>>({ status: 'loading' })
  const [job, setJob] = useState<Loaded<SendJob>>({ status: 'loading' })
  const [campaigns, setCampaigns] = useState<Loaded<CampaignChoice[]>>({ status: 'loading' })
  const [states, setStates] = useState<Loaded<GroupSendState[]>>({ status: 'loading' })
  const [choices, setChoices] = useState<Record<GroupKey, string | null>>({ '0': null, '1': null })
  const [timing, setTiming] = useState<'now' | 'later'>('now')
  const [laterValue, setLaterValue] = useState(() => localInputValue(new Date(Date.now() + 24 * 3600_000)))
  /** The sends in the confirmation dialog, fixed when it opens (a group's row stays to show its result). */
  const [confirmPlan, setConfirmPlan] = useState<{ sends: PlannedSend[]; whenUtc: string | null } | null>(null)
  const [progress, setProgress] = useState<Partial<Record<GroupKey, SendProgress>>>({})
  const [cancelling, setCancelling] = useState<GroupKey | null>(null)
  const [problem, setProblem] = useState<ContractErrorData | null>(null)
  /** Groups with a send request under way: set at once, so a second press never asks again. */
  const sending = useRef(new Set<GroupKey>())
  /** Bumped when a group's send state changes, so its checks are read again. */
  const [stateVersion, setStateVersion] = useState<Record<GroupKey, number>>({ '0': 0, '1': 0 })

  const loadAll = useCallback(async () => {
    setProblem(null)
    const status = await api.call('account.status').then(
      (value): Loaded<AccountStatus> => ({ status: 'ready', value }),
      (error: unknown): Loaded<AccountStatus> => ({ status: 'failed', problem: errorData(error) }),
    )
    setAccount(status)
    if (!jobId) return
    const jobAnswer = await api.call('send.job', { jobId }).then(
      (value): Loaded<SendJob> => ({ status: 'ready', value }),
      (error: unknown): Loaded<SendJob> => ({ status: 'failed', problem: errorData(error) }),
    )
    setJob(jobAnswer)
    if (
      status.status !== 'ready' ||
      !status.value.connected ||
      jobAnswer.status !== 'ready' ||
      jobAnswer.value.uploads.length === 0
    )
      return
    await Promise.all([
      api.call('send.campaigns', {}).then(
        (value) => setCampaigns({ status: 'ready', value }),
        (error: unknown) => setCampaigns({ status: 'failed', problem: errorData(error) }),
      ),
      api.call('send.state', { jobId }).then(
        (value) => setStates({ status: 'ready', value }),
        (error: unknown) => setStates({ status: 'failed', problem: errorData(error) }),
      ),
    ])
  }, [api, jobId])

  useEffect(() => {
    void loadAll()
  }, [loadAll])

  const stateOf = useCallback(
    (group: GroupKey) => (states.status === 'ready' ? states.value.find((s) => s.group === group) : undefined),
    [states],
  )

  const applyState = useCallback((next: GroupSendState) => {
    setStates((current) =>
      current.status === 'ready'
        ? { status: 'ready', value: current.value.map((s) => (s.group === next.group ? next : s)) }
        : current,
    )
    setStateVersion((v) => ({ ...v, [next.group]: v[next.group] + 1 }))
  }, [])

  // While Constant Contact is still sending (or an interrupted send is being checked), look again now and then.
  const settling = states.status === 'ready' && states.value.some(isSettling)
  useEffect(() => {
    if (!settling || !jobId) return
    const timer = setTimeout(() => {
      api.call('send.state', { jobId }).then(
        (value) => {
          setStates((current) => {
            if (current.status === 'ready') {
              for (const s of value)
                if (current.value.find((c) => c.group === s.group)?.phase !== s.phase)
                  setStateVersion((v) => ({ ...v, [s.group]: v[s.group] + 1 }))
            }
            return { status: 'ready', value }
          })
        },
        (error: unknown) => setProblem(errorData(error)),
      )
    }, SETTLING_POLL_MS)
    return () => clearTimeout(timer)
  }, [api, jobId, settling, states])

  const check0 = useCampaignCheck(jobId, '0', campaignOf(choices['0']), stateVersion['0'])
  const check1 = useCampaignCheck(jobId, '1', campaignOf(choices['1']), stateVersion['1'])
  const checks: Record<GroupKey, { check: CampaignCheck; recheck(): void }> = { '0': check0, '1': check1 }

  const when = useMemo(
    () => (timing === 'now' ? ({ utc: null } as const) : scheduleTimeFromLocal(laterValue)),
    [timing, laterValue],
  )

  // ---- What can't go on yet ----------------------------------------------------------------------
  if (!jobId) {
    return (
      <Gate title="Send each group its message" onBack={onBack}>
        Prepare the groups and upload them first. Splitsend sends only to groups it has put on their Constant Contact
        lists.
      </Gate>
    )
  }
  if (account.status === 'loading' || job.status === 'loading') {
    return (
      <Stack>
        <Title order={2}>Send each group its message</Title>
        <Group gap="sm">
          <Loader size="sm" aria-hidden />
          <Text>Reading the job and your account…</Text>
        </Group>
      </Stack>
    )
  }
  if (account.status === 'failed')
    return (
      <Gate
        title="Send each group its message"
        onBack={onBack}
        problem={account.problem}
        onRetry={() => void loadAll()}
      />
    )
  if (!account.value.connected || account.value.needsReconnect) {
    return (
      <Gate
        title="Send each group its message"
        onBack={onBack}
        action={{ label: 'Connect your account', onClick: onConnect }}
      >
        {account.value.needsReconnect
          ? 'The connection to Constant Contact has ended. Connect your account again to send; nothing is lost.'
          : 'Connect your Constant Contact account first: the campaigns are sent from there.'}
      </Gate>
    )
  }
  if (job.status === 'failed')
    return (
      <Gate title="Send each group its message" onBack={onBack} problem={job.problem} onRetry={() => void loadAll()} />
    )
  const { groupNames, uploads } = job.value
  if (uploads.length === 0) {
    return (
      <Gate title="Send each group its message" onBack={onBack}>
        Upload the groups first. Splitsend sends each group’s campaign to the list the group was uploaded to, and this
        job hasn’t uploaded any group yet.
      </Gate>
    )
  }

  // ---- The sends the person has chosen ----------------------------------------------------------
  const uploadOf = (group: GroupKey) => uploads.find((u) => u.group === group)
  const open = GROUPS.filter((g) => uploadOf(g)?.finished && (stateOf(g)?.phase ?? 'not_sent') === 'not_sent')
  const chosen = open.filter((g) => campaignOf(choices[g]) !== null)
  const sameCampaign = chosen.length === 2 && choices['0'] === choices['1']
  const undecided = open.filter((g) => choices[g] === null)
  const notReady = chosen.filter((g) => {
    const c = checks[g].check
    return c.status !== 'ready' || !c.preflight.canSend
  })
  const whenProblem = 'problem' in when ? when.problem : null
  const blockers = [
    ...(states.status !== 'ready' ? ['Splitsend is still reading what was sent already.'] : []),
    ...undecided.map((g) => `Choose a campaign for “${groupNames[g]}”, or choose not to send to it.`),
    ...(sameCampaign
      ? [
          'The same campaign is chosen for both groups. A campaign goes to one list at a time: pick a different campaign for each group.',
        ]
      : []),
    ...notReady.map((g) =>
      checks[g].check.status === 'loading'
        ? `The checks for “${groupNames[g]}” are still running.`
        : `A check stops the send to “${groupNames[g]}”; see above.`,
    ),
    ...(chosen.length > 0 && whenProblem ? [whenProblem] : []),
  ]
  const canSend = chosen.length > 0 && blockers.length === 0

  const planned: PlannedSend[] = chosen.flatMap((g) => {
    const c = checks[g].check
    if (c.status !== 'ready') return []
    const upload = uploadOf(g)!
    return [
      {
        group: g,
        groupName: groupNames[g],
        campaignId: c.details.campaignId,
        campaignName: c.details.name,
        subject: c.details.subject,
        listName: c.preflight.list?.listName ?? upload.listName,
        contacts: c.preflight.list?.membersNow ?? c.preflight.list?.contactsAdded ?? upload.contactsAdded,
      },
    ]
  })
  const openConfirm = () => {
    if (!canSend) return
    setProgress(Object.fromEntries(planned.map((p) => [p.group, { status: 'waiting' }])))
    setConfirmPlan({ sends: planned, whenUtc: timing === 'now' || 'problem' in when ? null : when.utc })
  }

  const sendOne = async (group: GroupKey) => {
    const plan = confirmPlan?.sends.find((p) => p.group === group)
    if (!confirmPlan || !plan || sending.current.has(group)) return
    sending.current.add(group)
    setProgress((p) => ({ ...p, [group]: { status: 'sending' } }))
    try {
      const result = await api.call('send.send', {
        jobId,
        group,
        campaignId: plan.campaignId,
        when: confirmPlan.whenUtc ?? 'now',
      })
      setProgress((p) => ({ ...p, [group]: { status: 'done', state: result.state, alreadyDone: result.alreadyDone } }))
      applyState(result.state)
    } catch (error) {
      setProgress((p) => ({ ...p, [group]: { status: 'failed', problem: errorData(error) } }))
      // Whatever happened, show what Constant Contact and the journal say now.
      api.call('send.state', { jobId }).then(
        (value) => setStates({ status: 'ready', value }),
        () => {},
      )
      checks[group].recheck()
    } finally {
      sending.current.delete(group)
    }
  }

  const cancel = async (group: GroupKey) => {
    if (cancelling) return
    setCancelling(group)
    setProblem(null)
    try {
      applyState(await api.call('send.unschedule', { jobId, group }))
    } catch (error) {
      setProblem(errorData(error))
      api.call('send.state', { jobId }).then(
        (value) => setStates({ status: 'ready', value }),
        () => {},
      )
    } finally {
      setCancelling(null)
    }
  }

  const anySendMade = states.status === 'ready' && states.value.some((s) => s.phase !== 'not_sent')

  return (
    <Stack gap="lg">
      <Title order={2}>Send each group its message</Title>
      <Text>
        Choose the email campaign each group gets. Splitsend sends it to the list the group was uploaded to, and to
        nobody else. Each group is sent to once: pressing Send again never sends twice.
      </Text>
      {problem && <ProblemAlert problem={problem} onClose={() => setProblem(null)} />}
      {campaigns.status === 'failed' && <Gate.Problem problem={campaigns.problem} onRetry={() => void loadAll()} />}
      {states.status === 'failed' && <Gate.Problem problem={states.problem} onRetry={() => void loadAll()} />}

      {GROUPS.map((group) => (
        <GroupCard
          key={group}
          group={group}
          groupName={groupNames[group]}
          upload={uploadOf(group)}
          state={stateOf(group)}
          campaigns={campaigns.status === 'ready' ? campaigns.value : null}
          choice={choices[group]}
          onChoose={(value) => setChoices((c) => ({ ...c, [group]: value }))}
          check={checks[group].check}
          onRecheck={checks[group].recheck}
          onCancel={() => void cancel(group)}
          cancelling={cancelling === group}
        />
      ))}

      {open.length > 0 && (
        <Card withBorder>
          <Stack>
            <Title order={3}>When to send</Title>
            <Radio.Group
              value={timing}
              onChange={(value) => setTiming(value as 'now' | 'later')}
              label="Send the chosen campaigns"
              name="send-when"
            >
              <Stack gap="xs" mt="xs">
                <Radio value="now" label="Send now" />
                <Radio value="later" label="Schedule for a date and time" />
              </Stack>
            </Radio.Group>
            {timing === 'later' && (
              <TextInput
                type="datetime-local"
                label="Date and time to send"
                description={`In your time zone: ${timeZoneLabel()}. Constant Contact gets it in UTC.`}
                value={laterValue}
                onChange={(event) => setLaterValue(event.currentTarget.value)}
                error={whenProblem ?? undefined}
                maw={360}
              />
            )}
            {blockers.length > 0 && chosen.length > 0 && (
              <Alert
                color="gray"
                title="Before you can send"
                styles={{ title: { color: 'var(--mantine-color-text)' } }}
                data-testid="send-blockers"
              >
                <Stack gap={2}>
                  {blockers.map((b) => (
                    <Text key={b} size="sm">
                      {b}
                    </Text>
                  ))}
                </Stack>
              </Alert>
            )}
            {chosen.length === 0 && open.every((g) => choices[g] === SKIP) && (
              <Text size="sm">You chose not to send to any group.</Text>
            )}
            <Group>
              <Button size="md" onClick={openConfirm} disabled={!canSend}>
                {timing === 'now' ? 'Send…' : 'Schedule…'}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}

      <ConfirmSends
        opened={confirmPlan !== null}
        onClose={() => setConfirmPlan(null)}
        sends={confirmPlan?.sends ?? []}
        progress={withLiveStates(progress, stateOf)}
        whenUtc={confirmPlan?.whenUtc ?? null}
        onSend={(g) => void sendOne(g)}
      />

      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        {onContinue && (
          <Button size="md" variant={anySendMade ? 'filled' : 'default'} onClick={onContinue}>
            Continue: the report
          </Button>
        )}
      </Group>
    </Stack>
  )
}

/** A finished send in the dialog shows where it stands now (e.g. "sending" becomes "sent"). */
function withLiveStates(
  progress: Partial<Record<GroupKey, SendProgress>>,
  stateOf: (group: GroupKey) => GroupSendState | undefined,
): Partial<Record<GroupKey, SendProgress>> {
  return Object.fromEntries(
    Object.entries(progress).map(([group, p]) => {
      const live = stateOf(group as GroupKey)
      return [group, p.status === 'done' && live && live.phase !== 'not_sent' ? { ...p, state: live } : p]
    }),
  ) as Partial<Record<GroupKey, SendProgress>>
}

function campaignOf(choice: string | null): string | null {
  return choice && choice !== SKIP ? choice : null
}

function GroupCard({
  group,
  groupName,
  upload,
  state,
  campaigns,
  choice,
  onChoose,
  check,
  onRecheck,
  onCancel,
  cancelling,
}: {
  group: GroupKey
  groupName: string
  upload: UploadOutcome | undefined
  state: GroupSendState | undefined
  campaigns: CampaignChoice[] | null
  choice: string | null
  onChoose(value: string): void
  check: CampaignCheck
  onRecheck(): void
  onCancel(): void
  cancelling: boolean
}) {
  const heading = (
    <Title order={3}>
      “{groupName}”{upload ? ` → list “${upload.listName}”` : ''}
    </Title>
  )
  if (!upload) {
    return (
      <Card withBorder data-testid={`send-group-${group}`}>
        <Stack gap="xs">
          {heading}
          <Text>This group wasn’t uploaded, so there is nothing to send it.</Text>
        </Stack>
      </Card>
    )
  }
  if (!upload.finished) {
    return (
      <Card withBorder data-testid={`send-group-${group}`}>
        <Stack gap="xs">
          {heading}
          <Text>
            The upload of this group to “{upload.listName}” hasn’t finished, so its list may still be missing contacts.
            Finish it on the Upload step, then come back.
          </Text>
        </Stack>
      </Card>
    )
  }
  const sentAlready = state && state.phase !== 'not_sent'
  return (
    <Card withBorder data-testid={`send-group-${group}`}>
      <Stack>
        {heading}
        <Text size="sm">
          The upload added {upload.contactsAdded.toLocaleString('en-US')} contact{upload.contactsAdded === 1 ? '' : 's'}{' '}
          to this list.
        </Text>
        {state &&
          (sentAlready ? (
            <SendStateView state={state} onCancel={onCancel} cancelling={cancelling} />
          ) : (
            state.lastProblem && (
              <Alert color="gray" title="Earlier attempt" styles={{ title: { color: 'var(--mantine-color-text)' } }}>
                {state.lastProblem}
              </Alert>
            )
          ))}
        {!state && (
          <Group gap="sm">
            <Loader size="xs" aria-hidden />
            <Text size="sm">Checking what was sent already…</Text>
          </Group>
        )}
        {state && !sentAlready && (
          <>
            {campaigns ? (
              <CampaignPicker groupName={groupName} campaigns={campaigns} value={choice} onChange={onChoose} />
            ) : (
              <Group gap="sm">
                <Loader size="xs" aria-hidden />
                <Text size="sm">Reading the campaigns of your account…</Text>
              </Group>
            )}
            {choice === SKIP && <Text size="sm">Nothing will be sent to “{groupName}”.</Text>}
            <ChosenCampaign check={check} onRecheck={onRecheck} />
          </>
        )}
      </Stack>
    </Card>
  )
}

function ChosenCampaign({ check, onRecheck }: { check: CampaignCheck; onRecheck(): void }) {
  if (check.status === 'none') return null
  const details = check.details
  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Stack gap="xs">
          <Title order={4}>The email</Title>
          {details ? <CampaignPreview details={details} /> : <Loading words="Reading the campaign…" />}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 6 }}>
        <Stack gap="md">
          <Stack gap="xs">
            <Group justify="space-between">
              <Title order={4}>Checks before sending</Title>
              <Button variant="default" size="xs" onClick={onRecheck} loading={check.status === 'loading'}>
                Check again
              </Button>
            </Group>
            {check.status === 'loading' && <Loading words="Checking with Constant Contact…" />}
            {check.status === 'failed' && <ProblemAlert problem={check.problem} />}
            {check.status === 'ready' && <PreflightChecks preflight={check.preflight} />}
          </Stack>
          {details && (
            <Stack gap="xs">
              <Title order={4}>Test</Title>
              <TestSend key={details.campaignId} campaignId={details.campaignId} campaignName={details.name} />
            </Stack>
          )}
        </Stack>
      </Grid.Col>
    </Grid>
  )
}

function Loading({ words }: { words: string }) {
  return (
    <Group gap="sm">
      <Loader size="xs" aria-hidden />
      <Text size="sm">{words}</Text>
    </Group>
  )
}

/** The screen when something must happen first: what, in plain words, and the way there. */
function Gate({
  title,
  children,
  onBack,
  action,
  problem,
  onRetry,
}: {
  title: string
  children?: React.ReactNode
  onBack(): void
  action?: { label: string; onClick(): void }
  problem?: ContractErrorData
  onRetry?: () => void
}) {
  return (
    <Stack>
      <Title order={2}>{title}</Title>
      {children && <Text data-testid="send-gate">{children}</Text>}
      {problem && <Gate.Problem problem={problem} {...(onRetry ? { onRetry } : {})} />}
      <Group>
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        {action && <Button onClick={action.onClick}>{action.label}</Button>}
      </Group>
    </Stack>
  )
}

Gate.Problem = function GateProblem({ problem, onRetry }: { problem: ContractErrorData; onRetry?: () => void }) {
  return (
    <Stack gap="xs">
      <ProblemAlert problem={problem} />
      {onRetry && (
        <Group>
          <Button variant="default" onClick={onRetry}>
            Try again
          </Button>
        </Group>
      )}
    </Stack>
  )
}
