import { sampleName } from '../../../shared/membership/words'
import type { CcClient } from '../constant-contact/client'
import { ConstantContactError } from '../constant-contact/errors'
import type { MembershipResult } from '../../../shared/membership/schemas'
import { UserFacingError } from '../../../shared/errors'
import {
  checkBothLists,
  moveNowChoice,
  recordMovedNow,
  type BothListsLists,
  type BothListsOptions,
} from '../membership/both-lists'
import { startMembership, type MembershipRunOptions } from '../membership/run'
import { formatCount } from './messages'
import type { PreflightCheck, UploadOutcome } from '../../../shared/send/schemas'

/**
 * "Nobody is on both lists": someone on both would get both messages. Checked when both groups
 * were uploaded; blocks the send with the count and a few names until the person moves them
 * (each off the other group's list) or chooses to send anyway.
 */
export async function bothListsCheck(
  jobDir: string,
  client: CcClient,
  uploads: readonly UploadOutcome[],
  options: BothListsOptions = {},
): Promise<PreflightCheck | undefined> {
  const lists = bothLists(uploads)
  if (!lists) return undefined
  let finding
  try {
    finding = await checkBothLists(jobDir, client, lists, options)
  } catch (error) {
    // A list that is gone is the list check's to report.
    if (error instanceof ConstantContactError && error.code === 'cc_not_found') return undefined
    throw error
  }
  const title = 'Nobody is on both lists'
  const names = `“${lists['0'].listName}” and “${lists['1'].listName}”`
  const details = {
    checkedAt: finding.checkedAt,
    onBoth: finding.onBoth,
    movable: finding.movable['0'] + finding.movable['1'],
  }
  // What "move them now" already did stays said, whatever the lists show now.
  const moved = finding.moved?.length
    ? ` Moved before sending: ${finding.moved.map((l) => `${formatCount(l.removed)} off “${l.listName}”`).join(', ')}.`
    : ''
  if (finding.onBoth === 0) {
    return {
      id: 'one_list_each',
      result: 'ok',
      title,
      message: `No contact is on both ${names}.${moved}`,
      bothLists: details,
    }
  }
  const who = `${formatCount(finding.onBoth)} ${finding.onBoth === 1 ? 'contact is' : 'contacts are'} on both ${names}, so they would get both messages`
  const sample = finding.sample.length ? ` — for example ${finding.sample.map(sampleName).join(', ')}` : ''
  if (finding.sendAnyway)
    return {
      id: 'one_list_each',
      result: 'note',
      title,
      message: `${who}${sample}. You chose to send anyway.${moved}`,
      bothLists: details,
    }
  const rest = finding.onBoth - details.movable
  return {
    id: 'one_list_each',
    result: 'blocked',
    title,
    message: `${who}${sample}.${moved}`,
    hint:
      (details.movable === finding.onBoth
        ? 'Move them now: each is taken off the list of the group it isn’t in'
        : `Move them now: the ${formatCount(details.movable)} of them who are in this file are taken off the list of the group they aren’t in`) +
      ' (taking a contact off a list never deletes or unsubscribes it)' +
      (rest > 0 ? `; ${formatCount(rest)} aren’t in this file, so take them off one list in Constant Contact.` : '.') +
      ' Or send anyway.',
    bothLists: details,
  }
}

/** Both groups' lists, when both were uploaded. */
function bothLists(uploads: readonly UploadOutcome[]): BothListsLists | undefined {
  const zero = uploads.find((u) => u.group === '0')
  const one = uploads.find((u) => u.group === '1')
  if (!zero || !one) return undefined
  return {
    '0': { listId: zero.listId, listName: zero.listName },
    '1': { listId: one.listId, listName: one.listName },
  }
}

/**
 * "Move them now": each contact on both lists who is in a group of the file is taken off the other
 * group's list (the removals of "move", journaled like the upload's), from fresh exports and for no
 * more contacts than the check showed. The next check reads the lists again.
 */
export async function moveOnBothListsNow(
  jobDir: string,
  client: CcClient,
  uploads: readonly UploadOutcome[],
  options: BothListsOptions & Pick<MembershipRunOptions, 'poll' | 'comparison' | 'onProgress'> = {},
): Promise<MembershipResult> {
  const lists = bothLists(uploads)
  if (!lists)
    throw new UserFacingError(
      'both_lists_not_uploaded',
      'Only one group was uploaded, so nobody can be on both lists.',
      'Check the send again.',
    )
  const finding = await checkBothLists(jobDir, client, lists, options)
  const run = startMembership(
    jobDir,
    client,
    { again: moveNowChoice(lists, finding) },
    {
      ...(options.poll ? { poll: options.poll, exports: { poll: options.poll } } : {}),
      ...(options.comparison ? { comparison: options.comparison } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  )
  const result = await run.done
  recordMovedNow(jobDir, result.lists)
  return result
}

/** The person chose to send although the check found contacts on both lists (for that finding only). */
export { sendAnywayOnBothLists } from '../membership/both-lists'
