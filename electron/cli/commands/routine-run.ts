import { toErrorData } from '../../../shared/errors'
import { GROUP_KEYS } from '../../../shared/ids'
import { commandAccountService } from '../../services/account/command-support'
import { routineAccountClient } from '../../services/routines/run-account'
import { runRoutine, type PlannedSend, type RoutineRunEvent, type RoutineRunResult } from '../../services/routines/run'
import type { RoutineStore } from '../../services/routines/store'
import { IMPORT_LIMITS } from '../../services/upload/chunks'
import { testImportMaxContacts } from '../../services/upload/crash-points'
import type { CliIO } from '../command'
import { onePositional, parseCommandLine, usageError } from '../command-line'
import { describePlan, progressPrinter } from './upload'

const OPTIONS = {
  file: { type: 'string' },
  again: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
} as const

/** `splitsend routine run <name> [--file <path>] [--again] [--dry-run] [--json]`: the exit code is the run's. */
export async function routineRun(store: RoutineStore, jobsDir: string, args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine(args, OPTIONS)
  const name = onePositional(
    positionals,
    'Name the routine to run (in quotes if it has spaces).',
    'Name exactly one routine (put a name with spaces in quotes).',
  )
  if (values.again && values.file === undefined)
    throw usageError('--again runs a file that already ran: name it with --file <path>.')
  const json = values.json ?? false
  const print = json ? (event: RoutineRunEvent) => io.stdout(`${JSON.stringify(jsonLine(event))}\n`) : textPrinter(io)

  const account = commandAccountService(io.stderr)
  const abort = new AbortController()
  const onSignal = (): void => {
    io.stderr('\nCancelling: nothing more is uploaded, nothing is sent.\n')
    abort.abort()
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const testMax = testImportMaxContacts()
    const result = await runRoutine(
      {
        name,
        ...(values.file !== undefined ? { file: values.file } : {}),
        again: values.again ?? false,
        dryRun: values['dry-run'] ?? false,
      },
      {
        store,
        jobsDir,
        connect: (routine) => routineAccountClient(account, routine.account),
        onEvent: print,
        signal: abort.signal,
        ...(testMax ? { uploadLimits: { ...IMPORT_LIMITS, maxContacts: testMax } } : {}),
      },
    )
    return result.exitCode
  } catch (error) {
    // A run that couldn't start (no such routine, another run holds it): a JSON reader gets its result line too.
    if (json) {
      const { code, message, hint } = toErrorData(error)
      io.stdout(
        `${JSON.stringify({ type: 'result', routine: name, outcome: { kind: 'failed', code, message, ...(hint ? { hint } : {}) }, exitCode: 1 })}\n`,
      )
    }
    throw error
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    await account.close()
  }
}

/** The JSON line of an event: the upload plan as the upload command prints it (the engine's record without its sizing details). */
function jsonLine(event: RoutineRunEvent): object {
  if (event.type === 'plan') {
    const { sizing: _sizing, activities: _activities, limits: _limits, anchor: _anchor, ...upload } = event.upload
    return { ...event, upload }
  }
  if (event.type === 'result') return { type: 'result', ...event.result }
  return event
}

function textPrinter(io: CliIO): (event: RoutineRunEvent) => void {
  const uploadProgress = progressPrinter(io)
  const n = (value: number): string => value.toLocaleString('en-US')
  return (event) => {
    switch (event.type) {
      case 'file':
        io.stdout(`File: ${event.path}\n`)
        for (const earlier of event.passedOver)
          io.stdout(`  (passed over “${earlier.fileName}”: it ran on ${earlier.runStartedAt.slice(0, 10)})\n`)
        return
      case 'prepared':
        io.stdout(
          `Prepared ${n(event.counts.rows)} rows into ${event.jobDir}: ${n(event.counts.groups['0'])} and ${n(event.counts.groups['1'])} contacts, ${n(event.counts.problems)} left out.\n`,
        )
        for (const note of event.notes) io.stdout(`Note: ${note}\n`)
        return
      case 'plan':
        io.stdout(describePlan(event.upload))
        for (const send of event.sends) io.stdout(describePlannedSend(send))
        if (event.dryRun) io.stdout('Dry run: nothing was uploaded or sent, and the routine’s history is unchanged.\n')
        return
      case 'progress':
        if (event.phase === 'uploading') uploadProgress(event.upload)
        else io.stdout(`${event.message}\n`)
        return
      case 'result':
        io.stdout(describeResult(event.result))
        return
    }
  }
}

function describePlannedSend(send: PlannedSend): string {
  const again =
    send.campaign.timesSent > 0
      ? ` It was sent ${send.campaign.timesSent} ${send.campaign.timesSent === 1 ? 'time' : 'times'} before.`
      : ''
  const when = send.when === 'now' ? 'right after the upload' : `at ${new Date(send.when).toLocaleString()}`
  const copy = send.mayCopy
    ? ' If Constant Contact won’t send it to that list as it is, a copy named with today’s date is sent instead.'
    : ''
  const test = send.testAddresses.length ? ` A test goes to ${send.testAddresses.join(', ')} first.` : ''
  return `  ${send.groupName}: campaign “${send.campaign.name}” to the list “${send.listName}” ${when}.${again}${copy}${test}\n`
}

function describeResult(result: RoutineRunResult): string {
  const n = (value: number): string => value.toLocaleString('en-US')
  const outcome = result.outcome
  const lines: string[] = []
  switch (outcome.kind) {
    case 'done':
      lines.push(result.dryRun ? 'The run would go ahead (dry run).' : `Done: the routine “${result.routine}” ran.`)
      break
    case 'done_with_contacts_not_added':
      lines.push(`Done, but Constant Contact did not add ${n(outcome.contactsNotAdded)} contacts (see the report).`)
      break
    case 'stopped_by_safety_check':
      lines.push(
        `Stopped${result.dryRun ? ' (dry run)' : ''}: nothing was uploaded or sent, because:`,
        ...outcome.reasons.map((reason) => `  • ${reason}`),
        'If the file is right, run it from the app (which shows these warnings and lets you go on), or change the routine.',
      )
      break
    case 'failed':
      lines.push(`Failed: ${outcome.message}`)
      break
  }
  if (result.upload)
    lines.push(
      `Uploaded: ${n(result.upload.contactsAdded)} contacts added${result.upload.report ? `; report: ${result.upload.report}` : ''}`,
    )
  for (const group of GROUP_KEYS) {
    const sent = result.sent?.[group]
    if (sent)
      lines.push(
        `Sent to “${result.groupNames[group]}”: “${sent.campaignName}”${sent.copyOf ? ` (a copy of “${sent.copyOf.campaignName}”)` : ''}`,
      )
  }
  if (result.jobDir) lines.push(`Job folder: ${result.jobDir}`)
  return `${lines.join('\n')}\n`
}
