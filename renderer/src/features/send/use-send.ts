/**
 * What the Send step reads and does: the job's uploads, the account's campaigns, where each group's
 * send stands (looked at again every few seconds while Constant Contact may still change it), and
 * the two actions that change it (sending, cancelling a scheduled send).
 */
import { useQueryClient, type QueryClient } from '@tanstack/react-query'
import { ask, useAction, useRequest } from '../../common/api/queries'
import type { PlannedSend } from './send-plan'
import type { CampaignCopy, GroupKey, GroupSendState } from './types'
import { isSettling } from './words'

/** How often the states are read again while Constant Contact is still sending or being checked. */
const SETTLING_POLL_MS = 2_500

const statesOf = (jobId: string) => ask('send.state', { jobId })

export function useSendJob(jobId: string) {
  return useRequest(ask('send.job', { jobId }))
}

export function useCampaigns() {
  return useRequest(ask('send.campaigns', {}))
}

export function useSendStates(jobId: string) {
  return useRequest(statesOf(jobId), {
    refetchInterval: (query) => (query.state.data?.some(isSettling) ? SETTLING_POLL_MS : false),
  })
}

/** A group's new state, as the answer to an action gave it. */
function keepState(client: QueryClient, jobId: string, next: GroupSendState): void {
  client.setQueryData<GroupSendState[]>(statesOf(jobId).key, (all) =>
    all?.map((state) => (state.group === next.group ? next : state)),
  )
}

/** After a failed action, whatever happened: what Constant Contact and the journal say now. */
function readStatesAgain(client: QueryClient, jobId: string): void {
  void client.invalidateQueries({ queryKey: statesOf(jobId).key })
}

/** The key shared by every send of a job, so the dialog can tell whether one is under way. */
export const sendingKey = (jobId: string) => ['send.send', jobId]

/** Sends (or schedules) one group's campaign; the engine makes sure it happens once. */
export function useSendGroup(jobId: string, whenUtc: string | null, routineName?: string) {
  const client = useQueryClient()
  const plain = useAction('send.send', {
    mutationKey: sendingKey(jobId),
    input: (send: PlannedSend) => ({ jobId, group: send.group, campaignId: send.campaignId, when: whenUtc ?? 'now' }),
    onSuccess: (result) => keepState(client, jobId, result.state),
    onError: () => readStatesAgain(client, jobId),
  })
  // A routine's run sends by the routine's rule (its tests first, a dated copy where needed).
  const routine = useAction('routines.send', {
    mutationKey: sendingKey(jobId),
    input: (send: PlannedSend) => ({
      name: routineName ?? '',
      jobId,
      group: send.group,
      campaignId: send.campaignId,
      when: whenUtc ?? 'now',
    }),
    onSuccess: (result) => keepState(client, jobId, result.state),
    onError: () => readStatesAgain(client, jobId),
  })
  return routineName ? routine : plain
}

/** Makes (or finds) a group's copy of a campaign; the campaigns are read again so the picker has it. */
export function useCopyCampaign(jobId: string, onCopied: (copy: CampaignCopy) => void) {
  const client = useQueryClient()
  return useAction('send.copy', {
    input: ({ group, campaignId }: { group: GroupKey; campaignId: string }) => ({ jobId, group, campaignId }),
    onSuccess: async (copy) => {
      await client.invalidateQueries({ queryKey: ask('send.campaigns', {}).key })
      onCopied(copy)
    },
  })
}

/** The person's answer for a group whose send can't be told apart from another (phase `unclear`). */
export function useResolveSend(jobId: string) {
  const client = useQueryClient()
  return useAction('send.resolve', {
    input: ({ group, answer }: { group: GroupKey; answer: 'sent' | 'not_sent' }) => ({ jobId, group, answer }),
    onSuccess: (state) => keepState(client, jobId, state),
    onError: () => readStatesAgain(client, jobId),
  })
}

/** Cancels a group's scheduled send. */
export function useUnschedule(jobId: string) {
  const client = useQueryClient()
  return useAction('send.unschedule', {
    input: (group: GroupKey) => ({ jobId, group }),
    onSuccess: (state) => keepState(client, jobId, state),
    onError: () => readStatesAgain(client, jobId),
  })
}
