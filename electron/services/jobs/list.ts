/**
 * The jobs in Splitsend's jobs folder (`<data dir>/jobs`), as the Jobs view shows them: each one's
 * file, groups, lists, campaigns and where it stands, read from its folder alone (summary.json, the
 * upload and send journals, the report files and the locks), so a job made by the command or an
 * earlier session shows like one made now. What only this session knows (an upload running or
 * paused here) is passed in.
 *
 *   listJobs(jobsDir, live)            → Promise<JobView[]>   the latest change first; folders that aren't complete jobs are skipped
 *   readJob(jobsDir, jobId, live)      → Promise<JobView>
 *   jobChoices(jobsDir, jobId)         → Promise<JobChoices>  what the job was made with, for the next file
 *   removeJob(jobsDir, jobId, options)                  deletes the job's folder, never a report without `deleteReport`
 */
import { existsSync, readdirSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { UserFacingError, type ContractErrorData } from '../../../shared/errors'
import { GROUP_KEYS, JobIdSchema, type GroupKey } from '../../../shared/ids'
import type { JobChoices, JobNextStep, JobUploadState, JobView } from '../../../shared/jobs/schemas'
import type { GroupSendState } from '../../../shared/send/schemas'
import { JOB_FILES } from '../prepare/job-files'
import { reportPaths } from '../report/row-outcomes'
import { routineMappingFrom } from '../routines/drift'
import { attemptsByGroup, readJournal as readSendJournal } from '../send/journal'
import { stateFromRecords } from '../send/state'
import { loadUploadState, type JournalState } from '../upload/index'
import { dispositionOf, tallyContacts } from '../upload/outcomes'
import { readPreparedSummary } from '../upload/prepared-job'
import { isLockHeld, JOB_LOCK_FILES } from './job-lock'

/** What this session knows about a job's upload that its folder doesn't say: a run here, running or paused. */
export type LiveUpload = (jobId: string) => 'running' | 'paused' | undefined

export async function listJobs(jobsDir: string, live: LiveUpload): Promise<JobView[]> {
  const jobs: JobView[] = []
  for (const jobId of jobFolders(jobsDir)) {
    try {
      jobs.push(await readJob(jobsDir, jobId, live))
    } catch {
      // A folder being written for the first time, or damaged: not a job to show.
    }
  }
  return jobs.sort((a, b) => b.lastChangedAt.localeCompare(a.lastChangedAt))
}

export async function readJob(jobsDir: string, jobId: string, live: LiveUpload): Promise<JobView> {
  const dir = jobFolder(jobsDir, jobId)
  const summary = readPreparedSummary(dir)
  const uploadRead = await damageShown(() => loadUploadState(dir), undefined)
  const upload = uploadRead.value
  const sendRead = await damageShown(async () => readSendJournal(dir), [])
  const sendEntries = sendRead.value
  const damaged = uploadRead.damaged ?? sendRead.damaged
  const byGroup = attemptsByGroup(sendEntries)
  const sends = Object.fromEntries(
    GROUP_KEYS.map((g) => [g, sendRead.damaged ? { group: g, phase: 'unclear' } : stateFromRecords(g, byGroup[g])]),
  ) as Record<GroupKey, GroupSendState>
  const uploadState = uploadStateOf(dir, upload, live(jobId))
  const tally = upload ? tallyContacts(upload) : { contactsAdded: 0, contactsNotAdded: 0, contactsNotSent: 0 }
  const activities = upload ? [...upload.activities.values()] : []
  const groups = GROUP_KEYS.map((group) => {
    const send = sends[group]
    const list = listOf(upload, group)
    return {
      group,
      name: summary.groupNames[group],
      contacts: summary.groups[group],
      ...(list ? { list: list.name } : {}),
      ...(send.campaignName ? { campaign: send.campaignName } : {}),
      send: send.phase,
      ...(send.sentAt ? { sentAt: send.sentAt } : {}),
      ...(send.scheduledFor ? { scheduledFor: send.scheduledFor } : {}),
    }
  })
  const busy =
    uploadState === 'running' || uploadState === 'paused' || uploadState === 'elsewhere' || lockHeld(dir, 'send')
  return {
    jobId,
    sourceFile: summary.source.fileName,
    preparedAt: summary.preparedAt,
    lastChangedAt: latest([summary.preparedAt, upload?.lastAt, sendEntries.at(-1)?.at]),
    rows: summary.rows,
    leftOut: Object.values(summary.problems).reduce((sum, n) => sum + n, 0),
    groups,
    upload: {
      state: uploadState,
      ...(upload?.startedAt ? { startedAt: upload.startedAt } : {}),
      ...(upload?.ending?.error ? { error: upload.ending.error } : {}),
      activitiesTotal: activities.length,
      activitiesFinished: activities.filter((a) => ['completed', 'failed', 'rejected'].includes(dispositionOf(a)))
        .length,
      added: tally.contactsAdded,
      notAdded: tally.contactsNotAdded,
      notSent: tally.contactsNotSent,
    },
    next: damaged ? 'report' : nextStep(uploadState, tally.contactsAdded, groups),
    hasReport: existsSync(reportPaths(dir).html) || existsSync(reportPaths(dir).csv),
    busy,
    ...(damaged ? { damaged } : {}),
  }
}

/**
 * A journal of the job as `read` gives it; a damaged one (`job_damaged`) is shown with the job, not
 * in place of it: `empty` stands for what it holds, and the job says what is wrong.
 */
async function damageShown<T>(read: () => Promise<T>, empty: T): Promise<{ value: T; damaged?: ContractErrorData }> {
  try {
    return { value: await read() }
  } catch (error) {
    if (error instanceof UserFacingError && error.code === 'job_damaged')
      return { value: empty, damaged: error.toData() }
    throw error
  }
}

export async function jobChoices(jobsDir: string, jobId: string): Promise<JobChoices> {
  const dir = jobFolder(jobsDir, jobId)
  const summary = readPreparedSummary(dir)
  const upload = await loadUploadState(dir)
  const byGroup = attemptsByGroup(readSendJournal(dir))
  const mapping = routineMappingFrom(summary.columns, summary.mapping)
  const { source } = summary
  const perGroup = <T>(value: (group: GroupKey) => T) => ({ '0': value('0'), '1': value('1') })
  return {
    jobId,
    sourceFile: source.fileName,
    preparedAt: summary.preparedAt,
    format: source.format,
    read: {
      ...(source.encoding ? { encoding: source.encoding } : {}),
      ...(source.delimiter ? { delimiter: source.delimiter } : {}),
      ...(source.sheet ? { sheet: source.sheet } : {}),
      headerRow: source.headerRow,
    },
    columns: { email: mapping.emailColumn, flag: mapping.flagColumn, fields: mapping.fields },
    flags: summary.flagAssignments,
    blankFlag: summary.blankFlag,
    groupNames: summary.groupNames,
    onConflict: summary.onConflict,
    lists: perGroup((group) => {
      const list = listOf(upload, group)
      return list ? { ...(list.listId ? { listId: list.listId } : {}), name: list.name } : null
    }),
    campaigns: perGroup((group) => {
      const intent = byGroup[group].at(-1)?.intent
      return intent ? { campaignId: intent.campaignId, name: intent.campaignName } : null
    }),
  }
}

export interface RemoveOptions {
  /** The person agreed that the job's report goes too. */
  deleteReport: boolean
  live: LiveUpload
}

/** Deletes a job's folder: refused while it is being uploaded or sent, and for a job with a report unless `deleteReport`. */
export async function removeJob(jobsDir: string, jobId: string, { deleteReport, live }: RemoveOptions): Promise<void> {
  const job = await readJob(jobsDir, jobId, live)
  if (job.busy)
    throw new UserFacingError(
      'job_busy',
      `“${job.sourceFile}” is being uploaded or sent right now, so it can’t be removed.`,
      'Wait until it has finished (or cancel it), then remove it.',
    )
  if (job.hasReport && !deleteReport)
    throw new UserFacingError(
      'report_would_be_deleted',
      `Removing “${job.sourceFile}” would delete its report too.`,
      'Save a copy of the report first if you want to keep it, then confirm that the report may be deleted.',
    )
  // Not on this thread: a job's files (and its lists' exports) take time in proportion to their size to delete.
  await rm(jobFolder(jobsDir, jobId), { recursive: true, force: true })
}

/** A job's folder; an ID that isn't one Splitsend makes never names a folder. */
function jobFolder(jobsDir: string, jobId: string): string {
  if (!JobIdSchema.safeParse(jobId).success || !existsSync(join(jobsDir, jobId, JOB_FILES.job)))
    throw new UserFacingError(
      'job_not_found',
      'Splitsend no longer has that job.',
      'It may have been removed in another window. Look at the list of jobs again.',
    )
  return join(jobsDir, jobId)
}

/** Folders of the jobs folder holding a complete job (job.json is written last). */
function jobFolders(jobsDir: string): string[] {
  try {
    return readdirSync(jobsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && JobIdSchema.safeParse(entry.name).success)
      .map((entry) => entry.name)
      .filter((name) => existsSync(join(jobsDir, name, JOB_FILES.job)))
  } catch {
    return []
  }
}

function uploadStateOf(
  dir: string,
  upload: JournalState | undefined,
  live: 'running' | 'paused' | undefined,
): JobUploadState {
  if (live) return live
  if (lockHeld(dir, 'upload')) return 'elsewhere'
  if (!upload?.plan) return 'not_started'
  switch (upload.ending?.type) {
    case 'completed':
      return 'finished'
    case 'stopped':
      return 'stopped'
    case 'cancelled':
      return 'cancelled'
    default:
      return 'interrupted'
  }
}

/** The list a group went to (or goes to): as the run found or made it, else as planned; none for a skipped group. */
function listOf(upload: JournalState | undefined, group: GroupKey): { listId?: string; name: string } | undefined {
  const planned = upload?.plan?.groups.find((g) => g.group === group)
  if (!planned || planned.skipped || !planned.list) return undefined
  return upload?.lists[group] ?? planned.list
}

/**
 * Where "Continue" opens the job: the upload until it has finished; then sending, until every group
 * that went to a list has had its campaign sent or scheduled; then the report.
 */
function nextStep(upload: JobUploadState, added: number, groups: JobView['groups']): JobNextStep {
  if (upload !== 'finished') return 'upload'
  if (added === 0) return 'report'
  const uploaded = groups.filter((g) => g.list !== undefined)
  return uploaded.every((g) => g.send !== 'not_sent') ? 'report' : 'send'
}

function lockHeld(dir: string, kind: 'upload' | 'send'): boolean {
  return isLockHeld(join(dir, JOB_LOCK_FILES[kind]))
}

function latest(times: Array<string | undefined>): string {
  return times.filter((t): t is string => !!t).reduce((a, b) => (b > a ? b : a))
}
