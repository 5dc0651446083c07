/** The Upload and Report steps' types, derived from the contract (shared/contract.ts). */
import type { EventPayload, RequestInput, RequestOutput } from '../../../../shared/contract'

export type UploadStatus = RequestOutput<'upload.status'>
export type UploadProgress = EventPayload<'upload.progress'>['progress']
export type UploadResult = EventPayload<'upload.finished'>['result']
export type ActivityProgress = UploadProgress['activities'][number]
export type AccountList = RequestOutput<'upload.lists'>[number]
export type UploadChoices = RequestInput<'upload.plan'>['choices']
export type ListChoice = UploadChoices['lists']['0']
export type UploadPlan = RequestOutput<'upload.plan'>
export type ReportModel = RequestOutput<'report.model'>
export type ReportFileKind = RequestInput<'report.save'>['file']
export type MembershipChoice = NonNullable<
  Extract<RequestInput<'upload.start'>['start'], { planId: string }>['membership']
>
export type PlanStep = EventPayload<'upload.planProgress'>
