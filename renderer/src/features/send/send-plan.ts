/**
 * What the person's choices on the Send step add up to: which groups can still be sent to, which
 * have a campaign, what still stops the send (in plain words), and the sends the confirmation shows.
 */
import { GROUP_KEYS } from '../../../../shared/ids'
import type { Routine } from '../../../../shared/routines/schema'
import { routineCanSend, routineSendsCopy } from '../../../../shared/send/routine-copy'
import type { CampaignCheck, GroupKey, GroupSendState, SendJob } from './types'

/** The picker's value for "Don't send to this group". */
export const SKIP = 'skip'

/**
 * A group's campaign choices: the account's campaigns (newest change first; those that can't be
 * sent shown but not choosable), then, last, not sending to the group — a choice made on purpose,
 * never the one under the first key press.
 */
export function campaignOptions(
  campaigns: ReadonlyArray<{ campaignId: string; name: string; selectable: boolean }>,
): Array<{ value: string; label: string; disabled?: boolean }> {
  return [
    ...campaigns.map((c) => ({ value: c.campaignId, label: c.name, ...(c.selectable ? {} : { disabled: true }) })),
    { value: SKIP, label: 'Don’t send to this group' },
  ]
}

/** The campaign a picker's value names, if any. */
export function campaignOf(choice: string | null): string | null {
  return choice && choice !== SKIP ? choice : null
}

/** One send the person is about to make. */
export interface PlannedSend {
  group: GroupKey
  groupName: string
  campaignId: string
  campaignName: string
  subject: string
  listName: string
  contacts: number
  /** A routine's run: the dated copy sent instead of the campaign (Constant Contact won't send it as it is). */
  copyName?: string
  /** A routine's run: the addresses its test goes to first. */
  testAddresses?: string[]
}

export interface SendPlan {
  /** Groups uploaded in full and not sent to yet. */
  open: GroupKey[]
  /** Open groups with a campaign chosen. */
  chosen: GroupKey[]
  /** What stops the send, in plain words; empty when it can go. */
  blockers: string[]
  planned: PlannedSend[]
  canSend: boolean
}

export function sendPlan({
  job,
  states,
  choices,
  checks,
  whenProblem,
  routine,
}: {
  job: SendJob
  /** Undefined while they are being read. */
  states: GroupSendState[] | undefined
  choices: Record<GroupKey, string | null>
  checks: Record<GroupKey, CampaignCheck>
  whenProblem: string | null
  /** A routine's run: its rule for sending (a dated copy where needed, its tests first). */
  routine?: Pick<Routine, 'sending'>
}): SendPlan {
  const { groupNames, uploads } = job
  const uploadOf = (group: GroupKey) => uploads.find((u) => u.group === group)
  const phaseOf = (group: GroupKey) => states?.find((s) => s.group === group)?.phase ?? 'not_sent'
  const open = GROUP_KEYS.filter((g) => uploadOf(g)?.finished && phaseOf(g) === 'not_sent')
  const chosen = open.filter((g) => campaignOf(choices[g]) !== null)
  const notReady = chosen.filter((g) => {
    const check = checks[g]
    if (check.status !== 'ready') return true
    return routine ? !routineCanSend(check.preflight) : !check.preflight.canSend
  })
  const blockers = [
    ...(states === undefined ? ['Splitsend is still reading what was sent already.'] : []),
    ...open
      .filter((g) => choices[g] === null)
      .map((g) => `Choose a campaign for “${groupNames[g]}”, or choose not to send to it.`),
    ...(chosen.length === 2 && choices['0'] === choices['1']
      ? [
          'The same campaign is chosen for both groups. A campaign goes to one list at a time: pick a different campaign for each group.',
        ]
      : []),
    ...notReady.map((g) =>
      checks[g].status === 'loading'
        ? `The checks for “${groupNames[g]}” are still running.`
        : `A check stops the send to “${groupNames[g]}”; see above.`,
    ),
    ...(chosen.length > 0 && whenProblem ? [whenProblem] : []),
  ]
  const planned = chosen.flatMap((g): PlannedSend[] => {
    const check = checks[g]
    if (check.status !== 'ready') return []
    const upload = uploadOf(g)!
    const list = check.preflight.list
    return [
      {
        group: g,
        groupName: groupNames[g],
        campaignId: check.details.campaignId,
        campaignName: check.details.name,
        subject: check.details.subject,
        listName: list?.listName ?? upload.listName,
        contacts: list?.membersNow ?? list?.contactsAdded ?? upload.contactsAdded,
        ...(routine ? routineExtras(routine, g, check.preflight) : {}),
      },
    ]
  })
  return { open, chosen, blockers, planned, canSend: chosen.length > 0 && blockers.length === 0 }
}

/** What a routine's run adds to a send: the dated copy it sends instead, and its test addresses. */
function routineExtras(
  routine: Pick<Routine, 'sending'>,
  group: GroupKey,
  preflight: Extract<CampaignCheck, { status: 'ready' }>['preflight'],
): Pick<PlannedSend, 'copyName' | 'testAddresses'> {
  const sending = routine.sending[group]
  const copyName = routineSendsCopy(preflight) ? preflight.copy?.name : undefined
  return { ...(copyName ? { copyName } : {}), testAddresses: sending.send ? sending.testAddresses : [] }
}
