/**
 * The engine's records as the renderer sees them: without the job's folder, the report files'
 * paths or how each activity was measured (those stay in main).
 */
import type { PrepareSummary } from '../prepare/job-files'
import type {
  UploadJobStatus,
  UploadPlanView,
  UploadProgressView,
  UploadResultView,
} from '../../../shared/upload/schemas'
import type { MembershipPolicy } from '../../../shared/membership/schemas'
import type { UploadStepProgress, UploadStepResult, UploadStepRun } from '../membership/upload-step'
import type { JournalState } from './journal-state'
import type { UploadPlan } from './plan'

export function planView(plan: UploadPlan): Omit<UploadPlanView, 'planId' | 'membership'> {
  const { jobDir: _folder, sizing: _sizing, limits: _limits, anchor: _anchor, activities, ...rest } = plan
  return { ...rest, activities: activities.map(({ id, group, number, count }) => ({ id, group, number, count })) }
}

export function progressView(progress: UploadStepProgress): UploadProgressView {
  const { jobDir: _folder, ...rest } = progress
  return rest
}

export function resultView(result: UploadStepResult): UploadResultView {
  const { report: _files, ...rest } = result
  return rest
}

/** A run of this session, with its latest progress and, once it has ended, how. */
export interface LiveRun {
  run: UploadStepRun
  progress: UploadProgressView | null
  result: UploadResultView | null
}

/** Where a job's upload stands: the run of this session, if any, and what its journal says. */
export function jobStatus(
  jobId: string,
  summary: PrepareSummary,
  live: LiveRun | undefined,
  journal: JournalState | undefined,
  membershipPolicy?: MembershipPolicy,
): UploadJobStatus {
  const ending = journal?.ending
  return {
    jobId,
    sourceFile: summary.source.fileName,
    groupNames: { '0': summary.groupNames['0'], '1': summary.groupNames['1'] },
    groupContacts: { '0': summary.groups['0'], '1': summary.groups['1'] },
    run: !live ? 'none' : live.result ? 'ended' : live.run.paused ? 'paused' : 'running',
    progress: live?.progress ?? null,
    result: live?.result ?? null,
    journal: journal?.plan
      ? {
          plan: planView(journal.plan),
          ...(membershipPolicy ? { membershipPolicy } : {}),
          ending: ending?.type ?? 'interrupted',
          ...(ending?.error ? { error: ending.error } : {}),
          ...(journal.startedAt ? { startedAt: journal.startedAt } : {}),
        }
      : null,
  }
}
