/**
 * A routine from a finished run: everything the person decided for one job folder, under a name.
 *
 *   routineFromJob(jobDir, { name, account, source?, now? })  → Promise<Routine>  (not yet saved: RoutineStore.save does that)
 *
 * It reads job.json (how the file was read, the mapping by column name, the flag values, the
 * conflict choice and group names), the upload journal (each group's list) and the send journal
 * (each group's campaign and whether it went out at once or at a time of day). A job whose upload
 * never started, or that left a group out, can't be a routine: a routine uploads both groups.
 */
import { UserFacingError } from '../../../shared/errors'
import { GROUP_KEYS, type GroupKey } from '../../../shared/ids'
import { DEFAULT_SAFETY_LIMITS, RoutineSchema, type Routine } from '../../../shared/routines/schema'
import { readPreparedJob, type PreparedJob } from '../prepare/job-files'
import { journalSendState } from '../send/state'
import { loadUploadState, type UploadPlan } from '../upload/index'
import { loadMembershipState, planHasMembers } from '../membership/index'
import { routineMappingFrom } from './drift'

export interface RoutineFromJobOptions {
  name: string
  /** The account the job was uploaded with. */
  account: Routine['account']
  /** Where next month's file comes from. */
  source?: Routine['source']
  now?: Date
}

export async function routineFromJob(jobDir: string, options: RoutineFromJobOptions): Promise<Routine> {
  const job = readPreparedJob(jobDir)
  const now = (options.now ?? new Date()).toISOString()
  const { options: applied } = job
  const routine: Routine = {
    version: 2,
    name: options.name,
    createdAt: now,
    updatedAt: now,
    account: options.account,
    reading: readingOf(job),
    mapping: routineMappingFrom(job.columns, applied.mapping),
    flags: {
      group0Values: applied.group0Values ?? [],
      group1Values: applied.group1Values ?? [],
      leaveOutValues: applied.leaveOutValues ?? [],
      // Rows with an empty flag go where they went in the job: a group, left out, or problems.
      blank: applied.blankFlag ?? 'problem',
    },
    onConflict: applied.onConflict,
    groupNames: applied.groupNames,
    lists: await listsOf(jobDir, applied.groupNames),
    sending: sendingOf(jobDir),
    ...(options.source ? { source: options.source } : {}),
    safety: DEFAULT_SAFETY_LIMITS,
  }
  // The same check a routine file gets when it is read: what is saved can always be read back.
  return RoutineSchema.parse(routine)
}

function readingOf(job: PreparedJob): Routine['reading'] {
  const { source, options } = job
  if (source.format === 'csv')
    return {
      format: 'csv',
      headerRow: source.headerRow,
      ...(options.encoding ? { encoding: options.encoding } : {}),
      ...(options.delimiter ? { delimiter: options.delimiter } : {}),
    }
  return { format: source.format, headerRow: source.headerRow, ...(options.sheet ? { sheet: options.sheet } : {}) }
}

/**
 * The job's choice for contacts already on its lists. A first upload to lists with no members can
 * only add; the months after it are where customers whose flag changed must leave the other list,
 * so a routine saved from such a job moves them (the Upload step's own default once a list has members).
 */
async function policyOf(jobDir: string, plan: UploadPlan): Promise<Routine['lists']['policy']> {
  const state = await loadMembershipState(jobDir)
  const chosen = state?.plan?.policy ?? state?.choice?.policy
  if (chosen && chosen !== 'add') return chosen
  return planHasMembers(plan) ? (chosen ?? 'add') : 'move'
}

/** The lists the job uploaded to, and its choice for contacts already on them (the upload journal read once). */
async function listsOf(jobDir: string, groupNames: Record<GroupKey, string>): Promise<Routine['lists']> {
  const state = await loadUploadState(jobDir)
  if (!state?.plan)
    throw new UserFacingError(
      'routine_job_not_uploaded',
      'This job was never uploaded, so it has no lists to remember.',
      'Upload it first (splitsend upload), then save it as a routine.',
    )
  const lists = { policy: await policyOf(jobDir, state.plan) } as Routine['lists']
  for (const group of GROUP_KEYS) {
    const list = state.lists[group]
    if (!list)
      throw new UserFacingError(
        'routine_group_skipped',
        `This job did not upload “${groupNames[group]}”; a routine uploads both groups.`,
        'Upload both groups to their lists, then save the job as a routine.',
      )
    lists[group] = { listId: list.listId, name: list.name, createIfMissing: state.plan.createLists }
  }
  return lists
}

/** Each group's campaign as the job sent it; a group the job sent nothing to is not sent by the routine. */
function sendingOf(jobDir: string): Routine['sending'] {
  const states = journalSendState(jobDir)
  const sending = {} as Routine['sending']
  for (const group of GROUP_KEYS) {
    const state = states.find((s) => s.group === group)
    const sent = state && ['scheduled', 'sending', 'sent'].includes(state.phase) && state.campaignId
    sending[group] = sent
      ? {
          send: true,
          campaign: { id: state.campaignId!, name: state.campaignName ?? state.campaignId! },
          sendAt: timeOfDay(state.when),
          testAddresses: [],
        }
      : { send: false }
  }
  return sending
}

/** "now", or the time of day (this computer's clock) the job's send was scheduled for. */
function timeOfDay(when: string | undefined): 'now' | string {
  if (!when || when === 'now') return 'now'
  const date = new Date(when)
  if (Number.isNaN(date.getTime())) return 'now'
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`
}
