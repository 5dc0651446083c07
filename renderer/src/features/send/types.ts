/** The Send step's types, derived from the contract (shared/contract.ts). */
import type { RequestInput, RequestOutput } from '../../../../shared/contract'

export type SendJob = RequestOutput<'send.job'>
export type UploadOutcome = SendJob['uploads'][number]
export type GroupKey = RequestInput<'send.unschedule'>['group']
export type GroupSendState = RequestOutput<'send.state'>[number]
export type CampaignChoice = RequestOutput<'send.campaigns'>[number]
export type CampaignDetails = RequestOutput<'send.campaign'>
export type PreflightResult = RequestOutput<'send.preflight'>
export type PreflightCheck = PreflightResult['checks'][number]
export type TestSendResult = RequestOutput<'send.test'>
export type SendResult = RequestOutput<'send.send'>
