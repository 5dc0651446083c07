import { Alert, Button, Card, Grid, Group, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { Loading } from '../../common/components/Loading'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { CampaignPicker } from './CampaignPicker'
import { CampaignPreview } from './CampaignPreview'
import { PreflightChecks } from './PreflightChecks'
import { SKIP } from './send-plan'
import { SendCopyOffer } from './SendCopyOffer'
import { routineCanSend, routineSendsCopy } from '../../../../shared/send/routine-copy'
import { SendStateView } from './SendStateView'
import { TestSend } from './TestSend'
import type { CampaignCheck, CampaignChoice, GroupKey, GroupSendState, UploadOutcome } from './types'

/**
 * One group on the Send step: where its upload went, and either where its send stands or the
 * campaign to choose, with the email's preview, the checks before sending and a test send.
 */
export function GroupCard({
  jobId,
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
  onAnswer,
  answering,
  routineRun = false,
}: {
  jobId: string
  group: GroupKey
  groupName: string
  upload: UploadOutcome | undefined
  state: GroupSendState | undefined
  campaigns: CampaignChoice[] | undefined
  choice: string | null
  onChoose(value: string): void
  check: CampaignCheck
  onRecheck(): void
  onCancel(): void
  cancelling: boolean
  onAnswer(answer: 'sent' | 'not_sent'): void
  answering: boolean
  /** A routine's run: a campaign Constant Contact won't send as it is goes as a dated copy by itself. */
  routineRun?: boolean
}) {
  const heading = (
    <Title order={3}>
      “{groupName}”{upload ? ` → list “${upload.listName}”` : ''}
    </Title>
  )
  if (!upload || !upload.finished) {
    return (
      <Card withBorder data-testid={`send-group-${group}`}>
        <Stack gap="xs">
          {heading}
          <Text>
            {!upload
              ? 'This group wasn’t uploaded, so there is nothing to send it.'
              : `The upload of this group to “${upload.listName}” hasn’t finished, so its list may still be missing contacts. Finish it on the Upload step, then come back.`}
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
        {!state && <Loading words="Checking what was sent already…" />}
        {state && sentAlready && (
          <SendStateView
            state={state}
            onCancel={onCancel}
            cancelling={cancelling}
            onAnswer={onAnswer}
            answering={answering}
          />
        )}
        {state && !sentAlready && (
          <>
            {state.lastProblem && (
              <Alert color="gray" title="Earlier attempt" styles={{ title: { color: 'var(--mantine-color-text)' } }}>
                {state.lastProblem}
              </Alert>
            )}
            {campaigns ? (
              <CampaignPicker groupName={groupName} campaigns={campaigns} value={choice} onChange={onChoose} />
            ) : (
              <Loading words="Reading the campaigns of your account…" />
            )}
            {choice === SKIP && <Text size="sm">Nothing will be sent to “{groupName}”.</Text>}
            <ChosenCampaign
              jobId={jobId}
              check={check}
              onRecheck={onRecheck}
              copyInstead={
                routineRun && check.status === 'ready' && routineSendsCopy(check.preflight)
                  ? check.preflight.copy?.name
                  : undefined
              }
              copyOffer={
                check.status === 'ready' && check.preflight.copy && choice && !routineRun ? (
                  <SendCopyOffer
                    jobId={jobId}
                    group={group}
                    campaignId={choice}
                    offer={check.preflight.copy}
                    onCopied={(copy) => onChoose(copy.campaignId)}
                  />
                ) : null
              }
            />
          </>
        )}
      </Stack>
    </Card>
  )
}

/** The chosen campaign: the email as it will look, the checks before sending, and a test send. */
function ChosenCampaign({
  jobId,
  check,
  onRecheck,
  copyOffer,
  copyInstead,
}: {
  jobId: string
  check: CampaignCheck
  onRecheck(): void
  copyOffer: ReactNode
  /** A routine's run: the dated copy it sends instead of this campaign. */
  copyInstead: string | undefined
}) {
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
            {check.status === 'ready' && (
              <PreflightChecks
                jobId={jobId}
                preflight={check.preflight}
                {...(copyInstead && routineCanSend(check.preflight) ? { copyInstead } : {})}
              />
            )}
            {copyOffer}
            {copyInstead && (
              <Alert
                color="blue"
                title="A dated copy is sent instead"
                styles={{ title: { color: 'var(--mantine-color-text)' } }}
                data-testid="routine-copy"
              >
                Constant Contact won’t send this campaign to the group’s list as it is. As the routine does each month,
                Splitsend makes a copy named “{copyInstead}” when you send, checks it, and sends that.
              </Alert>
            )}
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
