/** The Send step's types, derived from the contract (shared/contract.ts). */
import type { EventPayload, RequestOutput } from '../../../../shared/contract'
import type { UserFacingError } from '../../../../shared/errors'

export type SendJob = RequestOutput<'send.job'>
export type UploadOutcome = SendJob['uploads'][number]
export type { GroupKey } from '../../../../shared/ids'
export type GroupSendState = RequestOutput<'send.state'>[number]
export type CampaignChoice = RequestOutput<'send.campaigns'>[number]
export type CampaignDetails = RequestOutput<'send.campaign'>
export type PreflightResult = RequestOutput<'send.preflight'>
export type PreflightCheck = PreflightResult['checks'][number]
export type SendResult = RequestOutput<'send.send'>
export type CampaignCopy = RequestOutput<'send.copy'>
/** How "move them now" is going. */
export type MoveProgress = EventPayload<'send.moveProgress'>['progress']

/** For one group, the chosen campaign's details and the checks before sending, as far as they have come. */
export type CampaignCheck =
  | { status: 'none' }
  | { status: 'loading'; details?: CampaignDetails }
  | { status: 'ready'; details: CampaignDetails; preflight: PreflightResult }
  | { status: 'failed'; problem: UserFacingError; details?: CampaignDetails }
