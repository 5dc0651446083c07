/** The Jobs view's types, derived from the contract (shared/contract.ts). */
import type { RequestOutput } from '../../../../shared/contract'

export type Job = RequestOutput<'jobs.get'>
export type JobGroup = Job['groups'][number]
export type JobChoices = RequestOutput<'jobs.choices'>
/** Where a job opens: one of the steps that work on a prepared job. */
export type JobStep = Job['next']
