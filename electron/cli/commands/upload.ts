import { join, resolve } from 'node:path'
import { UserFacingError } from '../../../shared/errors'
import { GROUP_KEYS } from '../../../shared/ids'
import { commandAccountService, endpointFromFlags, ENDPOINT_OPTIONS } from '../../services/account/command-support'
import { toEndpointRef } from '../../services/account/endpoint-ref'
import {
  planUpload,
  readUploadState,
  startUpload,
  type UploadPlan,
  type UploadProgress,
  type UploadResult,
  type UploadStart,
} from '../../services/upload/index'
import type { AccountInfo, ActivityProgress, UploadChoices } from '../../../shared/upload/schemas'
import { defaultDataDir } from '../../services/jobs/locations'
import { IMPORT_LIMITS } from '../../services/upload/chunks'
import { accountSpeedKey, createUploadRates, UPLOAD_SPEEDS_FILE } from '../../services/upload/rates'
import { testImportMaxContacts } from '../../services/upload/crash-points'
import { EXIT, type CliCommand, type CliIO } from '../command'
import { onePositional, parseCommandLine, usageError } from '../command-line'

const USAGE = `Usage: splitsend upload <job-dir> --list-0 <name> --list-1 <name> [options]

Uploads a prepared job (from 'splitsend prepare') to Constant Contact: group 0 into one list,
group 1 into another, through Constant Contact's bulk imports. Uses the account you connected
with 'splitsend login'. Running it again on the same folder continues an interrupted upload; a
finished one is not sent again.

  --list-0 <name>     The list for group 0: its exact name (or its list ID).
  --list-1 <name>     The list for group 1.
  --skip-0, --skip-1  Don't upload that group.
  --create-lists      Create a list that doesn't exist yet (found by exact name first, so never twice).
  --create-fields     Create the custom fields the file uses that the account doesn't have yet.
  --practice          Use the practice account (a local Constant Contact on this computer).
  --api-base URL      Use another Constant Contact API address (with --auth-base).
  --auth-base URL     Its authorization server address.
  --resend-unclear    Send again an import whose answer was lost and that Constant Contact's
                      list can't tell apart from other imports sent at the same time (the upload
                      stops and asks; sending again never adds a contact twice).
  --json              Print JSON lines (plan, progress, result) instead of text.

Writes upload-journal.jsonl, report.csv and report.html into the job folder.
Exit codes: 0 every contact was added, 3 finished but Constant Contact reported contacts it did not
add, 1 failed, stopped or cancelled (the reason is printed; run again to continue), 2 usage error.
`

const OPTIONS = {
  ...ENDPOINT_OPTIONS,
  'list-0': { type: 'string' },
  'list-1': { type: 'string' },
  'skip-0': { type: 'boolean' },
  'skip-1': { type: 'boolean' },
  'create-lists': { type: 'boolean' },
  'create-fields': { type: 'boolean' },
  'resend-unclear': { type: 'boolean' },
  json: { type: 'boolean' },
} as const

