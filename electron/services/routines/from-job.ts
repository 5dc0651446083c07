/**
 * A job folder read for a routine, in the app: the routine its choices make (brought up to date
 * when it updates one), and what the job did, for the routine's history.
 *
 *   routineFromRun(jobDir, { name, account, now, previous? })  → Routine   run-save.ts's routine; `previous` keeps what the person chose around the run
 *   runFromJob(jobDir)                                         → JobRun    counts, outcome and sends, from the job's own files
 */
import { GROUP_KEYS, type GroupKey } from '../../../shared/ids'
import type { FinishedOutcome, RunRecord } from '../../../shared/routines/history'
import type { Routine } from '../../../shared/routines/schema'
import { attemptOutcome, attemptsByGroup, readJournal as readSendJournal } from '../send/journal'
import { uploadJournalOutcomes } from '../send/upload-journal-adapter'
import { readPreparedSummary } from '../upload/prepared-job'
import { runCountsOf } from './run-prepare'
import { routineFromJob } from './run-save'

/**
 * The routine a job's choices make (run-save.ts), or, with `previous`, the routine of that name
 * brought up to date: what the person chose around the run stays (when it was made, the limits, the
 * folder, the schedule, the list policy, where blank flags go, test addresses), and a job that sent
 * nothing (saved on the Upload step) keeps the routine's campaigns.
 */
export async function routineFromRun(
  jobDir: string,
  { name, account, now, previous }: { name: string; account: Routine['account']; now: Date; previous?: Routine },
): Promise<Routine> {
  const made = await routineFromJob(jobDir, {
    name,
    account,
    now,
    ...(previous?.source ? { source: previous.source } : {}),
  })
  if (!previous) return made
  const sentNothing = GROUP_KEYS.every((g) => !made.sending[g].send)
  const keepTests = (group: GroupKey): Routine['sending']['0'] => {
    const now = made.sending[group]
    const before = previous.sending[group]
    return now.send && before.send ? { ...now, testAddresses: before.testAddresses } : now
  }
  return {
    ...made,
    createdAt: previous.createdAt,
    flags: { ...made.flags, blank: previous.flags.blank },
    lists: { ...made.lists, policy: previous.lists.policy },
    sending: sentNothing ? previous.sending : { '0': keepTests('0'), '1': keepTests('1') },
    safety: previous.safety,
    ...(previous.schedule ? { schedule: previous.schedule } : {}),
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
    counts: runCountsOf(summary),
    outcome: !over
      ? undefined
      : notAdded > 0
        ? { kind: 'done_with_contacts_not_added', contactsNotAdded: notAdded }
        : { kind: 'done' },
    sent,
  }
}
