/**
 * How a routine's run sends, one rule for the command's run (run.ts) and the app's Send step of a
 * routine's run (`routines.send`, handlers.ts):
 *   1. every check of every group first, nothing sent if one fails; a campaign Constant Contact
 *      won't send to the group's list as it is (last month's, sent before and not re-addressable)
 *      is replaced by a dated copy (send/copy.ts: made once per job and group, so a retry never
 *      makes two), and the copy is checked in its place;
 *   2. the routine's test addresses get their test of what will be sent;
 *   3. the sends (exactly once per group and job: send/send.ts).
 */
import { toErrorData, UserFacingError } from '../../../shared/errors'
import type { GroupKey } from '../../../shared/ids'
import { routineSendsCopy } from '../../../shared/send/routine-copy'
import type { SendResult } from '../../../shared/send/schemas'
import type { CcClient } from '../constant-contact/client'
import { copyCampaign, preflight, send, sendTest, uploadJournalOutcomes } from '../send/index'
import type { UploadOutcomeSource } from '../send/upload-outcome'

/** One group's send as the routine has it. */
export interface RoutineGroupSend {
  group: GroupKey
  groupName: string
  campaign: { id: string; name: string }
  listName: string
  /** "now", or the UTC date-time. */
  when: 'now' | string
  testAddresses: readonly string[]
}

/** A group's send made: the campaign sent (a dated copy, or the routine's own), its test and its state. */
export interface RoutineGroupSent {
  group: GroupKey
  campaign: { id: string; name: string }
  copyOf?: { campaignId: string; campaignName: string }
  testSentTo: string[]
  result: SendResult
}

export interface RoutineSendOptions {
  /** Progress in plain words. */
  say?: (message: string) => void
  /** Each group's send as soon as it is made (a later group's failure keeps it recorded). */
  onSent?: (sent: RoutineGroupSent) => void
  /** How long to wait while another window or process holds the job. */
  lockWaitMs: number
  /** What the job's upload did per group (the job's upload journal; tests give their own). */
  uploads?: UploadOutcomeSource
}

export async function sendRoutineGroups(
  jobDir: string,
  client: CcClient,
  sends: readonly RoutineGroupSend[],
  options: RoutineSendOptions,
): Promise<RoutineGroupSent[]> {
  const say = options.say ?? (() => {})
  const uploads = options.uploads ?? uploadJournalOutcomes
  const ready = await checkAll(jobDir, client, sends, { ...options, uploads }, say)
  const tests = new Map<GroupKey, string[]>()
  for (const planned of ready.filter((s) => s.testAddresses.length)) {
    const test = await sendTest(client, { campaignId: planned.campaign.id, addresses: [...planned.testAddresses] })
    tests.set(planned.group, test.sentTo)
    say(`Test of “${planned.campaign.name}” sent to ${test.sentTo.join(', ')}.`)
  }
  const done: RoutineGroupSent[] = []
  for (const planned of ready) {
    say(
      `Sending “${planned.campaign.name}” to the list “${planned.listName}” ${planned.when === 'now' ? 'now' : `at ${planned.when} (UTC)`}…`,
    )
    let result: SendResult
    try {
      result = await send(
        jobDir,
        client,
        { group: planned.group, campaignId: planned.campaign.id, when: planned.when },
        { uploads, lockWaitMs: options.lockWaitMs },
      )
    } catch (error) {
      const data = toErrorData(error)
      throw new UserFacingError(
        data.code,
        `“${planned.campaign.name}” was not sent to ${planned.groupName}: ${data.message}`,
        data.hint,
      )
    }
    const sent: RoutineGroupSent = {
      group: planned.group,
      campaign: { id: planned.campaign.id, name: result.state.campaignName ?? planned.campaign.name },
      ...(planned.copyOf ? { copyOf: planned.copyOf } : {}),
      testSentTo: tests.get(planned.group) ?? [],
      result,
    }
    done.push(sent)
    options.onSent?.(sent)
    say(
      `${planned.groupName}: ${result.state.phase === 'scheduled' ? `scheduled for ${result.state.scheduledFor ?? planned.when}` : 'sent'}.`,
    )
  }
  return done
}

type Ready = RoutineGroupSend & { copyOf?: { campaignId: string; campaignName: string } }

/** Step 1: the checks of every group (a dated copy where the campaign can't go as it is); throws when one blocks. */
async function checkAll(
  jobDir: string,
  client: CcClient,
  sends: readonly RoutineGroupSend[],
  { lockWaitMs, uploads }: { lockWaitMs: number; uploads: UploadOutcomeSource },
  say: (message: string) => void,
): Promise<Ready[]> {
  const blocked: string[] = []
  const ready: Ready[] = []
  for (const planned of sends) {
    const check = (campaignId: string) => preflight(jobDir, client, planned.group, campaignId, { uploads })
    let checked = await check(planned.campaign.id)
    let chosen: Ready = planned
    if (routineSendsCopy(checked)) {
      const copy = await copyCampaign(
        jobDir,
        client,
        { group: planned.group, campaignId: planned.campaign.id },
        { lockWaitMs },
      )
      say(
        `“${planned.campaign.name}” can’t be sent to the list “${planned.listName}” as it is, so ${copy.how === 'created' ? 'a copy was made' : 'the copy made earlier is used'}: “${copy.name}”.`,
      )
      chosen = { ...planned, campaign: { id: copy.campaignId, name: copy.name }, copyOf: copy.copyOf }
      checked = await check(copy.campaignId)
    }
    ready.push(chosen)
    for (const c of checked.checks.filter((c) => c.result === 'blocked'))
      blocked.push(`${planned.groupName}: ${c.message}${c.hint ? ` ${c.hint}` : ''}`)
  }
  if (blocked.length) throw new UserFacingError('routine_send_checks_failed', `Nothing was sent: ${blocked.join(' ')}`)
  return ready
}
