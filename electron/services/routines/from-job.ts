/**
 * A finished (or half-finished) job folder read as a routine's material: what the person decided in
 * that run, and what the run did. Used when a run is saved as a routine (the app's "Save as a
 * routine", the command's `routine save --from-job`) and when a job is recorded in a routine's history.
 *
 *   routineFromJob(jobDir, { name, account, now, previous? })  → Routine     the run's choices; `previous` keeps its limits, folder, schedule
 *   runFromJob(jobDir)                                          → JobRun      counts, outcome and sends, from the job's own files
 *
 * Everything comes from the job's files: job.json (how the file was read, the options as applied,
 * the columns), summary.json (the file's format), the upload journal (each group's list) and the
 * send journal (each group's campaign). Nothing is guessed: a choice the job doesn't hold (lists
 * before the upload) is an error in plain words, or kept from the routine being updated.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { UserFacingError } from '../../../shared/errors'
import { GROUP_KEYS, type GroupKey } from '../../../shared/ids'
import { PROBLEM_REASONS } from '../../../shared/prepare/schemas'
import type { FinishedOutcome, RunRecord } from '../../../shared/routines/history'
import { DEFAULT_SAFETY_LIMITS, type Routine } from '../../../shared/routines/schema'
import { JOB_FILES } from '../prepare/job-files'
import type { PreparedJob } from '../prepare/pass'
import { attemptOutcome, attemptsByGroup, readJournal as readSendJournal } from '../send/journal'
import { uploadJournalOutcomes } from '../send/upload-journal-adapter'
import { readPreparedSummary } from '../upload/prepared-job'
import { routineMappingFrom } from './drift'

type AccountRef = Routine['account']

/** The routine the job's choices make. */
export async function routineFromJob(
  jobDir: string,
  { name, account, now, previous }: { name: string; account: AccountRef; now: Date; previous?: Routine },
): Promise<Routine> {
  const job = readJob(jobDir)
  const summary = readPreparedSummary(jobDir)
  const { options } = job
  const at = now.toISOString()
  const reading: Routine['reading'] =
    summary.source.format === 'csv'
      ? {
          format: 'csv',
          headerRow: options.headerRow ?? summary.source.headerRow,
          ...(options.encoding ? { encoding: options.encoding } : {}),
          ...(options.delimiter ? { delimiter: options.delimiter } : {}),
        }
      : {
          format: summary.source.format,
          headerRow: options.headerRow ?? summary.source.headerRow,
          ...(options.sheet ? { sheet: options.sheet } : {}),
        }
  return {
    version: 2,
    name,
    createdAt: previous?.createdAt ?? at,
    updatedAt: at,
    account,
    reading,
    mapping: routineMappingFrom(job.columns, options.mapping),
    flags: {
      group0Values: options.group0Values ?? [],
      group1Values: options.group1Values ?? [],
      leaveOutValues: options.leaveOutValues ?? [],
      blank: previous?.flags.blank ?? 'problem',
    },
    onConflict: options.onConflict,
    groupNames: options.groupNames,
    lists: { ...(await listsOf(jobDir, previous)), policy: previous?.lists.policy ?? 'add' },
    sending: sendingOf(jobDir, previous),
    ...(previous?.source ? { source: previous.source } : {}),
    safety: previous?.safety ?? DEFAULT_SAFETY_LIMITS,
    ...(previous?.schedule ? { schedule: previous.schedule } : {}),
  }
}

/** What a job did, as a routine's history records it. */
export interface JobRun {
  source: { fileName: string; path: string }
  counts: NonNullable<RunRecord['counts']>
  /** Undefined while the upload hasn't finished. */
  outcome: FinishedOutcome | undefined
  sent: NonNullable<RunRecord['sent']>
}

export async function runFromJob(jobDir: string): Promise<JobRun> {
  const summary = readPreparedSummary(jobDir)
  const uploads = await uploadJournalOutcomes(jobDir)
  const problems = PROBLEM_REASONS.reduce((sum, reason) => sum + summary.problems[reason], 0)
  const sent: JobRun['sent'] = {}
  const attempts = attemptsByGroup(readSendJournal(jobDir))
  for (const group of GROUP_KEYS) {
    const accepted = attempts[group].filter((a) => attemptOutcome(a) === 'accepted').at(-1)
    if (accepted) sent[group] = { campaignId: accepted.intent.campaignId, campaignName: accepted.intent.campaignName }
  }
  const over = uploads.length > 0 && uploads.every((u) => u.finished)
  const notAdded = uploads.reduce((sum, u) => sum + Math.max(0, summary.groups[u.group] - u.contactsAdded), 0)
  return {
    source: { fileName: summary.source.fileName, path: summary.source.path },
    counts: { rows: summary.rows, groups: summary.groups, problems },
    outcome: !over
      ? undefined
      : notAdded > 0
        ? { kind: 'done_with_contacts_not_added', contactsNotAdded: notAdded }
        : { kind: 'done' },
    sent,
  }
}

function readJob(jobDir: string): PreparedJob {
  try {
    return JSON.parse(readFileSync(join(jobDir, JOB_FILES.job), 'utf8')) as PreparedJob
  } catch {
    throw new UserFacingError(
      'job_not_found',
      'Splitsend can’t read how this job’s file was prepared.',
      'Open the spreadsheet again and prepare the groups, then save the routine.',
    )
  }
}

/** Each group's list from the upload journal; a group the upload skipped keeps the routine's (if updating). */
async function listsOf(
  jobDir: string,
  previous: Routine | undefined,
): Promise<Record<GroupKey, Routine['lists']['0']>> {
  const uploads = existsSync(jobDir) ? await uploadJournalOutcomes(jobDir) : []
  const listOf = (group: GroupKey): Routine['lists']['0'] => {
    const upload = uploads.find((u) => u.group === group)
    if (upload) return { listId: upload.listId, name: upload.listName, createIfMissing: false }
    if (previous) return previous.lists[group]
    throw new UserFacingError(
      'routine_needs_lists',
      uploads.length === 0
        ? 'Upload the groups first: a routine keeps the list each group went to.'
        : 'A routine puts both groups on their lists: this run uploaded only one of them.',
      'Upload each group to its list, then save the routine.',
    )
  }
  return { '0': listOf('0'), '1': listOf('1') }
}

/** Each group's campaign from the send journal; before anything was sent, the routine's own (if updating) or "don't send". */
function sendingOf(jobDir: string, previous: Routine | undefined): Routine['sending'] {
  const attempts = attemptsByGroup(readSendJournal(jobDir))
  const anySent = GROUP_KEYS.some((g) => attempts[g].some((a) => attemptOutcome(a) === 'accepted'))
  if (!anySent && previous) return previous.sending
  const sendingOfGroup = (group: GroupKey): Routine['sending']['0'] => {
    const accepted = attempts[group].filter((a) => attemptOutcome(a) === 'accepted').at(-1)
    if (!accepted) return { send: false }
    const { when, campaignId, campaignName } = accepted.intent
    return {
      send: true,
      campaign: { id: campaignId, name: campaignName },
      sendAt: when === 'now' ? 'now' : timeOfDay(new Date(when)),
      testAddresses: previous?.sending[group].send ? previous.sending[group].testAddresses : [],
    }
  }
  return { '0': sendingOfGroup('0'), '1': sendingOfGroup('1') }
}

/** "HH:MM" on this computer's clock. */
function timeOfDay(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`
}
