import { join, resolve } from 'node:path'
import { UserFacingError } from '../../../shared/errors'
import { GROUP_KEYS } from '../../../shared/ids'
import { ScheduleSchema, type Routine, type Schedule } from '../../../shared/routines/schema'
import type { RunRecord } from '../../../shared/routines/history'
import { commandAccountService, ENDPOINT_OPTIONS } from '../../services/account/command-support'
import { defaultDataDir } from '../../services/jobs/locations'
import { findNextFile } from '../../services/routines/next-file'
import { RoutineStore } from '../../services/routines/store'
import { accountRefOf } from '../../services/routines/run-account'
import { routineFromJob } from '../../services/routines/run-save'
import { schedulerFor, type Scheduler, type ScheduleTarget } from '../../services/routines/schedule/index'
import { scheduleWords } from '../../services/routines/schedule/task'
import { scheduleCommandFor } from '../../services/routines/schedule/command'
import { EXIT, type CliCommand, type CliIO } from '../command'
import { noPositionals, onePositional, parseCommandLine, usageError } from '../command-line'
import { routineRun } from './routine-run'

const USAGE = `Usage: splitsend routine <action> …

A routine is everything decided in one run — how the file is read, its columns, the two lists and
the two campaigns — saved under a name, so next month's file goes through the same steps in one go.

  routine list [--json]                         The routines on this computer, with their last run
  routine show <name> [--json]                  One routine's choices (--json: its file)
  routine run <name> [--file <path>] [--again] [--dry-run] [--json]
                                                Prepare, check, upload and send next month's file:
                                                the newest file in the routine's folder that hasn't
                                                run yet, or --file. A file that ran successfully runs
                                                again only with --file … --again. --dry-run prepares,
                                                checks and prints the plan, changing nothing in the
                                                account (and adding nothing to the history).
                                                --json prints JSON lines (file, prepared, plan,
                                                progress, result).
  routine save <name> --from-job <job-dir> [--folder <dir> --pattern <file-pattern>] [--replace]
                      [--practice | --api-base URL --auth-base URL]
                                                A routine from a prepared, uploaded (and sent) job
                                                folder; --folder/--pattern say where next month's
                                                files arrive (e.g. --pattern "usage-*.xlsx");
                                                --replace updates a routine of that name
  routine export <name> <file> [--force]        Write the routine to a file for another computer
  routine import <file> [--name <name>] [--replace]
                                                Add a routine from such a file
  routine schedule <name> (--monthly <day> | --weekly <weekday> | --daily) --at <HH:MM> [--print]
                                                Run it on a schedule, with this computer's own
                                                scheduler (--print: show what would be registered)
  routine unschedule <name>                     Stop running it on a schedule
  routine history <name> [--json]               Its runs: date, file, counts, outcome, job folder

The routine runs with the Constant Contact account it was saved with: run 'splitsend login' first
(the practice account starts by itself). Safety stops: before anything is uploaded, a run stops
when the file's columns or flag values differ from the routine's, too many rows are problems, a
group is empty, a group's size changed too much or the file is much shorter than last time, or
the file is the same as an earlier run's (the limits are in the routine's file).

Exit codes of run: 0 done, 3 done but Constant Contact reported contacts it did not add,
4 stopped by a safety check (nothing uploaded or sent), 1 failed, 2 usage error.
Other actions: 0 done, 1 failed, 2 usage error.
`

/** What the command works with; tests give their own scheduler (see the routine command tests). */
interface RoutineCommandDeps {
  scheduler: () => Promise<Scheduler>
}

export const routineCommand = createRoutineCommand()

export function createRoutineCommand(deps: RoutineCommandDeps = { scheduler: () => schedulerFor() }): CliCommand {
  return {
    name: 'routine',
    summary: 'Save, run and schedule a monthly routine (list, show, run, save, export, import, schedule…)',
    usage: USAGE,
    async run(args, io) {
      const [action, ...rest] = args
      // An option before any action is a mistake told like every command's (Unknown option …).
      if (action?.startsWith('-')) parseCommandLine(args, {})
      const store = new RoutineStore({ dataDir: defaultDataDir() })
      switch (action) {
        case 'list':
          return listRoutines(store, rest, io)
        case 'show':
          return showRoutine(store, rest, io)
        case 'run':
          return routineRun(store, join(defaultDataDir(), 'jobs'), rest, io)
        case 'save':
          return saveRoutine(store, rest, io)
        case 'export':
          return exportRoutine(store, rest, io)
        case 'import':
          return importRoutine(store, rest, io)
        case 'schedule':
          return scheduleRoutine(store, deps.scheduler, rest, io)
        case 'unschedule':
          return unscheduleRoutine(store, deps.scheduler, rest, io)
        case 'history':
          return routineHistory(store, rest, io)
        default:
          throw usageError(
            action === undefined ? 'Say what to do with routines.' : `There is no routine action “${action}”.`,
            'The actions are list, show, run, save, export, import, schedule, unschedule and history; see splitsend routine --help.',
          )
      }
    },
  }
}

