import { resolve } from 'node:path'
import { toErrorData } from '../../../shared/errors'
import type { MembershipComparison, MembershipPolicy, MembershipProgress } from '../../../shared/membership/schemas'
import type { CcClient } from '../constant-contact/client'
import { jobReports } from '../report/index'
import { loadUploadState } from '../upload/index'
import {
  startUpload as startUploadRun,
  type UploadProgress,
  type UploadResult,
  type UploadRunOptions,
  type UploadStart,
} from '../upload/run'
import type { RunHandle } from '../upload/run-support'
import { GROUP_KEYS, type GroupKey } from '../../../shared/ids'
import type { UploadPlan } from '../upload/plan'
import type { UploadList } from './compare-lists'
import type { ChosenList } from './journal-state'
import {
  loadMembershipState,
  recordMembershipChoice,
  startMembership,
  type MembershipChoice,
  type MembershipRunOptions,
} from './run'

/**
 * The Upload step as the person runs it: the upload, then — once every import has ended — the
 * removals the person chose, and the report written once at the end. The app, the command and a
 * routine's run all start it here.
 */
interface ListChoiceForUpload {
  policy: MembershipPolicy
  /** The plan's comparison the person saw: no list may lose more than it said. */
  comparison?: MembershipComparison
}

/**
 * A new upload (with the person's list choice), or the job's unfinished one; `resendUnclear` is the
 * person's answer to an import that couldn't be told apart from another (see UploadStart).
 */
export type UploadStepStart =
  { plan: UploadPlan; membership?: ListChoiceForUpload } | { resume: true; resendUnclear?: boolean }

/** The upload's progress, with the removals' once the upload has ended (`membership`). */
export type UploadStepProgress = UploadProgress

/** How the upload ended, with how the removals did (`membership`) when there were any to make. */
export type UploadStepResult = UploadResult

export interface UploadStepOptions extends Omit<UploadRunOptions, 'onProgress'> {
  onProgress?: (progress: UploadStepProgress) => void
  membership?: Omit<MembershipRunOptions, 'onProgress'>
}

export type UploadStepRun = RunHandle<UploadStepProgress, UploadStepResult>

interface Control {
  pause(): void
  resume(): void
  cancel(): void
  readonly paused: boolean
}

export function startUploadStep(
  jobDir: string,
  client: CcClient,
  start: UploadStepStart,
  options: UploadStepOptions = {},
): UploadStepRun {
  const dir = resolve(jobDir)
  let current: Control | undefined
  let upload: UploadProgress | undefined
  let membership: Omit<MembershipProgress, 'jobDir'> | undefined
  let cancelled = false
  let pausedBeforeStart = false
  const snapshot = (): UploadStepProgress => ({
    ...(upload ?? emptyProgress(dir)),
    ...(membership ? { membership } : {}),
  })
  const emit = (): void => options.onProgress?.(snapshot())

  const run = async (): Promise<UploadStepResult> => {
    if ('plan' in start && start.membership) {
      try {
        await recordMembershipChoice(dir, choiceFor(start.plan, start.membership))
      } catch (error) {
        return stoppedBeforeStart(start.plan, error)
      }
    }
    const { onProgress: _own, membership: membershipOptions, ...uploadOptions } = options
    const uploadStart: UploadStart =
      'plan' in start ? { plan: start.plan } : { resume: true, ...(start.resendUnclear ? { resendUnclear: true } : {}) }
    const uploadRun = startUploadRun(dir, client, uploadStart, {
      ...uploadOptions,
      onProgress: (progress) => {
        upload = progress
        emit()
      },
    })
    current = uploadRun
    if (pausedBeforeStart) uploadRun.pause()
    if (cancelled) uploadRun.cancel()
    let result: UploadStepResult = await uploadRun.done
    upload = uploadRun.progress()

    const choice = await removalsToMake(dir)
    if (choice && !cancelled && (result.outcome === 'all_added' || result.outcome === 'some_not_added')) {
      const removals = startMembership(
        dir,
        client,
        { choice: await withUploadedLists(dir, choice) },
        {
          ...membershipOptions,
          onProgress: ({ jobDir: _folder, ...progress }) => {
            membership = progress
            emit()
          },
        },
      )
      current = removals
      if (cancelled) removals.cancel()
      const removed = await removals.done
      const { jobDir: _folder, ...last } = removals.progress()
      membership = last
      result = { ...result, membership: removed }
    }
    emit()
    try {
      const { csvPath, htmlPath } = await jobReports.current(dir)
      return { ...result, report: { csvPath, htmlPath } }
    } catch (error) {
      return { ...result, reportError: toErrorData(error) }
    }
  }

  return {
    pause: () => {
      if (current) current.pause()
      else pausedBeforeStart = true
    },
    resume: () => {
      pausedBeforeStart = false
      current?.resume()
    },
    cancel: () => {
      cancelled = true
      current?.cancel()
    },
    get paused() {
      return current ? current.paused : pausedBeforeStart
    },
    progress: snapshot,
    done: run(),
  }
}

