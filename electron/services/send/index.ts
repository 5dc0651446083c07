/**
 * Send: campaign X to group 0's list and campaign Y to group 1's list — checked, tested, and sent
 * exactly once per group per job.
 *
 * ## The service API (for the IPC contract and the command)
 * `client` is the connected account's `CcClient` (`account.client()`); `jobDir` the prepared and
 * uploaded job folder; `uploads` reads what the upload did (`uploadJournalOutcomes`, or
 * `fixedUploadOutcomes([...])`). Every result is plain JSON data (dates are UTC ISO-8601 strings);
 * every refusal is a `UserFacingError` with a plain `message` and `hint`.
 *
 *   listCampaigns(client, { search? })                  → Promise<CampaignChoice[]>
 *       newest change first; `selectable` false with `notSelectableReason` for scheduled, sending
 *       or odd-status campaigns; deleted campaigns are left out
 *   campaignDetails(client, campaignId)                 → Promise<CampaignDetails>
 *       subject, preheader, from name/address, reply-to, current lists/segments, times sent, and
 *       `html` for a preview (show it in a sandboxed frame: no scripts, no remote loads)
 *   preflight(jobDir, client, group, campaignId, { uploads }) → Promise<PreflightResult>
 *       every check with `result: 'ok' | 'note' | 'blocked'` and its explanation; `canSend`; the
 *       group's list (name, contacts added by the upload, members now) and what it `replaces`
 *   sendTest(client, { campaignId, addresses, personalMessage? }) → Promise<TestSendResult>
 *       at most 5 addresses; `test_send_daily_limit` explains the 50-a-day limit when it is hit
 *   send(jobDir, client, { group, campaignId, when: 'now' | ISO string | Date }, { uploads, lockWaitMs?, onStep? })
 *                                                       → Promise<SendResult>  ({ state, alreadyDone })
 *       runs the checks again and refuses (`send_checks_failed`) if one fails; sets the campaign's
 *       lists to the group's list only (GET, change `contact_list_ids`, PUT the whole activity
 *       back — skipped when it goes to that list only already), then schedules ("0" = now; otherwise UTC). A second call for the same group and
 *       campaign returns the earlier result with `alreadyDone: true` and sends nothing; another
 *       campaign for a group already sent is refused (`send_already_done_for_group`); a second
 *       window gets `send_busy` (or waits `lockWaitMs`).
 *   copyCampaign(jobDir, client, { group, campaignId }, { lockWaitMs?, now? }) → Promise<CampaignCopy>
 *       when preflight says the campaign can't be sent to the group's list as it is (`copy` is set:
 *       Constant Contact won't change a sent email's recipients unless it is format 3, nor an ERROR
 *       one's): a new draft "<name> – <date>" from its subject, sender, reply-to, footer and HTML,
 *       made once per group and campaign (journaled; a lost answer is found again by its name)
 *   sendCopy(jobDir, client, { group, campaignId, when }, options) → Promise<SendResult & { copy }>
 *       copyCampaign, then send the copy: what an unattended routine calls
 *   unschedule(jobDir, client, group)                   → Promise<GroupSendState>
 *       cancels a scheduled send until it goes out; afterwards the group can be sent again
 *   resolveUnclearSend(jobDir, group, 'sent' | 'not_sent') → Promise<GroupSendState>
 *       the person's answer for a group whose phase is `unclear`: Constant Contact shows a send (or
 *       a schedule) of the campaign to the group's list that can't be told apart from this job's own
 *       (another job sent it, someone changed the schedule). Never decided by guessing.
 *   sendState(jobDir, client)                           → Promise<GroupSendState[]>  (one per group)
 *       checks interrupted sends and scheduled ones with Constant Contact first; `phase` is
 *       not_sent | in_progress | checking | scheduled | sending | sent | unclear, with `canUnschedule`;
 *       a send is this job's only when it went to the group's list at the time this job sent (or
 *       scheduled) it — see reconcile.ts
 *   journalSendState(jobDir)                            → GroupSendState[]  (no network; journal only)
 *   sendReportEntries(jobDir)                           → SendReportEntry[]  (per group: state, replaced recipients, earlier attempts)
 *   sendReportSection(jobDir)                           → ReportSectionProvider: the report's "Sends"
 *       section, which ../report/build.ts adds to every report of the job
 *   describeSend(state)                                 → one plain sentence for a group's state
 *
 * ## Exactly once
 * `send-journal.jsonl` in the job folder (./journal.ts), every line fsync'ed: the intent before the
 * lists are set and the schedule is posted, the answer after. An intent without an answer is settled
 * against Constant Contact's status, schedules and send record before anything else happens
 * (./reconcile.ts). `send.lock` (O_EXCL, with the holder's process ID; stale locks of dead processes
 * are taken over) keeps a second window or command from sending at the same time (../jobs/job-lock.ts).
 */
import { JOB_LOCK_FILES } from '../jobs/job-lock'
export { listCampaigns, campaignDetails, findCampaign } from './campaigns'
export { preflight } from './preflight'
export { sendTest, parseTestAddresses } from './test-send'
export { send, scheduleDateFor, type SendStep } from './send'
export { copyCampaign, sendCopy } from './copy'
export { resolveUnclearSend, unschedule } from './unschedule'
export { sendState, journalSendState } from './state'
export { sendReportEntries, sendReportSection, describeSend } from './report-section'
export { fixedUploadOutcomes } from './upload-outcome'
export { uploadJournalOutcomes } from './upload-journal-adapter'
export { SEND_JOURNAL_FILE } from './journal'
export const SEND_LOCK_FILE = JOB_LOCK_FILES.send
export { moveOnBothListsNow, sendAnywayOnBothLists } from './both-lists-check'
