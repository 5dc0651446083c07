/**
 * The routines over the contract (see shared/channels/routines.ts): the app's side of issue 12.
 * The command (electron/cli) and the unattended run engine (run*.ts) use the same store, drift
 * and safety modules; this file only serves what the app asks.
 */
import { existsSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import type { routineRequests } from '../../../shared/channels/routines'
import type { RunView } from '../../../shared/channels/routines'
import { UserFacingError, toErrorData } from '../../../shared/errors'
import type { RunRecord } from '../../../shared/routines/history'
import type { Routine, Schedule } from '../../../shared/routines/schema'
import { GROUP_KEYS, type GroupKey } from '../../../shared/ids'
import type { AccountService } from '../account/index'
import type { Handlers } from '../contract-dispatch'
import type { FileRegistry } from '../files/file-registry'
import { preparedJobDir } from '../jobs/locations'
import { campaignDetails } from '../send/index'
import { readPreparedSummary } from '../upload/prepared-job'
import { routineFromRun, runFromJob } from './from-job'
import { accountRefOf } from './run-account'
import { routineDrift } from './run-prepare'
import { hashFileInWorker } from './hash-thread'
import { findNextFile } from './next-file'
import { sendRoutineGroups } from './send-groups'
import { checkSafety } from './safety'
import { schedulerFor, type Scheduler, type ScheduleTarget } from './schedule/index'
import { commandLineWords, runArguments, scheduleWords, type ScheduleCommand } from './schedule/task'
import { RoutineStore } from './store'

type RoutineRequestName = keyof typeof routineRequests

/**
 * How this host registers a scheduled run: the command a scheduled run executes, or why a
 * schedule can't be set from here (in plain words).
 */
export type RoutineScheduling =
  { command: ScheduleCommand; scheduler?: () => Promise<Scheduler> } | { unavailable: string }

export interface RoutineHandlerDeps {
  dataDir: string
  jobsDir: string
  account: Pick<AccountService, 'status' | 'client'>
  files: Pick<FileRegistry, 'get' | 'attachPath'>
  scheduling: RoutineScheduling
  now?: () => Date
}

/** How long a history write waits for a run of the command to let go of the routine. */
const RUN_LOCK_WAIT_MS = 2_000
/** How long a send waits while another window or the command holds the job (as the Send step's). */
const SEND_LOCK_WAIT_MS = 20_000

export function createRoutineHandlers(deps: RoutineHandlerDeps): Pick<Handlers, RoutineRequestName> {
  const now = deps.now ?? (() => new Date())
  const store = new RoutineStore({ dataDir: deps.dataDir, now })
  const jobDirOf = (jobId: string): string => preparedJobDir(deps.jobsDir, jobId)
  const view = ({ jobDir, source, ...run }: RunRecord): RunView => {
    const jobId = jobDir && resolve(dirname(jobDir)) === resolve(deps.jobsDir) ? basename(jobDir) : undefined
    return {
      ...run,
      ...(jobId ? { jobId, jobFolder: `jobs/${jobId}` } : jobDir ? { jobFolder: jobDir } : {}),
      ...(source ? { source: { fileName: source.fileName } } : {}),
    }
  }

  /** Adds the job to the routine's history, or brings its record up to date. */
  const recordRun = async (name: string, jobId: string): Promise<RunView> => {
    const jobDir = jobDirOf(jobId)
    const run = await runFromJob(jobDir)
    const lock = await store.lockRun(name, { waitMs: RUN_LOCK_WAIT_MS })
    try {
      const earlier = (await store.history(name)).find((r) => r.jobDir === jobDir)
      const sha256 =
        earlier?.source?.sha256 ?? (existsSync(run.source.path) ? await hashFileInWorker(run.source.path) : undefined)
      const facts = {
        jobDir,
        counts: run.counts,
        ...(sha256 ? { source: { ...run.source, sha256 } } : {}),
      }
      const record = earlier ?? (await store.beginRun(name, facts))
      if (!run.outcome) return view(record)
      return view(await store.finishRun(name, record.runId, { ...facts, outcome: run.outcome, sent: run.sent }))
    } finally {
      lock.release()
    }
  }

  const scheduleView = async (routine: Routine) => {
    const words = routine.schedule ? scheduleWords(routine.schedule) : undefined
    if ('unavailable' in deps.scheduling)
      return { ...(words ? { words } : {}), unavailable: deps.scheduling.unavailable }
    if (!routine.schedule) return {}
    const scheduler = await (deps.scheduling.scheduler ?? schedulerFor)()
    const target = targetFor(deps.scheduling, routine.name, routine.schedule)
    const status = await scheduler.status(target)
    return {
      words,
      schedule: routine.schedule,
      status: status.detail,
      registered: status.registered,
      command: commandLineWords([target.program, ...runArguments(target)]),
    }
  }

  return {
    'routines.list': async () => {
      const entries = await store.list()
      return Promise.all(
        entries.map(async (entry) => {
          const { routine } = entry
          const nextFile = routine?.source ? await nextFileOf(routine, await store.history(routine.name)) : undefined
          return {
            key: entry.key,
            ...(routine ? { routine } : {}),
            ...(entry.error ? { problem: entry.error } : {}),
            ...(entry.lastRun ? { lastRun: view(entry.lastRun) } : {}),
            ...(nextFile ? { nextFile } : {}),
            ...(routine?.schedule ? { scheduleWords: scheduleWords(routine.schedule) } : {}),
          }
        }),
      )
    },

    'routines.show': async ({ name }) => {
      const routine = await store.read(name)
      const runs = (await store.history(name)).map(view).reverse()
      return { routine, runs, schedule: await scheduleView(routine) }
    },

    'routines.save': async ({ name, jobId, replace }) => {
      const jobDir = jobDirOf(jobId)
      const previous = replace ? await store.read(name) : undefined
      const routine = await routineFromRun(jobDir, {
        name,
        account: appAccountRef(await deps.account.status(), previous),
        now: now(),
        ...(previous ? { previous } : {}),
      })
      const saved = await store.save(routine, { replace })
      await recordRun(saved.name, jobId)
      return saved
    },

    'routines.check': async ({ name, fileId }) => {
      const routine = await store.read(name)
      checkAccount(routine, await deps.account.status())
      const { inspection, drift, options } = await routineDrift(routine, deps.files.get(fileId).path)
      const { format: _format, ...read } = routine.reading
      return {
        read: inspection.sheet === read.sheet ? read : { ...read, sheet: inspection.sheet },
        inspection,
        differences: drift.differences.map(({ kind, severity, message }) => ({ kind, severity, message })),
        options,
      }
    },

    'routines.safety': async ({ name, jobId }) => {
      const routine = await store.read(name)
      const jobDir = jobDirOf(jobId)
      const summary = readPreparedSummary(jobDir)
      // This run's own record (when it was recorded already) is no earlier run to compare with.
      const runs = (await store.history(name)).filter((r) => r.jobDir !== jobDir)
      const sha256 = existsSync(summary.source.path) ? await hashFileInWorker(summary.source.path) : ''
      return checkSafety({ routine, summary, drift: [], sha256, runs }).map(({ kind, message }) => ({ kind, message }))
    },

    'routines.recordRun': ({ name, jobId }) => recordRun(name, jobId),

    'routines.openNextFile': async ({ name }) => {
      const routine = await store.read(name)
      if (!routine.source)
        throw new UserFacingError(
          'routine_has_no_folder',
          `The routine “${routine.name}” has no folder to take next month’s file from.`,
          'Drop or pick the file instead.',
        )
      const next = await findNextFile(routine.source, await store.history(name), hashFileInWorker)
      if (next.kind === 'none') throw new UserFacingError('no_next_file', next.message)
      return deps.files.attachPath(next.path)
    },

    'routines.update': async ({ name, source, safety, testAddresses }) => {
      const { source: oldSource, ...routine } = await store.read(name)
      const newSource = source === undefined ? oldSource : (source ?? undefined)
      return store.save(
        {
          ...routine,
          ...(newSource ? { source: newSource } : {}),
          ...(safety ? { safety } : {}),
          sending: withTestAddresses(routine, testAddresses ?? {}),
        },
        { replace: true },
      )
    },

    'routines.delete': async ({ name }) => {
      const routine = await store.read(name)
      if (routine.schedule) {
        if ('unavailable' in deps.scheduling)
          throw new UserFacingError(
            'routine_scheduled',
            `The routine “${routine.name}” is scheduled, and its schedule can’t be removed from here.`,
            `Remove the schedule first: npx splitsend routine unschedule "${routine.name}".`,
          )
        await (await (deps.scheduling.scheduler ?? schedulerFor)()).unregister(routine.name)
      }
      await store.delete(name)
      return null
    },

    'routines.send': async ({ name, jobId, group, campaignId, when }) => {
      const routine = await store.read(name)
      checkAccount(routine, await deps.account.status())
      const client = await deps.account.client()
      const jobDir = jobDirOf(jobId)
      const sending = routine.sending[group]
      const [sent] = await sendRoutineGroups(
        jobDir,
        client,
        [
          {
            group,
            groupName: readPreparedSummary(jobDir).groupNames?.[group] ?? routine.groupNames[group],
            campaign: { id: campaignId, name: (await campaignDetails(client, campaignId)).name },
            listName: routine.lists[group].name,
            when,
            testAddresses: sending.send ? sending.testAddresses : [],
          },
        ],
        { lockWaitMs: SEND_LOCK_WAIT_MS },
      )
      return {
        ...sent!.result,
        campaign: sent!.campaign,
        testSentTo: sent!.testSentTo,
        ...(sent!.copyOf ? { copyOf: sent!.copyOf } : {}),
      }
    },

    'routines.setSchedule': async ({ name, schedule }) => {
      if ('unavailable' in deps.scheduling)
        throw new UserFacingError('schedule_not_available_here', unavailableFor(deps.scheduling, name))
      const routine = await store.read(name)
      const scheduler = await (deps.scheduling.scheduler ?? schedulerFor)()
      if (schedule) await scheduler.register(targetFor(deps.scheduling, routine.name, schedule))
      else await scheduler.unregister(routine.name)
      const { schedule: _old, ...rest } = routine
      const saved = await store.save(schedule ? { ...rest, schedule } : rest, { replace: true })
      return scheduleView(saved)
    },
  }
}

/** Why a schedule can't be set here, with the routine's own name in the command it suggests. */
function unavailableFor(scheduling: { unavailable: string }, routineName: string): string {
  return scheduling.unavailable.replace('<name>', `"${routineName}"`)
}

function targetFor(
  scheduling: Extract<RoutineScheduling, { command: unknown }>,
  routineName: string,
  schedule: Schedule,
): ScheduleTarget {
  return { ...scheduling.command, routineName, schedule }
}

async function nextFileOf(routine: Routine, runs: RunRecord[]) {
  try {
    const next = await findNextFile(routine.source!, runs, hashFileInWorker)
    return next.kind === 'found'
      ? { kind: 'found' as const, fileName: next.fileName, modifiedAt: next.modifiedAt }
      : { kind: 'none' as const, message: next.message }
  } catch (error) {
    return { kind: 'none' as const, message: toErrorData(error).message }
  }
}

/** A routine runs with the account it was made with: refused, with the reason, when another one is connected. */
function checkAccount(routine: Routine, status: Awaited<ReturnType<AccountService['status']>>): void {
  const wanted = routine.account
  const same =
    status.connected &&
    !status.needsReconnect &&
    status.endpoint === wanted.endpoint &&
    (wanted.endpoint !== 'real' || !wanted.email || !status.email || wanted.email === status.email) &&
    (wanted.endpoint !== 'custom' || wanted.apiBase === status.apiBase)
  if (same) return
  throw new UserFacingError(
    'routine_account_not_connected',
    `The routine “${routine.name}” runs with ${accountWords(wanted)}, which isn’t the account connected now.`,
    'Connect that account on the Connect step, then run the routine again.',
  )
}

function accountWords(account: Routine['account']): string {
  if (account.endpoint === 'practice') return 'the practice account'
  if (account.endpoint === 'custom') return `the Constant Contact at ${account.apiBase}`
  const who = account.accountName ?? account.email
  return who ? `the Constant Contact account “${who}”` : 'a real Constant Contact account'
}

/**
 * The account a routine made in the app records: the connected one (run-account.ts), in the app's
 * words when none is connected or it is a developer address (updating keeps such a routine's own).
 */
function appAccountRef(
  status: Awaited<ReturnType<AccountService['status']>>,
  previous: Routine | undefined,
): Routine['account'] {
  if (!status.connected)
    throw new UserFacingError(
      'not_connected',
      'Connect your Constant Contact account first: a routine runs with the account it was made with.',
    )
  if (status.endpoint !== 'custom') return accountRefOf(status)
  if (previous?.account.endpoint === 'custom' && previous.account.apiBase === status.apiBase) return previous.account
  throw new UserFacingError(
    'routine_account_custom',
    'A routine made in the app uses the practice account or a real Constant Contact account, not a developer address.',
    'Save it with the command instead: npx splitsend routine save <name> --from-job <job folder>.',
  )
}

/** The routine's sending with new test addresses for the groups given (only a group it sends has a test). */
function withTestAddresses(routine: Routine, addresses: Partial<Record<GroupKey, string[]>>): Routine['sending'] {
  const sending = { ...routine.sending }
  for (const group of GROUP_KEYS) {
    const given = addresses[group]
    if (given === undefined) continue
    const current = sending[group]
    if (!current.send)
      throw new UserFacingError(
        'routine_group_not_sent',
        `The routine “${routine.name}” sends nothing to “${routine.groupNames[group]}”, so there is no test to send.`,
        'Choose its campaign on the Send step of a run and update the routine from there first.',
      )
    sending[group] = { ...current, testAddresses: given }
  }
  return sending
}