/** The removals this job's journal says are to be made (a choice, or a plan under way), unless "add only". */
async function removalsToMake(jobDir: string): Promise<MembershipChoice | undefined> {
  const state = await loadMembershipState(jobDir)
  const from = state?.plan ?? state?.choice
  if (!from || from.policy === 'add') return undefined
  return {
    policy: from.policy,
    lists: from.lists as Partial<Record<(typeof GROUP_KEYS)[number], ChosenList>>,
    ...(from.confirmed ? { confirmed: from.confirmed } : {}),
  }
}

/** The plan's lists as the comparison needs them: existing ones by ID (with their size), new ones by name. */
export function uploadListsOf(plan: UploadPlan): Partial<Record<GroupKey, UploadList>> {
  const lists: Partial<Record<GroupKey, UploadList>> = {}
  for (const g of plan.groups) {
    if (g.skipped || !g.list) continue
    lists[g.group] = {
      listName: g.list.name,
      ...(g.list.exists && g.list.listId ? { listId: g.list.listId } : {}),
      ...(g.list.memberCount !== undefined ? { memberCount: g.list.memberCount } : {}),
    }
  }
  return lists
}

/** Whether any list the plan uploads to has members already: only then is there anything to compare. */
export function planHasMembers(plan: UploadPlan): boolean {
  return plan.groups.some((g) => !g.skipped && (g.list?.memberCount ?? 0) > 0)
}

/** The person's choice with the lists as the plan knows them (a list still to be created has no ID yet). */
function choiceFor(plan: UploadPlan, choice: ListChoiceForUpload): MembershipChoice {
  const lists: MembershipChoice['lists'] = {}
  for (const group of plan.groups) {
    if (group.skipped || !group.list) continue
    lists[group.group] =
      group.list.exists && group.list.listId
        ? { listId: group.list.listId, listName: group.list.name }
        : { listId: '', listName: group.list.name, createdByUpload: true }
  }
  const confirmed: MembershipChoice['confirmed'] = {}
  for (const list of choice.comparison?.lists ?? [])
    confirmed[list.group] = { movedOut: list.movedOut, notInFile: list.notInFile }
  return { policy: choice.policy, lists, ...(choice.comparison ? { confirmed } : {}) }
}

/** The choice with each list's ID as the upload found or made it. */
async function withUploadedLists(jobDir: string, choice: MembershipChoice): Promise<MembershipChoice> {
  const uploaded = (await loadUploadState(jobDir))?.lists ?? {}
  const lists: MembershipChoice['lists'] = {}
  for (const group of GROUP_KEYS) {
    const chosen = choice.lists[group]
    if (!chosen) continue
    const list = uploaded[group]
    lists[group] = list
      ? { listId: list.listId, listName: list.name, ...(list.created ? { createdByUpload: true } : {}) }
      : chosen
  }
  return { ...choice, lists }
}

function emptyProgress(jobDir: string): UploadProgress {
  return {
    jobDir,
    phase: 'starting',
    activities: [],
    overall: { contactsTotal: 0, contactsProcessed: 0, activitiesTotal: 0, activitiesFinished: 0, fraction: 0 },
  }
}

function stoppedBeforeStart(plan: UploadPlan, error: unknown): UploadStepResult {
  return {
    outcome: 'stopped',
    error: toErrorData(error),
    contactsPlanned: plan.totals.contacts,
    contactsAdded: 0,
    contactsNotAdded: 0,
    contactsNotSent: plan.totals.contacts,
    activities: [],
  }
}