export const uploadCommand: CliCommand = {
  name: 'upload',
  summary: 'Upload a prepared job to two Constant Contact lists (resumable)',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandLine(args, OPTIONS)
    const folder = onePositional(positionals, 'Name the prepared job folder to upload.', 'Name exactly one job folder.')
    const lists = listChoices(values)
    const endpoint = endpointFromFlags(values)
    const jobDir = resolve(folder)
    const json = values.json ?? false
    const out = json ? (record: object) => io.stdout(`${JSON.stringify(record)}\n`) : undefined

    const account = commandAccountService(io.stderr)
    try {
      // Which account: the one asked for on the command line must be the connected one.
      let status = await account.status()
      const wanted = toEndpointRef(endpoint)
      if (wanted.kind === 'practice' && !(status.connected && status.practice)) {
        status = await account.connect({ mode: 'browser', endpoint: 'practice' })
      } else if (!status.connected) {
        throw new UserFacingError(
          status.needsReconnect ? 'cc_reconnect_needed' : 'cc_not_connected',
          'Splitsend isn’t connected to Constant Contact.',
          "Run 'splitsend login' first (add --practice for the practice account). Nothing was sent.",
        )
      } else if (wanted.kind === 'custom' && !(status.endpoint === 'custom' && status.apiBase === wanted.apiBase)) {
        throw new UserFacingError(
          'cc_other_account',
          'Splitsend is connected to a different Constant Contact than the address given.',
          "Run 'splitsend login' with the same --api-base and --auth-base first. Nothing was sent.",
        )
      }
      const client = await account.client()
      const speed = createUploadRates(join(defaultDataDir(), UPLOAD_SPEEDS_FILE)).forAccount(accountSpeedKey(status))
      const who: AccountInfo = {
        ...(status.accountName ? { name: status.accountName } : {}),
        ...(status.email ? { email: status.email } : {}),
        practice: status.practice,
      }
      if (!json)
        io.stdout(
          `Constant Contact account: ${who.name ?? 'connected account'}${who.email ? ` (${who.email})` : ''}${who.practice ? ' — the practice account on this computer' : ''}\n`,
        )

      const journal = readUploadState(jobDir)
      let start: UploadStart
      if (journal?.plan) {
        checkSameLists(journal.plan, lists)
        if (!json)
          io.stdout(
            `Continuing the upload of ${journal.plan.sourceFile} started ${new Date(journal.startedAt ?? journal.plan.plannedAt).toLocaleString()}.\n`,
          )
        out?.({ type: 'resume', plan: journal.plan })
        start = { resume: true, ...(values['resend-unclear'] ? { resendUnclear: true } : {}) }
      } else {
        const testMax = testImportMaxContacts()
        const plan = await planUpload(
          jobDir,
          client,
          { lists, createLists: values['create-lists'] ?? false, createCustomFields: values['create-fields'] ?? false },
          { speed, ...(testMax ? { limits: { ...IMPORT_LIMITS, maxContacts: testMax } } : {}) },
        )
        if (out) out({ type: 'plan', plan })
        else io.stdout(describePlan(plan))
        if (plan.blockers.length) {
          io.stderr(`splitsend upload: nothing was sent.\n${plan.blockers.map((b) => `  ${b}\n`).join('')}`)
          return EXIT.failure
        }
        start = { plan }
      }

      const printer = json ? undefined : progressPrinter(io)
      const run = startUpload(jobDir, client, start, {
        account: who,
        speed,
        onProgress: (progress) => (out ? out({ type: 'progress', ...progress }) : printer!(progress)),
      })
      const onSignal = (): void => {
        io.stderr('\nCancelling: nothing more is sent. Run the same command again to continue.\n')
        run.cancel()
      }
      process.once('SIGINT', onSignal)
      process.once('SIGTERM', onSignal)
      let result: UploadResult
      try {
        result = await run.done
      } finally {
        process.off('SIGINT', onSignal)
        process.off('SIGTERM', onSignal)
      }
      if (out) out({ type: 'result', ...result })
      else io.stdout(describeResult(result))
      if (result.error)
        io.stderr(`splitsend upload: ${result.error.message}${result.error.hint ? `\n${result.error.hint}` : ''}\n`)
      if (result.reportError)
        io.stderr(`splitsend upload: the report could not be written: ${result.reportError.message}\n`)
      return result.outcome === 'all_added'
        ? EXIT.ok
        : result.outcome === 'some_not_added'
          ? EXIT.partial
          : EXIT.failure
    } finally {
      await account.close()
    }
  },
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Each group's list as the command line names it: by exact name, by list ID, or skipped. */
function listChoices(values: {
  'list-0'?: string | undefined
  'list-1'?: string | undefined
  'skip-0'?: boolean | undefined
  'skip-1'?: boolean | undefined
}): UploadChoices['lists'] {
  const lists: UploadChoices['lists'] = { '0': { kind: 'skip' }, '1': { kind: 'skip' } }
  for (const group of GROUP_KEYS) {
    const name = values[`list-${group}`]
    const skip = values[`skip-${group}`]
    if (name !== undefined && skip) throw usageError(`Give either --list-${group} or --skip-${group}, not both.`)
    if (name === undefined && !skip)
      throw usageError(
        `Say which list group ${group} goes to with --list-${group} <name>, or --skip-${group} to leave it out.`,
      )
    if (name === undefined) continue
    if (!name.trim()) throw usageError(`--list-${group} needs a list name.`)
    // A list ID (a UUID) picks that list; anything else is an exact list name.
    lists[group] = UUID.test(name.trim())
      ? { kind: 'existing', listId: name.trim() }
      : { kind: 'name', name: name.trim() }
  }
  return lists
}

/** A re-run must name the lists the journal already uses (by name), or skip the same groups. */
function checkSameLists(plan: UploadPlan, lists: UploadChoices['lists']): void {
  for (const g of plan.groups) {
    const choice = lists[g.group]
    const same = g.skipped
      ? choice.kind === 'skip'
      : (choice.kind === 'name' && choice.name === g.list?.name) ||
        (choice.kind === 'existing' && choice.listId === g.list?.listId)
    if (!same) {
      const was = g.skipped ? 'skipped' : `“${g.list?.name}”`
      throw new UserFacingError(
        'upload_already_started',
        `This job was already being uploaded with ${g.groupName} going to ${was}.`,
        `Run the command with the same lists to continue it, or prepare the file again into a new folder to upload it elsewhere.`,
      )
    }
  }
}