const JSON_OPTION = { json: { type: 'boolean' } } as const
const routineName = (positionals: string[], action: string): string =>
  onePositional(
    positionals,
    'Name the routine (in quotes if it has spaces).',
    `Name exactly one routine (put a name with spaces in quotes: splitsend routine ${action} "Monthly mailing").`,
  )

// ---- list, show, history --------------------------------------------------------------------

async function listRoutines(store: RoutineStore, args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine(args, JSON_OPTION)
  noPositionals(positionals)
  const entries = await store.list()
  if (values.json) {
    io.stdout(
      `${JSON.stringify(
        entries.map(({ key: _key, ...entry }) => entry),
        null,
        2,
      )}\n`,
    )
    return EXIT.ok
  }
  if (entries.length === 0) {
    io.stdout("There are no routines yet. Save one with 'splitsend routine save <name> --from-job <job-dir>'.\n")
    return EXIT.ok
  }
  for (const entry of entries) {
    if (!entry.routine) {
      io.stdout(`✗ ${entry.file}: ${entry.error?.message ?? 'can’t be read'}\n`)
      continue
    }
    const last = entry.lastRun ? `last run ${describeRun(entry.lastRun)}` : 'not run yet'
    const when = entry.routine.schedule ? `; runs ${scheduleWords(entry.routine.schedule)}` : ''
    io.stdout(`${entry.routine.name} — ${last}${when}\n`)
    if (entry.error) io.stdout(`  ${entry.error.message}\n`)
  }
  return EXIT.ok
}

async function showRoutine(store: RoutineStore, args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine(args, JSON_OPTION)
  const routine = await store.read(routineName(positionals, 'show'))
  if (values.json) {
    io.stdout(`${JSON.stringify(routine, null, 2)}\n`)
    return EXIT.ok
  }
  io.stdout(`${describeRoutine(routine)}`)
  if (routine.source) {
    const next = await findNextFile(routine.source, await store.history(routine.name))
    io.stdout(next.kind === 'found' ? `Next run would use: ${next.path}\n` : `Next run: ${next.message}\n`)
  }
  return EXIT.ok
}

function describeRoutine(routine: Routine): string {
  const account =
    routine.account.endpoint === 'practice'
      ? 'the practice account'
      : routine.account.endpoint === 'custom'
        ? routine.account.apiBase
        : (routine.account.accountName ?? routine.account.email ?? 'a real Constant Contact account')
  const reading = routine.reading
  const lines = [
    `Routine “${routine.name}” (saved ${routine.updatedAt.slice(0, 10)}), account: ${account}`,
    `  File: ${reading.format === 'csv' ? 'CSV' : `workbook${reading.sheet ? `, sheet “${reading.sheet}”` : ''}`}, header on row ${reading.headerRow}`,
    `  Email column “${routine.mapping.emailColumn}”, flag column “${routine.mapping.flagColumn}”`,
  ]
  for (const field of routine.mapping.fields) {
    const target = field.target
    if (target.kind === 'ignore') continue
    lines.push(`    “${field.column}” → ${target.kind === 'custom' ? `custom field “${target.name}”` : target.field}`)
  }
  const extra = (values: string[]): string => (values.length ? ` (also ${values.map((v) => `“${v}”`).join(', ')})` : '')
  lines.push(
    `  Flag values: ${routine.groupNames['0']}${extra(routine.flags.group0Values)}, ${routine.groupNames['1']}${extra(routine.flags.group1Values)}${routine.flags.leaveOutValues.length ? `; left out: ${routine.flags.leaveOutValues.map((v) => `“${v}”`).join(', ')}` : ''}`,
  )
  for (const group of GROUP_KEYS) {
    const list = routine.lists[group]
    const sending = routine.sending[group]
    lines.push(
      `  ${routine.groupNames[group]}: list “${list.name}”${list.createIfMissing ? ' (created if gone)' : ''}; ${sending.send ? `campaign “${sending.campaign.name}” ${sending.sendAt === 'now' ? 'sent at once' : `sent at ${sending.sendAt}`}${sending.testAddresses.length ? `, test to ${sending.testAddresses.join(', ')}` : ''}` : 'no campaign sent'}`,
    )
  }
  lines.push(`  Lists: ${routine.lists.policy === 'add' ? 'contacts are added' : routine.lists.policy}`)
  if (routine.source) lines.push(`  Files from: ${routine.source.folder} (${routine.source.pattern})`)
  const safety = routine.safety
  const minimum =
    'rows' in safety.minimumRows
      ? `${safety.minimumRows.rows} rows`
      : `${safety.minimumRows.percentOfLastRun} % of the last run's rows`
  lines.push(
    `  Safety: at most ${safety.maxProblemPercent} % problem rows, group sizes within ${safety.maxGroupChangePercent} %, at least ${minimum}`,
  )
  lines.push(routine.schedule ? `  Runs ${scheduleWords(routine.schedule)}` : '  Not scheduled')
  return `${lines.join('\n')}\n`
}

