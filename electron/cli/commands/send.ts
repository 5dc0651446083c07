import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { toErrorData, UserFacingError, type ContractErrorData } from '../../../shared/errors'
import { GROUP_KEYS, type GroupKey } from '../../../shared/ids'
import { commandAccountService, endpointFromFlags, ENDPOINT_OPTIONS } from '../../services/account/command-support'
import type { AccountService, EndpointChoice } from '../../services/account/index'
import { isRealEndpoints, normalizeEndpoints } from '../../services/constant-contact/endpoints'
import type { CcClient } from '../../services/constant-contact/client'
import { JOB_FILES } from '../../services/prepare/job-files'
import {
  copyCampaign,
  describeSend,
  findCampaign,
  moveOnBothListsNow,
  preflight,
  resolveUnclearSend,
  scheduleDateFor,
  send,
  sendAnywayOnBothLists,
  sendState,
  sendTest,
  uploadJournalOutcomes,
} from '../../services/send/index'
import type {
  CampaignCopy,
  GroupSendState,
  PreflightResult,
  SendWhen,
  TestSendResult,
} from '../../../shared/send/schemas'
import { parseTestAddresses } from '../../services/send/test-send'
import { jobReports } from '../../services/report/index'
import { readJournal as readUploadJournal } from '../../services/upload/journal'
import { sameCampaignTwiceError } from '../../services/send/messages'
import { EXIT, type CliCommand } from '../command'
import { onePositional, parseCommandLine, readingCommandLine, usageError } from '../command-line'
import { shownPath } from '../../services/jobs/locations'

const USAGE = `Usage: splitsend send <job-dir> --campaign-0 <name-or-id> --campaign-1 <name-or-id>
                      [--at <date-time> | --now] [--copy] [--test-to a@x,b@y]
                      [--answer-0 sent|not-sent] [--answer-1 sent|not-sent]
                      [--practice | --api-base URL --auth-base URL] [--json]

Sends an email campaign to each uploaded group's list: campaign X to group 0, campaign Y to group 1.
Give one campaign to send to one group only. Before sending, it checks each campaign (confirmed
sender addresses, a status that can be sent, not already scheduled, the group's list as its only
recipients, the group's upload finished) and refuses with the reason if a check fails.

  --campaign-0 <name-or-id>  The campaign for group 0 (its name in Constant Contact, or its ID)
  --campaign-1 <name-or-id>  The campaign for group 1
  --now                      Send now
  --at <date-time>           Send at this time, with its zone, e.g. 2025-06-01T09:30-04:00 or
                             2025-06-01T13:30Z (Constant Contact gets it in UTC)
  --copy                     When Constant Contact can't send a campaign to the group's list as it
                             is (it was sent before, or its last send failed), send a copy of it:
                             a new draft "<name> – <date>", made once however often this is run
  --answer-0 sent|not-sent   When Splitsend asked whether a send Constant Contact shows was this
  --answer-1 sent|not-sent   job's (another send of the campaign to the group's list, a changed
                             schedule): your answer, after checking in Constant Contact
  --test-to a@x,b@y          First send a test of each campaign to these addresses (at most 5;
                             Constant Contact allows 50 test emails a day)
  --both-lists <answer>      When contacts are on both groups' lists (they would get both
                             messages): move (take each one in the file off the list of the group
                             it isn't in — never deleted or unsubscribed) or send-anyway
  --practice                 Use the practice account (a local Constant Contact on this computer)
  --api-base URL             Use another Constant Contact API address (with --auth-base)
  --auth-base URL            Its authorization server address
  --json                     Print the result as JSON

Without --now or --at it only checks (and sends the tests): nothing goes to the lists.
Each group is sent at most once per job: running the command again never sends twice, and says
what was sent. Exit codes: 0 every requested send was accepted (or only checks were asked and they
passed), 1 a check failed or a send was refused (with the reason), 2 usage error.
`

interface GroupReport {
  group: GroupKey
  campaign: { id: string; name: string }
  preflight?: PreflightResult
  /** The copy sent instead of the campaign named (with --copy). */
  copy?: CampaignCopy
  test?: TestSendResult
  state?: GroupSendState
  alreadyDone?: boolean
  error?: ContractErrorData
}

interface Request {
  jobDir: string
  campaigns: Partial<Record<GroupKey, string>>
  when?: SendWhen
  testTo?: string[]
  /** Send a dated copy of a campaign Constant Contact can't send to the group's list as it is. */
  copy: boolean
  /** The person's answers for unclear sends (see resolveUnclearSend). */
  answers: Partial<Record<GroupKey, 'sent' | 'not_sent'>>
  bothLists?: 'move' | 'send-anyway'
  endpoint: EndpointChoice
  json: boolean
}