const n = (value: number): string => value.toLocaleString('en-US')
const contacts = (count: number): string => `${n(count)} ${count === 1 ? 'contact' : 'contacts'}`

export function describePlan(plan: UploadPlan): string {
  const lines = [`Plan for ${plan.sourceFile}:`]
  for (const g of plan.groups) {
    if (g.skipped) lines.push(`  ${g.groupName}: skipped (${contacts(g.contacts)} not uploaded)`)
    else
      lines.push(
        `  ${g.groupName}: ${contacts(g.contacts)} → list “${g.list?.name}”${g.list?.exists ? '' : ' (new)'} in ${g.activities} ${g.activities === 1 ? 'import' : 'imports'}`,
      )
  }
  lines.push(
    `  About ${formatDuration(plan.estimatedSeconds)} (${n(plan.totals.requests)} requests to Constant Contact, at most 4 a second).`,
  )
  for (const w of plan.warnings) lines.push(`Note: ${w}`)
  return `${lines.join('\n')}\n`
}

/** Prints a line when an activity changes state (or moves 25 %), and the overall progress every 10 s. */
export function progressPrinter(io: CliIO): (progress: UploadProgress) => void {
  const seen = new Map<string, string>()
  let lastOverall = 0
  let lastMessage: string | undefined
  return (progress) => {
    if (progress.message && progress.message !== lastMessage) io.stdout(`${progress.message}\n`)
    lastMessage = progress.message
    for (const a of progress.activities) {
      const key = `${a.state}:${a.attempt}:${Math.floor(a.percentDone / 25)}`
      if (seen.get(a.id) === key) continue
      const first = !seen.has(a.id)
      seen.set(a.id, key)
      if (first && a.state === 'waiting') continue
      io.stdout(`${describeActivity(a)}\n`)
    }
    const now = Date.now()
    if (progress.phase === 'uploading' && now - lastOverall >= 10_000) {
      lastOverall = now
      const o = progress.overall
      io.stdout(
        `Overall: ${Math.floor(o.fraction * 100)} % (${n(o.contactsProcessed)} of ${n(o.contactsTotal)} contacts)${o.etaSeconds !== undefined ? `, about ${formatDuration(o.etaSeconds)} left` : ''}\n`,
      )
    }
  }
}

function describeActivity(a: ActivityProgress): string {
  const what = `  [${a.id}] ${contacts(a.contacts)} → “${a.listName}”${a.attempt > 1 ? ` (try ${a.attempt})` : ''}: ${a.state.replace('_', ' ')}`
  const pct = a.state === 'processing' ? ` ${a.percentDone} %` : ''
  const counts =
    a.counts && ['completed', 'failed', 'timed_out', 'cancelled'].includes(a.state)
      ? ` — added ${n(a.counts.person_count)}, errors ${n(a.counts.error_count)}, unsubscribed before ${n(a.counts.cannot_add_to_list_count)}`
      : ''
  const id = a.activityId ? ` (activity ${a.activityId})` : ''
  return `${what}${pct}${counts}${id}`
}

function describeResult(result: UploadResult): string {
  const lines: string[] = []
  switch (result.outcome) {
    case 'all_added':
      lines.push(`Done: Constant Contact added all ${n(result.contactsAdded)} contacts.`)
      break
    case 'some_not_added':
      lines.push(
        `Finished: ${n(result.contactsAdded)} contacts added; Constant Contact reported ${n(result.contactsNotAdded)} it did not add (see report.csv).`,
      )
      break
    case 'cancelled':
      lines.push(
        `Cancelled: ${n(result.contactsAdded)} contacts added so far; ${n(result.contactsNotSent)} not sent or not finished. Run the same command again to continue.`,
      )
      break
    case 'stopped':
      lines.push(
        `Stopped: ${n(result.contactsAdded)} contacts added so far; ${n(result.contactsNotSent)} not sent or not finished. Run the same command again to continue.`,
      )
      break
  }
  if (result.report) lines.push(`Report: ${result.report.htmlPath}\n        ${result.report.csvPath}`)
  return `${lines.join('\n')}\n`
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} seconds`
  if (seconds < 3600) return `${Math.round(seconds / 60)} minutes`
  return `${(seconds / 3600).toFixed(1)} hours`
}
