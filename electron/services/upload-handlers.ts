import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { uploadRequests } from '../../shared/channels/upload'
import type { EventSink, HostRequestName } from '../../shared/contract'
import { UserFacingError } from '../../shared/errors'
import type {
  AccountInfo,
  UnfinishedUploadView,
  UploadJobStatus,
  UploadPlanView,
  UploadProgressView,
  UploadResultView,
} from '../../shared/upload/schemas'
import type { AccountService } from './account/index'
import { allPages } from './constant-contact/client'
import type { Handlers } from './contract-dispatch'
import { readPreparedSummary } from './upload/prepared-job'
import {
  listUnfinishedJobs,
  planUpload,
  readUploadState,
  startUpload,
  type UploadPlan,
  type UploadProgress,
  type UploadResult,
  type UploadRun,
  type UploadStart,
} from './upload/index'

export type UploadRequestName = keyof typeof uploadRequests
/** The Upload step's requests the services serve (the report's are served by ./report/handlers.ts). */
export type UploadServiceRequestName = Exclude<UploadRequestName, HostRequestName | `report.${string}`>

export interface StepServiceDeps {
  account: AccountService
  /** `<dataDir>/jobs`: every prepared job's folder. */
  jobsDir: string
  emit: EventSink
}

interface LiveRun {
  run: UploadRun
  progress: UploadProgressView | null
  result: UploadResultView | null
}

/** Plans kept for `upload.start`: the newest few, one per job. */
const MAX_KEPT_PLANS = 20

/**
 * The Upload step over the contract (see shared/channels/upload.ts). A plan is made with
 * `upload.plan` and kept here under an ID, so `upload.start` runs exactly what the person saw.
 * One run per job at a time; its progress goes out as `upload.progress` events and its end as
 * `upload.finished`. Quitting the app pauses runs without ending them, so the job's journal
 * shows them as interrupted and the app offers to resume them next time.
 */
