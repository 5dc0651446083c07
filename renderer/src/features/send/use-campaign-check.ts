/**
 * For one group and the campaign chosen for it: the campaign's details (for the preview) and the
 * checks before sending, loaded together and again on request. Answers to an earlier choice are
 * dropped when the person has chosen again in the meantime.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ContractErrorData } from '../../../../shared/errors'
import type { CampaignDetails, GroupKey, PreflightResult } from './types'
import { errorData, useApi } from '../../common/api/client'

export type CampaignCheck =
  | { status: 'none' }
  | { status: 'loading'; details?: CampaignDetails }
  | { status: 'ready'; details: CampaignDetails; preflight: PreflightResult }
  | { status: 'failed'; problem: ContractErrorData; details?: CampaignDetails }

export function useCampaignCheck(
  jobId: string | null,
  group: GroupKey,
  campaignId: string | null,
  refreshKey: number,
): { check: CampaignCheck; recheck(): void } {
  const api = useApi()
  const [check, setCheck] = useState<CampaignCheck>({ status: 'none' })
  const ticket = useRef(0)

  const load = useCallback(
    async (shownMeanwhile?: CampaignDetails) => {
      const mine = ++ticket.current
      if (!jobId || !campaignId) {
        setCheck({ status: 'none' })
        return
      }
      setCheck(shownMeanwhile ? { status: 'loading', details: shownMeanwhile } : { status: 'loading' })
      try {
        // Both read Constant Contact afresh, in case the campaign was edited there in the meantime.
        const [details, preflight] = await Promise.all([
          api.call('send.campaign', { campaignId }),
          api.call('send.preflight', { jobId, group, campaignId }),
        ])
        if (mine === ticket.current) setCheck({ status: 'ready', details, preflight })
      } catch (error) {
        if (mine !== ticket.current) return
        setCheck(
          shownMeanwhile
            ? { status: 'failed', problem: errorData(error), details: shownMeanwhile }
            : { status: 'failed', problem: errorData(error) },
        )
      }
    },
    [api, jobId, group, campaignId],
  )

  const shown = useRef<CampaignDetails | undefined>(undefined)
  shown.current = check.status === 'none' ? undefined : check.details

  useEffect(() => {
    // A new choice starts from nothing; a refresh of the same one keeps its preview on screen.
    void load()
  }, [load])
  const firstRefresh = useRef(true)
  useEffect(() => {
    if (firstRefresh.current) {
      firstRefresh.current = false
      return
    }
    void load(shown.current)
  }, [refreshKey]) // eslint-disable-line react-hooks/exhaustive-deps

  const recheck = useCallback(() => void load(shown.current), [load])

  return { check, recheck }
}