export const sendCommand: CliCommand = {
  name: 'send',
  summary: 'Send campaign X to group 0’s list and Y to group 1’s list, exactly once',
  usage: USAGE,
  async run(args, io) {
    const request = readingCommandLine(() => readRequest(args))
    const account = commandAccountService(io.stderr)
    try {
      const client = await connectedClient(account, request.endpoint)
      const reports = await runSend(client, request, request.json ? () => {} : io.stdout)
      const ok = reports.every((r) => !r.error)
      if (reports.some((r) => r.state))
        await updateReport(request.jobDir, request.json ? () => {} : io.stdout, io.stderr)
      if (request.json)
        io.stdout(
          `${JSON.stringify({ jobDir: request.jobDir, sent: request.when !== undefined && ok, groups: reports }, null, 2)}\n`,
        )
      return ok ? EXIT.ok : EXIT.failure
    } finally {
      await account.close()
    }
  },
}

const OPTIONS = {
  ...ENDPOINT_OPTIONS,
  'campaign-0': { type: 'string' },
  'campaign-1': { type: 'string' },
  at: { type: 'string' },
  now: { type: 'boolean' },
  'test-to': { type: 'string' },
  copy: { type: 'boolean' },
  'answer-0': { type: 'string' },
  'answer-1': { type: 'string' },
  'both-lists': { type: 'string' },
  json: { type: 'boolean' },
} as const

function readRequest(args: string[]): Request {
  const { values, positionals } = parseCommandLine(args, OPTIONS)
  const folder = onePositional(
    positionals,
    'Name the job folder to send from.',
    'Name exactly one job folder.',
    'Usage: splitsend send <job-dir> --campaign-0 <name> --campaign-1 <name> --now',
  )
  const jobDir = resolve(folder)
  if (!existsSync(join(jobDir, JOB_FILES.job)))
    throw usageError(
      `The folder ${shownPath(jobDir)} does not hold a prepared job.`,
      'Prepare and upload the spreadsheet first, then send from that folder.',
    )
  const campaigns: Partial<Record<GroupKey, string>> = {}
  for (const group of GROUP_KEYS) {
    const value = values[`campaign-${group}`]?.trim()
    if (value) campaigns[group] = value
  }
  const answers: Partial<Record<GroupKey, 'sent' | 'not_sent'>> = {}
  for (const group of ['0', '1'] as const) {
    const value = values[`answer-${group}`]?.trim()
    if (value === undefined) continue
    if (value !== 'sent' && value !== 'not-sent') throw usageError(`--answer-${group} is “sent” or “not-sent”.`)
    answers[group] = value === 'sent' ? 'sent' : 'not_sent'
  }
  if (!campaigns['0'] && !campaigns['1'] && !answers['0'] && !answers['1'])
    throw usageError('Say which campaign to send with --campaign-0 and/or --campaign-1.')
  if (values.at !== undefined && values.now) throw usageError('Use either --now or --at, not both.')
  const when = values.now ? 'now' : values.at !== undefined ? scheduleDateFor(values.at).when : undefined
  const testTo = values['test-to'] !== undefined ? parseTestAddresses(values['test-to']) : undefined
  const bothLists = values['both-lists']
  if (bothLists !== undefined && bothLists !== 'move' && bothLists !== 'send-anyway')
    throw usageError(`--both-lists must be move or send-anyway, not “${bothLists}”.`)
  const endpoint = endpointFromFlags(values)
  if (typeof endpoint === 'object') {
    try {
      normalizeEndpoints(endpoint)
    } catch (error) {
      throw usageError(
        (error as Error).message,
        'Give full addresses, e.g. --api-base http://127.0.0.1:5050/v3 --auth-base http://127.0.0.1:5050/oauth2/default/v1.',
      )
    }
  }
  return {
    jobDir,
    campaigns,
    ...(when ? { when } : {}),
    ...(testTo ? { testTo } : {}),
    copy: values.copy ?? false,
    answers,
    ...(bothLists ? { bothLists } : {}),
    endpoint,
    json: values.json ?? false,
  }
}

