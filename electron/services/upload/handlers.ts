import { join } from 'node:path'
import type { uploadRequests } from '../../../shared/channels/upload'
import type { HostRequestName } from '../../../shared/contract'
import { UserFacingError } from '../../../shared/errors'
import type { AccountInfo } from '../../../shared/upload/schemas'
import type { AccountService } from '../account/index'
import type { StepServiceDeps } from '../app-services'
import type { Handlers } from '../contract-dispatch'
import { accountLists } from './account-lookups'
import { KeptPlans } from './kept-plans'
import { LiveRuns } from './live-runs'
import { readPreparedSummary } from './prepared-job'
import type { LiveUpload } from '../jobs/list'
import { accountSpeedKey, type UploadRates } from './rates'
import type { LastList } from '../../../shared/prepare/last-choices'
import type { GroupKey } from '../../../shared/ids'
import type { LastChoicesStore } from '../last-choices'
import type { UploadPlan } from './plan'
import { loadUploadState, planUpload } from './index'
import { jobStatus, planView } from './views'
import {
  compareLists,
  planHasMembers,
  loadMembershipState,
  startUploadStep,
  uploadListsOf,
  type UploadStepStart,
} from '../membership/index'
import {
  leavingWith,
  suggestedPolicy,
  type MembershipComparison,
  type MembershipPolicy,
} from '../../../shared/membership/schemas'
import type { UploadMembershipChoice } from '../../../shared/upload/schemas'

type UploadRequestName = keyof typeof uploadRequests
/** The Upload step's requests the services serve (the report's are served by ../report/handlers.ts). */
type UploadServiceRequestName = Exclude<UploadRequestName, HostRequestName | `report.${string}`>

/**
 * The Upload step over the contract (see shared/channels/upload.ts). A plan is made with
 * `upload.plan` and kept under an ID (./kept-plans.ts), so `upload.start` runs exactly what the
 * person saw. One run per job at a time (./live-runs.ts); its progress goes out as `upload.progress`
 * events and its end as `upload.finished`. Quitting the app pauses runs without ending them, so the
 * job's journal shows them as interrupted and the Jobs view offers to resume them next time.
 */
interface UploadServiceDeps extends StepServiceDeps {
  /** What earlier uploads measured of each account's speed (for the plan's duration; each whole upload adds to it). */
  rates: UploadRates
  /** Where the choices of each upload are kept, to offer them for next month's file with the same columns. */
  lastChoices?: LastChoicesStore
}

