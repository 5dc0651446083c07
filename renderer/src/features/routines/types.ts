/** The routines' types, derived from the contract (shared/channels/routines.ts). */
import type { RequestInput, RequestOutput } from '../../../../shared/contract'

export type RoutineEntry = RequestOutput<'routines.list'>[number]
export type Routine = RequestOutput<'routines.save'>
export type RoutineDetails = RequestOutput<'routines.show'>
export type RunView = RoutineDetails['runs'][number]
export type RoutineCheck = RequestOutput<'routines.check'>
export type Schedule = NonNullable<RequestInput<'routines.setSchedule'>['schedule']>