async function routineHistory(store: RoutineStore, args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine(args, JSON_OPTION)
  const name = routineName(positionals, 'history')
  const runs = await store.history(name)
  if (values.json) {
    io.stdout(`${JSON.stringify(runs, null, 2)}\n`)
    return EXIT.ok
  }
  if (runs.length === 0) io.stdout(`The routine “${name}” has not run yet.\n`)
  for (const run of runs) {
    io.stdout(`${describeRun(run)}\n`)
    if (run.jobDir) io.stdout(`  Job folder: ${run.jobDir}\n`)
    if (run.outcome.kind === 'stopped_by_safety_check')
      for (const reason of run.outcome.reasons) io.stdout(`  • ${reason}\n`)
    if (run.outcome.kind === 'failed') io.stdout(`  ${run.outcome.message}\n`)
  }
  return EXIT.ok
}

const OUTCOME_WORDS: Record<RunRecord['outcome']['kind'], string> = {
  running: 'running (or interrupted)',
  done: 'done',
  done_with_contacts_not_added: 'done, some contacts not added',
  stopped_by_safety_check: 'stopped by a safety check',
  failed: 'failed',
}

function describeRun(run: RunRecord): string {
  const n = (value: number): string => value.toLocaleString('en-US')
  const counts = run.counts
    ? ` — ${n(run.counts.rows)} rows: ${n(run.counts.groups['0'])} + ${n(run.counts.groups['1'])}, ${n(run.counts.problems)} problems`
    : ''
  return `${new Date(run.startedAt).toLocaleString()}: ${OUTCOME_WORDS[run.outcome.kind]}${run.source ? ` (${run.source.fileName})` : ''}${counts}`
}

// ---- save, export, import -------------------------------------------------------------------

async function saveRoutine(store: RoutineStore, args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    ...ENDPOINT_OPTIONS,
    'from-job': { type: 'string' },
    folder: { type: 'string' },
    pattern: { type: 'string' },
    replace: { type: 'boolean' },
  })
  const name = routineName(positionals, 'save')
  if (!values['from-job']) throw usageError('Name the job folder to save as a routine with --from-job <job-dir>.')
  if ((values.folder === undefined) !== (values.pattern === undefined))
    throw usageError(
      '--folder and --pattern go together: the folder next month’s files arrive in, and their names (e.g. "usage-*.xlsx").',
    )
  if (values.practice && (values['api-base'] || values['auth-base']))
    throw usageError('Use either --practice or --api-base/--auth-base, not both.')
  if ((values['api-base'] === undefined) !== (values['auth-base'] === undefined))
    throw usageError('--api-base and --auth-base go together: give both addresses.')
  const account = await routineAccountRef(values, io)
  const routine = await routineFromJob(resolve(values['from-job']), {
    name,
    account,
    ...(values.folder !== undefined ? { source: { folder: resolve(values.folder), pattern: values.pattern! } } : {}),
  })
  const saved = await store.save(routine, { replace: values.replace ?? false })
  io.stdout(`Saved the routine “${saved.name}”.\n${describeRoutine(saved)}`)
  if (!routine.sending['0'].send && !routine.sending['1'].send)
    io.stdout('Note: the job sent no campaign, so the routine sends none; set one in the app or the routine’s file.\n')
  return EXIT.ok
}

/** The account a saved routine uses: the one the options name, or else the connected one. */
async function routineAccountRef(
  values: { practice?: boolean; 'api-base'?: string; 'auth-base'?: string },
  io: CliIO,
): Promise<Routine['account']> {
  if (values.practice) return { endpoint: 'practice' }
  const endpoints =
    values['api-base'] && values['auth-base']
      ? { apiBase: values['api-base'], authBase: values['auth-base'] }
      : undefined
  const account = commandAccountService(io.stderr)
  try {
    return accountRefOf(await account.status(), endpoints)
  } catch (error) {
    if (error instanceof TypeError) throw usageError(error.message)
    throw error
  } finally {
    await account.close()
  }
}

