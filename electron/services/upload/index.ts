/**
 * The Upload engine: each group of a prepared job into its own Constant Contact list, through
 * `contacts_json_import` bulk activities, crash-safe and resumable.
 *
 * ## Service API (for the contract and the command)
 *
 *   planUpload(jobDir, client, choices: UploadChoices, { signal? }) → Promise<UploadPlan>
 *     Reads the job and the account, changes nothing. `choices.lists['0'|'1']` is
 *     `{kind:'existing', listId}` | `{kind:'name', name}` (exact name; created only if absent and
 *     `createLists`) | `{kind:'skip'}`; `createCustomFields` is the person's consent to create the
 *     custom fields the file uses but the account lacks. The plan says, per group, the list (found /
 *     to be created, current member count), contacts and activities; the activities (≤ 40,000
 *     contacts and < 4 MB of measured request body each); the custom fields; a rough duration
 *     (`estimatedSeconds`); `warnings` (e.g. "the list already has 1,234 members") and `blockers`
 *     (same list for both groups, list or field missing without consent, …). Show it before starting.
 *
 *   startUpload(jobDir, client, { plan } | { resume: true }, { onProgress?, account? }) → UploadRun
 *     run.pause() / run.resume() / run.cancel() / run.paused / run.progress()
 *     run.done: Promise<UploadResult> — never rejects. `outcome`: 'all_added' | 'some_not_added' |
 *       'cancelled' | 'stopped' (with `error: {code, message, hint, resumeAt?}`: e.g. cc_reconnect_needed,
 *       cc_daily_limit with resumeAt, cc_unreachable). Contacts added / not added / not sent, the
 *       activity rows, and `report: {csvPath, htmlPath}` (written when the run ends, however it ends).
 *     Starting again on the same folder with `{resume: true}` (or the same plan) continues from the
 *     journal: finished activities are never resent; a send whose answer was lost is looked up in
 *     GET /activities first. A plan with other lists than the journal's is refused.
 *
 *   onProgress(progress: UploadProgress)  — plain JSON, at most ~10 a second:
 *     { jobDir, phase: 'starting'|'lists'|'custom_fields'|'checking'|'uploading'|'paused'|'stopping'|'finished',
 *       message?,
 *       activities: [{ id:'0-1', group:'0', number, listName, contacts, attempt,
 *                      state: 'waiting'|'sending'|'checking'|'initialized'|'processing'|'completed'|
 *                             'failed'|'timed_out'|'cancelled'|'rejected',
 *                      activityId?, percentDone, counts?: {items_total_count, person_count, error_count,
 *                      correctable_count, cannot_add_to_list_count}, errorLines }],
 *       overall: { contactsTotal, contactsProcessed, activitiesTotal, activitiesFinished, fraction, etaSeconds? } }
 *
 *   listUnfinishedJobs(jobsDir, { includeCancelled? }) → UnfinishedUpload[]
 *     Jobs under `<dataDir>/jobs` whose upload was interrupted, stopped or (optionally) cancelled,
 *     newest first: offer to resume them on start.
 *
 *   jobReports.current(jobDir) → Promise<{ csvPath, htmlPath, model }>   (../report)
 *     The job's report, written in a worker from the journals when they changed; `model` is the
 *     Report screen's data.
 *
 *   readUploadState(jobDir) → JournalState | undefined   what the journal says (workers, the command)
 *   loadUploadState(jobDir) → Promise<…>                  the same, read in pieces (the thread that serves the person)
 *
 * Files in the job folder: `upload-journal.jsonl` (append-only, fsync'ed per entry), `report.csv`,
 * `report.html`. All Constant Contact calls go through the client's shared rate limiter.
 */
import { resolve } from 'node:path'
import { toErrorData } from '../../../shared/errors'
import type { CcClient } from '../constant-contact/client'
import { jobReports } from '../report/index'
import { loadJournal, readJournal } from './journal'
import { replayJournal, type JournalState } from './journal-state'
import { startUpload as startRun, type UploadRun, type UploadRunOptions, type UploadStart } from './run'

export { planUpload, type UploadPlan } from './plan'
export { listUnfinishedJobs } from './unfinished'
export { JOURNAL_FILE } from './journal'
export type { UploadProgress, UploadResult, UploadRun, UploadRunOptions, UploadStart } from './run'
export type { JournalState } from './journal-state'

/**
 * Runs (or continues) the upload, then writes the job's report (in a worker, every section
 * included) however it ended; `done` settles once the report is written.
 */
export function startUpload(
  jobDir: string,
  client: CcClient,
  start: UploadStart,
  options: UploadRunOptions = {},
): UploadRun {
  const run = startRun(jobDir, client, start, options)
  const done = run.done.then(async (result) => {
    try {
      const { csvPath, htmlPath } = await jobReports.current(resolve(jobDir))
      return { ...result, report: { csvPath, htmlPath } }
    } catch (error) {
      return { ...result, reportError: toErrorData(error) }
    }
  })
  return {
    pause: () => run.pause(),
    resume: () => run.resume(),
    cancel: () => run.cancel(),
    get paused() {
      return run.paused
    },
    progress: () => run.progress(),
    done,
  }
}

/** What the job's journal says about its upload, or undefined when none was started (workers, the command). */
export function readUploadState(jobDir: string): JournalState | undefined {
  const entries = readJournal(jobDir)
  return entries ? replayJournal(entries) : undefined
}

/**
 * The same, read in pieces that leave the thread free between them: for the thread that serves the
 * person (the journal grows with the job's imports, and older ones list every contact not added).
 */
export async function loadUploadState(jobDir: string): Promise<JournalState | undefined> {
  const entries = await loadJournal(jobDir)
  return entries ? replayJournal(entries) : undefined
}
