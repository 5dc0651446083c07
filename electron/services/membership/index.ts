/**
 * The membership step (issue 13): lists that match the file. Constant Contact's imports only add,
 * so from the second month on a customer whose flag flipped would stay on the other list and get
 * both messages. After the upload this step takes them off it.
 *
 * ## Service API (for the Upload step, the command and the Send check)
 *
 *   compareLists(jobDir, client, { '0'?: {listId?, listName}, '1'?: … }, options?) → Promise<ComparisonRecord>
 *     Reads each existing list's members with a contact export (the saved one while it can be
 *     trusted: intact and under 6 hours old) and compares them with the file's groups by Prepare's
 *     normalised address, in a worker thread with bounded memory. Changes nothing in Constant
 *     Contact. `record.comparison` (shared/membership/schemas.ts) says per list how many the upload
 *     adds, how many move out (in the other group) and how many aren't in the file, with samples,
 *     and who is on both lists now and after each choice. Writes membership/… in the job folder.
 *
 *   startMembership(jobDir, client, { choice: {policy, lists, confirmed?} } | { resume: true }, options?) → MembershipRun
 *     After the upload: removes (remove_list_memberships, ≤ 500 contact IDs and one list each,
 *     several in flight within the 1,000-queued and 4-a-second limits, each followed until it ends)
 *     the contacts the choice takes off each list. Journaled in `membership-journal.jsonl`: a killed
 *     run continues where it stopped, never removing twice (a lost answer is looked up in
 *     GET /activities; when several activities could be it, the run stops and asks — `unsure`).
 *     run.done never rejects: `outcome` done | nothing_to_do | some_not_removed | cancelled | stopped.
 *
 *   readMembershipState(jobDir) → MembershipState | undefined   what the journal says (report, screens).
 */
export { compareLists } from './compare-lists'
export type { ComparisonRecord } from './compare'
export { loadMembershipState, readMembershipState, startMembership, type MembershipChoice } from './run'
export type { MembershipRunOptions } from './run'
export { MEMBERSHIP_FILES, MEMBERSHIP_JOURNAL } from './files'

export {
  planHasMembers,
  startUploadStep,
  uploadListsOf,
  type UploadStepProgress,
  type UploadStepResult,
  type UploadStepStart,
} from './upload-step'
