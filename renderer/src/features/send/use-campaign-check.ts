/**
 * For one group and the campaign chosen for it: the campaign's details (for the preview) and the
 * checks before sending. Both are read afresh from Constant Contact when the group's send state
 * changes and on request ("Check again"), in case the campaign was edited there in the meantime;
 * while that happens the preview of the same campaign stays on screen.
 */
import { keepPreviousData, type Query } from '@tanstack/react-query'
import type { UserFacingError } from '../../../../shared/errors'
import { ask, useRequest } from '../../common/api/queries'
import type { CampaignCheck, GroupKey, GroupSendState } from './types'

/** Keeps the previous answer on screen only while the same campaign is read again. */
function sameCampaign<T>(campaignId: string | null) {
  return (previous: T | undefined, query: Query<T, UserFacingError, T> | undefined) =>
    (query?.queryKey[1] as { campaignId?: string } | undefined)?.campaignId === campaignId
      ? keepPreviousData(previous)
      : undefined
}

export function useCampaignCheck(
  jobId: string,
  group: GroupKey,
  campaignId: string | null,
  phase: GroupSendState['phase'] | undefined,
): { check: CampaignCheck; recheck(): void } {
  const chosen = campaignId !== null && phase !== undefined
  const detailsRequest = campaignId ? ask('send.campaign', { campaignId }) : null
  const preflightRequest = campaignId ? ask('send.preflight', { jobId, group, campaignId }) : null
  const details = useRequest(
    chosen && detailsRequest ? { ...detailsRequest, key: [...detailsRequest.key, group, phase] } : null,
    {
      placeholderData: sameCampaign(campaignId),
    },
  )
  const preflight = useRequest(
    chosen && preflightRequest ? { ...preflightRequest, key: [...preflightRequest.key, phase] } : null,
    { placeholderData: sameCampaign(campaignId) },
  )
  const recheck = () => void Promise.all([details.refetch(), preflight.refetch()])

  if (!chosen) return { check: { status: 'none' }, recheck }
  const shown = details.data
  const problem = details.error ?? preflight.error
  const check: CampaignCheck =
    problem && !details.isFetching && !preflight.isFetching
      ? { status: 'failed', problem, ...(shown ? { details: shown } : {}) }
      : shown && preflight.data && !details.isFetching && !preflight.isFetching
        ? { status: 'ready', details: shown, preflight: preflight.data }
        : { status: 'loading', ...(shown ? { details: shown } : {}) }
  return { check, recheck }
}