export function createUploadHandlers({ account, jobsDir, emit }: StepServiceDeps): {
  handlers: Pick<Handlers, UploadServiceRequestName>
  dispose(): Promise<void>
} {
  const plans = new Map<string, { jobId: string; plan: UploadPlan }>()
  const runs = new Map<string, LiveRun>()

  const jobDirOf = (jobId: string): string => join(jobsDir, jobId)

  const keepPlan = (jobId: string, plan: UploadPlan): string => {
    for (const [id, kept] of plans) if (kept.jobId === jobId) plans.delete(id)
    while (plans.size >= MAX_KEPT_PLANS) plans.delete(plans.keys().next().value!)
    const planId = randomBytes(12).toString('base64url')
    plans.set(planId, { jobId, plan })
    return planId
  }

  const isActive = (live: LiveRun | undefined): live is LiveRun => live !== undefined && live.result === null

  const status = (jobId: string): UploadJobStatus => {
    const dir = jobDirOf(jobId)
    const summary = readPreparedSummary(dir)
    const live = runs.get(jobId)
    const state = readUploadState(dir)
    const ending = state?.ending
    return {
      jobId,
      sourceFile: summary.source.fileName,
      groupNames: { '0': summary.groupNames['0'], '1': summary.groupNames['1'] },
      groupContacts: { '0': summary.groups['0'], '1': summary.groups['1'] },
      run: !live ? 'none' : live.result ? 'ended' : live.run.paused ? 'paused' : 'running',
      progress: live?.progress ?? null,
      result: live?.result ?? null,
      journal: state?.plan
        ? {
            plan: planView(state.plan),
            ending: ending?.type ?? 'interrupted',
            ...(ending?.error ? { error: ending.error } : {}),
            ...(state.startedAt ? { startedAt: state.startedAt } : {}),
          }
        : null,
    }
  }

  const liveRun = (jobId: string): LiveRun => {
    const live = runs.get(jobId)
    if (!isActive(live))
      throw new UserFacingError(
        'upload_not_running',
        'This upload is not running.',
        'Start it again from the Upload step.',
      )
    return live
  }

  const accountInfo = async (): Promise<AccountInfo> => {
    const current = await account.status()
    return {
      ...(current.accountName ? { name: current.accountName } : {}),
      ...(current.email ? { email: current.email } : {}),
      practice: current.practice,
    }
  }

  const handlers: Pick<Handlers, UploadServiceRequestName> = {
    'upload.lists': async () => {
      const client = await account.client()
      const lists: Array<{ listId: string; name: string; memberCount?: number }> = []
      for await (const page of allPages(
        () => client.getLists({ limit: 1000, include_membership_count: 'all' }),
        (next) => client.getLists(next),
      )) {
        for (const list of page.lists ?? []) {
          if (!list.list_id || !list.name) continue
          lists.push({
            listId: list.list_id,
            name: list.name,
            ...(list.membership_count !== undefined ? { memberCount: list.membership_count } : {}),
          })
        }
      }
      return lists.sort((a, b) => a.name.localeCompare(b.name))
    },

    'upload.plan': async ({ jobId, choices }) => {
      const dir = jobDirOf(jobId)
      readPreparedSummary(dir)
      const plan = await planUpload(dir, await account.client(), choices)
      return { ...planView(plan), planId: keepPlan(jobId, plan) }
    },

    'upload.start': async ({ jobId, start }) => {
      if (isActive(runs.get(jobId)))
        throw new UserFacingError(
          'upload_running',
          'This file is already being uploaded.',
          'Wait for it to finish, or pause or cancel it first.',
        )
      const dir = jobDirOf(jobId)
      readPreparedSummary(dir)
      let engineStart: UploadStart
      if ('planId' in start) {
        const kept = plans.get(start.planId)
        if (!kept || kept.jobId !== jobId)
          throw new UserFacingError(
            'plan_out_of_date',
            'That plan is out of date, so nothing was sent.',
            'Check the plan again, then start the upload.',
          )
        if (kept.plan.blockers.length)
          throw new UserFacingError(
            'plan_blocked',
            kept.plan.blockers[0]!,
            'Change your choices, check the plan again, then start.',
          )
        engineStart = { plan: kept.plan }
      } else {
        if (!readUploadState(dir)?.plan)
          throw new UserFacingError(
            'nothing_to_resume',
            'There is no unfinished upload of this file to continue.',
            'Choose the lists and start the upload.',
          )
        engineStart = { resume: true }
      }
      const client = await account.client()
      const who = await accountInfo()
      const live: LiveRun = { run: undefined as unknown as UploadRun, progress: null, result: null }
      live.run = startUpload(dir, client, engineStart, {
        account: who,
        onProgress: (progress) => {
          live.progress = progressView(progress)
          emit('upload.progress', { jobId, progress: live.progress })
        },
      })
      runs.set(jobId, live)
      if ('planId' in start) plans.delete(start.planId)
      live.progress ??= progressView(live.run.progress())
      void live.run.done.then((result) => {
        live.result = resultView(result)
        live.progress = progressView(live.run.progress())
        emit('upload.finished', { jobId, result: live.result })
      })
      return status(jobId)
    },

    'upload.pause': ({ jobId }) => {
      const live = liveRun(jobId)
      live.run.pause()
      return status(jobId)
    },

    'upload.continue': ({ jobId }) => {
      const live = liveRun(jobId)
      live.run.resume()
      return status(jobId)
    },

    'upload.cancel': ({ jobId }) => {
      // Paused or not, the run then ends, sending nothing more; `upload.finished` says what was sent.
      liveRun(jobId).run.cancel()
      return status(jobId)
    },

    'upload.status': ({ jobId }) => status(jobId),

    'upload.unfinished': () =>
      listUnfinishedJobs(jobsDir)
        .filter((job) => !isActive(runs.get(job.jobId)))
        .map(({ jobDir: _folder, ...job }): UnfinishedUploadView => job),
  }

  return {
    handlers,
    async dispose() {
      // Pausing (not cancelling) leaves the journal unfinished, so the next start offers to resume.
      for (const live of runs.values()) if (isActive(live)) live.run.pause()
    },
  }
}

export function planView(plan: UploadPlan): Omit<UploadPlanView, 'planId'> {
  const { jobDir: _folder, sizing: _sizing, limits: _limits, activities, ...rest } = plan
  return { ...rest, activities: activities.map(({ id, group, number, count }) => ({ id, group, number, count })) }
}

export function progressView(progress: UploadProgress): UploadProgressView {
  const { jobDir: _folder, ...rest } = progress
  return rest
}

export function resultView(result: UploadResult): UploadResultView {
  const { report: _files, ...rest } = result
  return rest
}