export function createUploadHandlers({ account, jobsDir, emit, rates, lastChoices }: UploadServiceDeps): {
  handlers: Pick<Handlers, UploadServiceRequestName>
  /** The job's run in this session, if one is going (the Jobs view shows it). */
  live: LiveUpload
  dispose(): Promise<void>
} {
  const plans = new KeptPlans()
  const runs = new LiveRuns(emit)
  const jobDirOf = (jobId: string): string => join(jobsDir, jobId)

  const status = async (jobId: string) => {
    const dir = jobDirOf(jobId)
    const [upload, policy] = await Promise.all([loadUploadState(dir), membershipPolicyOf(dir)])
    return jobStatus(jobId, readPreparedSummary(dir), runs.get(jobId), upload, policy)
  }

  /** The connected account's measured upload speed. */
  const accountSpeed = async () => rates.forAccount(accountSpeedKey(await account.status()))

  /** A new plan the person saw (with their choice for the lists' members), or the job's unfinished upload. */
  const whatToStart = async (
    jobId: string,
    start: { planId: string; membership?: UploadMembershipChoice } | { resume: true; resendUnclear?: true },
  ): Promise<UploadStepStart> => {
    if ('planId' in start) {
      const { plan, comparison } = plans.startable(jobId, start.planId)
      const policy = start.membership?.policy ?? 'add'
      checkConfirmed(policy, comparison, start.membership?.confirmedLeaving ?? 0)
      return { plan, membership: { policy, ...(comparison ? { comparison } : {}) } }
    }
    if (!(await loadUploadState(jobDirOf(jobId)))?.plan)
      throw new UserFacingError(
        'nothing_to_resume',
        'There is no unfinished upload of this file to continue.',
        'Choose the lists and start the upload.',
      )
    return { resume: true, ...(start.resendUnclear ? { resendUnclear: true } : {}) }
  }

  const handlers: Pick<Handlers, UploadServiceRequestName> = {
    'upload.lists': async () => accountLists(await account.client()),

    'upload.plan': async ({ jobId, choices }) => {
      const dir = jobDirOf(jobId)
      readPreparedSummary(dir)
      const client = await account.client()
      const plan = await planUpload(dir, client, choices, { speed: await accountSpeed() })
      // Lists that already have members are read (a contact export each) and compared with the
      // file, so the plan can say who each choice takes off each list.
      const comparison =
        !plan.blockers.length && planHasMembers(plan)
          ? (
              await compareLists(dir, client, uploadListsOf(plan), {
                onStep: (step) => {
                  const listName =
                    step.kind === 'reading' ? plan.groups.find((g) => g.group === step.group)?.list?.name : undefined
                  emit('upload.planProgress', {
                    jobId,
                    step: step.kind,
                    ...(listName ? { listName } : {}),
                    ...(step.kind === 'reading' && step.status?.percent_done !== undefined
                      ? { percentDone: step.status.percent_done }
                      : {}),
                  })
                },
              })
            ).comparison
          : null
      const suggested = suggestedPolicy(plan.groups.filter((g) => !g.skipped).map((g) => g.list?.memberCount))
      return {
        ...planView(plan),
        membership: { suggested, comparison },
        planId: plans.keep(jobId, { plan, comparison }),
      }
    },

    'upload.start': async ({ jobId, start }) => {
      runs.refuseIfActive(jobId)
      const dir = jobDirOf(jobId)
      const summary = readPreparedSummary(dir)
      const engineStart = await whatToStart(jobId, start)
      const client = await account.client()
      const who = await accountInfo(account)
      const unsure = 'unsure' in start && start.unsure ? { membership: { unsure: start.unsure } } : {}
      const speed = await accountSpeed()
      runs.start(jobId, (onProgress) => {
        const run = startUploadStep(dir, client, engineStart, { account: who, speed, onProgress, ...unsure })
        // A new upload's choices are kept for next month's file, and again at its end with the lists'
        // IDs (the run ends once they are kept, so they are by the time its end is announced).
        if ('plan' in engineStart && lastChoices) {
          lastChoices.remember(summary, listsOfPlan(engineStart.plan))
          run.done = run.done.then(async (result) => {
            const state = await loadUploadState(dir).catch(() => undefined) // kept as planned, then
            if (state?.plan) lastChoices.remember(summary, listsOfPlan(state.plan, state.lists))
            return result
          })
        }
        return run
      })
      if ('planId' in start) plans.forget(start.planId)
      return status(jobId)
    },

    'upload.pause': ({ jobId }) => {
      runs.active(jobId).pause()
      return status(jobId)
    },

    'upload.continue': ({ jobId }) => {
      runs.active(jobId).resume()
      return status(jobId)
    },

    'upload.cancel': ({ jobId }) => {
      // Paused or not, the run then ends, sending nothing more; `upload.finished` says what was sent.
      runs.active(jobId).cancel()
      return status(jobId)
    },

    'upload.status': ({ jobId }) => status(jobId),
  }

  return {
    handlers,
    live: (jobId) => runs.state(jobId),
    async dispose() {
      runs.pauseAll()
    },
  }
}

/** Who the upload is for, as the journal and the report record it (no secret). */
async function accountInfo(account: AccountService): Promise<AccountInfo> {
  const current = await account.status()
  return {
    ...(current.accountName ? { name: current.accountName } : {}),
    ...(current.email ? { email: current.email } : {}),
    practice: current.practice,
  }
}

/** The choice for the contacts already on the lists that the job's upload was started with, if any. */
async function membershipPolicyOf(jobDir: string): Promise<MembershipPolicy | undefined> {
  const state = await loadMembershipState(jobDir)
  return state?.plan?.policy ?? state?.choice?.policy
}

/**
 * "Move" and "match" take contacts off lists: the person must have confirmed the number the plan
 * said, so a stale screen never starts removals nobody saw.
 */
function checkConfirmed(policy: MembershipPolicy, comparison: MembershipComparison | null, confirmed: number): void {
  const leaving = comparison?.lists.reduce((n, l) => n + leavingWith(l, policy), 0) ?? 0
  if (leaving !== confirmed)
    throw new UserFacingError(
      'membership_not_confirmed',
      leaving === 0
        ? 'The plan takes nobody off a list, but the screen asked to.'
        : `The plan takes ${leaving.toLocaleString('en-US')} contacts off the lists; confirm that number before the upload starts.`,
      'Check the plan again, then start the upload.',
    )
}

/** Where each group of a plan goes, for the last run's choices: its list (with its ID when known), or nowhere. */
function listsOfPlan(
  plan: UploadPlan,
  ready: Partial<Record<GroupKey, { listId: string; name: string }>> = {},
): Record<GroupKey, LastList> {
  const of = (group: GroupKey): LastList => {
    const planned = plan.groups.find((g) => g.group === group)
    if (!planned || planned.skipped || !planned.list) return { kind: 'skip' }
    const listId = ready[group]?.listId ?? planned.list.listId
    return { kind: 'list', name: ready[group]?.name ?? planned.list.name, ...(listId ? { listId } : {}) }
  }
  return { '0': of('0'), '1': of('1') }
}