async function exportRoutine(store: RoutineStore, args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { force: { type: 'boolean' } })
  if (positionals.length !== 2)
    throw usageError('Name the routine and the file to write it to: splitsend routine export "<name>" <file>.')
  const file = resolve(positionals[1]!)
  await store.exportTo(positionals[0]!, file, { overwrite: values.force ?? false })
  io.stdout(`Wrote the routine “${positionals[0]}” to ${file}. Its run history stays on this computer.\n`)
  return EXIT.ok
}

async function importRoutine(store: RoutineStore, args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandLine(args, { name: { type: 'string' }, replace: { type: 'boolean' } })
  const file = onePositional(positionals, 'Name the routine file to import.', 'Name exactly one routine file.')
  const routine = await store.importFrom(resolve(file), {
    replace: values.replace ?? false,
    ...(values.name !== undefined ? { name: values.name } : {}),
  })
  io.stdout(`Imported the routine “${routine.name}”.\n${describeRoutine(routine)}`)
  if (routine.source) io.stdout(`Check that the folder ${routine.source.folder} exists on this computer.\n`)
  return EXIT.ok
}

// ---- schedule -------------------------------------------------------------------------------

async function scheduleRoutine(
  store: RoutineStore,
  schedulerFor: RoutineCommandDeps['scheduler'],
  args: string[],
  io: CliIO,
): Promise<number> {
  const { values, positionals } = parseCommandLine(args, {
    monthly: { type: 'string' },
    weekly: { type: 'string' },
    daily: { type: 'boolean' },
    at: { type: 'string' },
    print: { type: 'boolean' },
  })
  const routine = await store.read(routineName(positionals, 'schedule'))
  const schedule = scheduleFrom(values)
  const target = scheduleTarget(routine.name, schedule)
  const scheduler = await schedulerFor()
  if (values.print) {
    io.stdout(scheduler.print(target))
    return EXIT.ok
  }
  await scheduler.register(target)
  await store.save({ ...routine, schedule }, { replace: true })
  io.stdout(
    `The routine “${routine.name}” now runs ${scheduleWords(schedule)} (this computer's clock; registered with ${scheduler.system}). The computer must be on and you signed in to it then.\n`,
  )
  return EXIT.ok
}

function scheduleFrom(values: { monthly?: string; weekly?: string; daily?: boolean; at?: string }): Schedule {
  const given = [values.monthly !== undefined, values.weekly !== undefined, values.daily === true].filter(Boolean)
  if (given.length !== 1)
    throw usageError('Say how often with exactly one of --monthly <day>, --weekly <weekday> or --daily.')
  if (values.at === undefined) throw usageError('Say at what time with --at <HH:MM>, e.g. --at 07:30.')
  const candidate =
    values.monthly !== undefined
      ? {
          every: 'month',
          day: /^\d+$/.test(values.monthly.trim()) ? Number(values.monthly) : values.monthly,
          at: values.at,
        }
      : values.weekly !== undefined
        ? { every: 'week', weekday: values.weekly.trim().toLowerCase(), at: values.at }
        : { every: 'day', at: values.at }
  const parsed = ScheduleSchema.safeParse(candidate)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  const field = String(issue.path[0])
  const option = field === 'day' ? '--monthly' : field === 'weekday' ? '--weekly' : '--at'
  const words =
    field === 'day'
      ? 'a day of the month from 1 to 28 (not every month has a 29th, 30th or 31st)'
      : field === 'weekday'
        ? 'a weekday: monday, tuesday, wednesday, thursday, friday, saturday or sunday'
        : 'a time of day written HH:MM, e.g. 07:30'
  throw usageError(`${option} should be ${words}.`)
}

/** The run to register: `<node> bin/splitsend.js routine run <name>`, as the app's web bridge registers it. */
function scheduleTarget(routineName: string, schedule: Schedule): ScheduleTarget {
  const command = scheduleCommandFor({ node: process.execPath, platform: process.platform, env: process.env })
  if ('unavailable' in command)
    throw new UserFacingError(
      'routine_cli_missing',
      'Splitsend could not find its bin/splitsend.js to register with the scheduler.',
      'Run the command from the Splitsend folder where it was installed.',
    )
  return { ...command, routineName, schedule }
}

async function unscheduleRoutine(
  store: RoutineStore,
  schedulerFor: RoutineCommandDeps['scheduler'],
  args: string[],
  io: CliIO,
): Promise<number> {
  const { positionals } = parseCommandLine(args, {})
  const routine = await store.read(routineName(positionals, 'unschedule'))
  const scheduler = await schedulerFor()
  await scheduler.unregister(routine.name)
  const { schedule: _schedule, ...rest } = routine
  await store.save(rest, { replace: true })
  io.stdout(`The routine “${routine.name}” no longer runs on a schedule.\n`)
  return EXIT.ok
}