/** The client of the connected account, refusing if it isn't the account the flags name. */
async function connectedClient(account: AccountService, endpoint: EndpointChoice): Promise<CcClient> {
  const status = await account.status()
  const wanted =
    endpoint === 'practice' ? 'practice' : endpoint === 'real' || isRealEndpoints(endpoint) ? 'real' : 'custom'
  const login =
    endpoint === 'practice'
      ? 'splitsend login --practice'
      : endpoint === 'real'
        ? 'splitsend login'
        : `splitsend login --api-base ${endpoint.apiBase} --auth-base ${endpoint.authBase}`
  const sameCustom = typeof endpoint === 'object' && status.apiBase === normalizeEndpoints(endpoint).apiBase
  if (status.connected && (status.endpoint !== wanted || (wanted === 'custom' && !sameCustom))) {
    const now = status.practice
      ? 'the practice account'
      : status.endpoint === 'custom'
        ? status.apiBase
        : 'a real Constant Contact account'
    throw new UserFacingError(
      'cc_other_account',
      `Splitsend is connected to ${now}, not to the one this command names.`,
      `Run '${login}' first, or run the command with the options of the connected account.`,
    )
  }
  return account.client()
}

async function runSend(client: CcClient, request: Request, print: (text: string) => void): Promise<GroupReport[]> {
  for (const group of GROUP_KEYS) {
    const answer = request.answers[group]
    if (!answer) continue
    const state = await resolveUnclearSend(request.jobDir, group, answer, { lockWaitMs: 60_000 })
    print(`Group ${group}: noted. ${describeSend(state)}
`)
  }
  const groups = GROUP_KEYS.filter((g) => request.campaigns[g])
  const reports: GroupReport[] = []
  for (const group of groups) {
    const campaign = await findCampaign(client, request.campaigns[group]!)
    reports.push({ group, campaign: { id: campaign.campaign_id!, name: campaign.name ?? campaign.campaign_id! } })
  }
  if (reports.length === 2 && reports[0]!.campaign.id === reports[1]!.campaign.id)
    throw sameCampaignTwiceError(reports[0]!.campaign.name)

  // What this job already did comes first: an interrupted send is settled before any check.
  const states = await sendState(request.jobDir, client)
  const toSend: GroupReport[] = []
  for (const report of reports) {
    const state = states.find((s) => s.group === report.group)!
    if (['scheduled', 'sending', 'sent'].includes(state.phase)) {
      report.state = state
      if (state.campaignId === report.campaign.id || state.copyOf?.campaignId === report.campaign.id) {
        report.alreadyDone = true
        print(`Group ${report.group}: already done by this job, not sent again. ${describeSend(state)}\n`)
      } else {
        report.error = {
          code: 'send_already_done_for_group',
          message: `This job already sent “${state.campaignName}” to group ${report.group}.`,
          hint: 'Splitsend sends one campaign per group per job.',
        }
        print(`Group ${report.group}: ${report.error.message} ${report.error.hint}\n`)
      }
      continue
    }
    if (state.phase === 'in_progress') {
      report.error = {
        code: 'send_busy',
        message: 'Another Splitsend window is sending the emails of this job right now.',
        hint: 'Wait for it to finish, then run this again.',
      }
      print(`Group ${report.group}: ${report.error.message}\n`)
      continue
    }
    toSend.push(report)
  }

  const check = async (quiet: boolean): Promise<void> => {
    for (const report of toSend) {
      report.preflight = await preflight(request.jobDir, client, report.group, report.campaign.id, {
        uploads: uploadJournalOutcomes,
      })
      if (report.preflight.copy?.possible && request.copy) {
        if (!request.when) {
          if (!quiet) print(describeChecks(report.preflight))
          continue
        }
        report.copy = await copyCampaign(
          request.jobDir,
          client,
          { group: report.group, campaignId: report.campaign.id },
          {
            lockWaitMs: 60_000,
          },
        )
        print(
          `Group ${report.group}: “${report.campaign.name}” can’t be sent to the group’s list as it is, so ${report.copy.how === 'created' ? 'a copy was made' : 'the copy made earlier is used'}: “${report.copy.name}”. ${report.preflight.copy.keeps} ${report.preflight.copy.loses}\n`,
        )
        report.campaign = { id: report.copy.campaignId, name: report.copy.name }
        report.preflight = await preflight(request.jobDir, client, report.group, report.campaign.id, {
          uploads: uploadJournalOutcomes,
        })
      }
      if (!quiet) print(describeChecks(report.preflight))
    }
  }
  await check(request.bothLists !== undefined)
  const onBoth = toSend
    .flatMap((r) => r.preflight!.checks)
    .find((c) => c.id === 'one_list_each' && c.result === 'blocked')
  if (request.bothLists && onBoth?.bothLists) {
    if (request.bothLists === 'send-anyway') sendAnywayOnBothLists(request.jobDir, onBoth.bothLists.checkedAt)
    else {
      print(`${onBoth.message}\nTaking them off the list of the group they aren’t in…\n`)
      const moved = await moveOnBothListsNow(request.jobDir, client, await uploadJournalOutcomes(request.jobDir))
      for (const list of moved.lists)
        print(`  Off “${list.listName}”: ${list.removed.toLocaleString('en-US')} removed.\n`)
      if (moved.error) print(`${moved.error.message}${moved.error.hint ? ` ${moved.error.hint}` : ''}\n`)
    }
  }
  if (request.bothLists !== undefined) await check(false)
  const blocked = toSend.filter((r) => !r.preflight!.canSend)
  if (blocked.length || reports.some((r) => r.error)) {
    for (const report of blocked) {
      const reasons = report.preflight!.checks.filter((c) => c.result === 'blocked')
      report.error = {
        code: 'send_checks_failed',
        message: reasons.map((c) => c.message).join(' '),
        hint: [
          ...reasons.map((c) => c.hint).filter(Boolean),
          ...(report.preflight!.copy?.possible
            ? [
                request.copy
                  ? 'Add --now or --at to make the copy and send it.'
                  : 'To send a copy from here, run the command again with --copy.',
              ]
            : []),
        ].join(' '),
      }
    }
    if (toSend.length) print('Nothing was sent: fix what is marked ✗ above, then run the command again.\n')
    return reports
  }

  if (request.testTo) {
    for (const report of toSend) {
      try {
        report.test = await sendTest(client, { campaignId: report.campaign.id, addresses: request.testTo })
        print(`Test of “${report.campaign.name}” sent to ${report.test.sentTo.join(', ')}.\n`)
      } catch (error) {
        report.error = toErrorData(error)
        print(
          `The test of “${report.campaign.name}” wasn’t sent: ${report.error.message}${report.error.hint ? ` ${report.error.hint}` : ''}\n`,
        )
      }
    }
    if (toSend.some((r) => r.error)) {
      print('Nothing was sent to the lists.\n')
      return reports
    }
  }

  if (!request.when) {
    if (toSend.length)
      print('All checks passed. Nothing was sent to the lists: add --now, or --at <date-time>, to send.\n')
    return reports
  }

  for (const report of toSend) {
    const list = report.preflight!.list!
    const count =
      list.membersNow !== undefined
        ? `${list.membersNow.toLocaleString('en-US')} contacts`
        : `${list.contactsAdded.toLocaleString('en-US')} contacts uploaded`
    print(
      `Sending “${report.campaign.name}” to the list “${list.listName}” (${count}) ${request.when === 'now' ? 'now' : `at ${request.when} (UTC)`}…\n`,
    )
    try {
      const result = await send(
        request.jobDir,
        client,
        { group: report.group, campaignId: report.campaign.id, when: request.when },
        { uploads: uploadJournalOutcomes, lockWaitMs: 60_000 },
      )
      report.state = result.state
      report.alreadyDone = result.alreadyDone
      print(
        `Group ${report.group}: ${result.alreadyDone ? 'already done by this job, not sent again. ' : ''}${describeSend(result.state)}\n`,
      )
    } catch (error) {
      report.error = toErrorData(error)
      print(
        `Group ${report.group}: not sent. ${report.error.message}${report.error.hint ? ` ${report.error.hint}` : ''}\n`,
      )
    }
  }
  return reports
}

function describeChecks(result: PreflightResult): string {
  const mark = { ok: '✓', note: '!', blocked: '✗' } as const
  const lines = [
    `Group ${result.group}: “${result.campaign.name}” — subject “${result.campaign.subject}”, from ${result.campaign.fromName} <${result.campaign.fromEmail}>`,
  ]
  for (const check of result.checks) {
    lines.push(`  ${mark[check.result]} ${check.title}: ${check.message}`)
    if (check.result === 'blocked' && check.hint) lines.push(`      ${check.hint}`)
  }
  return `${lines.join('\n')}\n`
}

/** Writes the job's report again, now with its "Sends" section (only once the upload has a journal). */
async function updateReport(
  jobDir: string,
  print: (text: string) => void,
  warn: (text: string) => void,
): Promise<void> {
  if (!readUploadJournal(jobDir)) return
  try {
    const { htmlPath } = await jobReports.current(jobDir)
    print(`Report: ${htmlPath}\n`)
  } catch (error) {
    const data = toErrorData(error)
    warn(`The sends were made, but the report couldn’t be updated: ${data.message}\n`)
  }
}
