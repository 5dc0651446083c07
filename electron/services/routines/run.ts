/**
 * A routine's unattended run (issue 12): next month's file through the routine's split, upload and
 * send in one step, stopping — with the reason, before anything is uploaded — when the data looks
 * wrong. `splitsend routine run` is this function with a printer; the app can call it too.
 *
 *   runRoutine({ name, file?, again?, dryRun? }, deps)  → RoutineRunResult { outcome, exitCode, jobDir?, record? }
 *
 * The steps, each a normal job step on a normal job folder (`upload`/`send` on it resume a run
 * that was interrupted):
 *   1. the routine's run lock (one run per routine at a time: routine_busy otherwise);
 *   2. the file: `file`, or the newest file in the routine's folder matching its pattern that hasn't
 *      run successfully; a file that ran successfully is refused unless `again` (rerun protection);
 *   3. the history entry (running), then drift + the full pass into <jobsDir>/<new job> (run-prepare.ts);
 *   4. the safety stops (drift's stops, problem share, empty group, group size change, too few rows,
 *      same content) → outcome stopped_by_safety_check, exit 4, nothing uploaded;
 *   5. the routine's account (deps.connect), its lists (by ID; created by name when gone and the
 *      routine allows it) and campaigns, checked: the plan (`dryRun` ends here, nothing changed);
 *   6. upload (the upload engine), then each group's campaign (the send engine: preflight, the test
 *      addresses, the send — "now" or the routine's time of day, the next time it comes);
 *   7. the history entry finished: job folder, counts, outcome, what was sent.
 *
 * The routine's list policy (add / move / match) is the Upload step's: with move or match the lists
 * are read and compared with the file before the upload, and a run that would take more of a list's
 * members off it than the routine's group-change limit allows stops (exit 4) like the other safety
 * stops. A campaign Constant Contact won't send to the list as it is goes as a dated copy.
 */
import { basename, join, resolve } from 'node:path'
import { existsSync } from 'node:fs'
import { toErrorData, UserFacingError } from '../../../shared/errors'
import { GROUP_KEYS, type GroupKey } from '../../../shared/ids'
import type { FinishedOutcome, RunRecord } from '../../../shared/routines/history'
import { successfulRunOf } from '../../../shared/routines/history'
import type { Routine } from '../../../shared/routines/schema'
import { nextTimeOfDay } from '../../../shared/routines/send-time'
import type { AccountInfo, UploadChoices } from '../../../shared/upload/schemas'
import type { CcClient } from '../constant-contact/client'
import { newJobId } from '../jobs/locations'
import { jobReports } from '../report/index'
import { campaignDetails } from '../send/index'
import type { ImportLimits } from '../upload/chunks'
import { planUpload, type UploadPlan, type UploadProgress, type UploadResult } from '../upload/index'
import { compareLists, planHasMembers, startUploadStep, uploadListsOf } from '../membership/index'
import { leavingWith, type MembershipComparison, type MembershipPolicy } from '../../../shared/membership/schemas'
import { findNextFile, hashFile } from './next-file'
import { prepareForRoutine, runCountsOf, safetyStopsFor } from './run-prepare'
import { sendRoutineGroups } from './send-groups'
import type { RoutineStore, RunStart } from './store'

export interface RoutineRunRequest {
  name: string
  /** This file instead of the routine folder's newest. */
  file?: string
  /** Run `file` even though it already ran successfully. */
  again?: boolean
  /** Prepare, check and plan; change nothing in the account and write no history. */
  dryRun?: boolean
}

export interface RoutineRunDeps {
  store: RoutineStore
  /** Where the run's job folder is made (`<dataDir>/jobs`). */
  jobsDir: string
  /** The connected client of the routine's account; refuses with the reason (see run-account.ts). */
  connect: (routine: Routine) => Promise<{ client: CcClient; info: AccountInfo }>
  onEvent?: (event: RoutineRunEvent) => void
  /** Aborting cancels the upload (what was sent is kept; `splitsend upload` on the job folder continues it). */
  signal?: AbortSignal
  now?: () => Date
  /** Smaller import sizes (tests). */
  uploadLimits?: ImportLimits
}

/** A group's send as planned: the routine's campaign, to the group's list, now or at a time. */
export interface PlannedSend {
  group: GroupKey
  groupName: string
  campaign: { id: string; name: string; status: string; timesSent: number }
  /** Constant Contact won't re-address this campaign: if its lists must change, a dated copy is sent. */
  mayCopy: boolean
  listName: string
  /** "now", or the UTC date-time. */
  when: 'now' | string
  testAddresses: string[]
}

/** The month's file a run uses, and the files in its folder it passed over because they were run before. */
interface ChosenFile {
  path: string
  fileName: string
  sha256: string
  passedOver: Array<{ fileName: string; runStartedAt: string }>
}

export type RoutineRunEvent =
  | ({ type: 'file' } & ChosenFile)
  | { type: 'prepared'; jobDir: string; counts: NonNullable<RunRecord['counts']>; notes: string[] }
  | {
      type: 'plan'
      jobDir: string
      upload: UploadPlan
      /** The routine's choice for contacts already on the lists. */
      policy: MembershipPolicy
      /** The lists compared with the file (move / match with lists that have members), else null. */
      lists: MembershipComparison | null
      sends: PlannedSend[]
      dryRun: boolean
    }
  | { type: 'progress'; phase: 'uploading'; upload: UploadProgress }
  | { type: 'progress'; phase: 'sending'; message: string }
  | { type: 'result'; result: RoutineRunResult }

export interface RoutineRunResult {
  routine: string
  groupNames: Routine['groupNames']
  /** For a dry run: what a real run would have ended as so far (done: it would go ahead). */
  outcome: FinishedOutcome
  exitCode: 0 | 1 | 3 | 4
  dryRun: boolean
  jobDir?: string
  /** The history entry (absent for a dry run). */
  record?: RunRecord
  sent?: RunRecord['sent']
  upload?: Pick<UploadResult, 'outcome' | 'contactsAdded' | 'contactsNotAdded' | 'contactsNotSent'> & {
    report?: string
  }
}

type Facts = Partial<Pick<RunRecord, 'jobDir' | 'source' | 'counts' | 'sent'>>

/** Thrown inside a run to end it with an outcome other than "failed". */
class RunEnd extends Error {
  constructor(readonly outcome: FinishedOutcome) {
    super(outcome.kind)
  }
}

export async function runRoutine(request: RoutineRunRequest, deps: RoutineRunDeps): Promise<RoutineRunResult> {
  const { store } = deps
  const now = deps.now ?? (() => new Date())
  const emit = deps.onEvent ?? (() => {})
  const routine = await store.read(request.name)
  const lock = await store.lockRun(routine.name)
  try {
    const runs = await store.history(routine.name)
    const dryRun = request.dryRun ?? false
    // The history entry is begun as soon as the file and job folder are known (so an interrupted run
    // still names them), or at the end for a run that failed before that; a dry run writes none.
    let record: RunRecord | undefined
    const begin = async (start: RunStart): Promise<void> => {
      if (!dryRun && !record) record = await store.beginRun(routine.name, start)
    }
    const facts: Facts = {}
    let upload: RoutineRunResult['upload']
    let outcome: FinishedOutcome
    try {
      upload = await steps(routine, runs, request, deps, facts, begin, now, emit)
      outcome =
        upload && upload.contactsNotAdded > 0
          ? { kind: 'done_with_contacts_not_added', contactsNotAdded: upload.contactsNotAdded }
          : { kind: 'done' }
    } catch (error) {
      outcome = error instanceof RunEnd ? error.outcome : { kind: 'failed', message: failureWords(error) }
    }
    await begin({})
    const finished = record ? await store.finishRun(routine.name, record.runId, { ...facts, outcome }) : undefined
    const result: RoutineRunResult = {
      routine: routine.name,
      groupNames: routine.groupNames,
      outcome,
      exitCode: finished?.exitCode ?? EXIT_FOR[outcome.kind],
      dryRun,
      ...(facts.jobDir ? { jobDir: facts.jobDir } : {}),
      ...(finished ? { record: finished } : {}),
      ...(facts.sent ? { sent: facts.sent } : {}),
      ...(upload ? { upload } : {}),
    }
    emit({ type: 'result', result })
    return result
  } finally {
    lock.release()
  }
}

const EXIT_FOR = { done: 0, done_with_contacts_not_added: 3, stopped_by_safety_check: 4, failed: 1 } as const

/** A run's problem in the person's words (a plain Error's message would be hidden as an internal one). */
function problem(code: string, message: string): UserFacingError {
  return new UserFacingError(code, message)
}

function failureWords(error: unknown): string {
  const data = toErrorData(error)
  return data.hint ? `${data.message} ${data.hint}` : data.message
}

/** Steps 2–6; `facts` collects what the history keeps as it is learned. Returns the upload's result (none for a dry run). */
async function steps(
  routine: Routine,
  runs: readonly RunRecord[],
  request: RoutineRunRequest,
  deps: RoutineRunDeps,
  facts: Facts,
  begin: (start: RunStart) => Promise<void>,
  now: () => Date,
  emit: (event: RoutineRunEvent) => void,
): Promise<RoutineRunResult['upload']> {
  const file = await chooseFile(routine, runs, request)
  facts.source = { fileName: file.fileName, path: file.path, sha256: file.sha256 }
  emit({ type: 'file', ...file })
  const earlier = successfulRunOf(runs, file.sha256)
  if (earlier && !request.again) {
    // Only a file named with --file gets here: the folder's newest is chosen among files not run yet.
    await begin({ source: facts.source })
    throw new RunEnd({
      kind: 'stopped_by_safety_check',
      reasons: [
        `This file was already run successfully on ${earlier.startedAt.slice(0, 10)} (as “${earlier.source?.fileName}”${earlier.jobDir ? `, job folder ${earlier.jobDir}` : ''}): its contacts were already uploaded and mailed. To run it again on purpose, add --again.`,
      ],
    })
  }

  const jobDir = join(resolve(deps.jobsDir), newJobId(file.fileName, now()))
  await begin({ source: facts.source, jobDir })
  const prepared = await prepareForRoutine(routine, file.path, jobDir)
  if (prepared.summary) {
    facts.jobDir = jobDir
    facts.counts = runCountsOf(prepared.summary)
    const notes = prepared.drift.differences.filter((d) => d.severity === 'note').map((d) => d.message)
    emit({ type: 'prepared', jobDir, counts: facts.counts, notes: [...notes, ...prepared.summary.warnings] })
  }
  const stops = safetyStopsFor(routine, prepared, { sha256: file.sha256, runs, again: request.again ?? false })
  if (stops.length) throw new RunEnd({ kind: 'stopped_by_safety_check', reasons: stops.map((s) => s.message) })

  const { client, info } = await deps.connect(routine)
  const plan = await planRoutineUpload(routine, jobDir, client, deps.uploadLimits)
  const lists = plan.blockers.length ? null : await compareRoutineLists(routine, jobDir, client, plan)
  const sends = await planSends(routine, plan, client, now())
  emit({
    type: 'plan',
    jobDir,
    upload: plan,
    policy: routine.lists.policy,
    lists,
    sends,
    dryRun: request.dryRun ?? false,
  })
  if (plan.blockers.length) throw problem('routine_upload_blocked', `Nothing was uploaded: ${plan.blockers.join(' ')}`)
  const removalStops = tooManyLeaving(routine, plan, lists)
  if (removalStops.length) throw new RunEnd({ kind: 'stopped_by_safety_check', reasons: removalStops })
  if (request.dryRun) return undefined

  const uploaded = await uploadJob(jobDir, client, { plan, lists, policy: routine.lists.policy }, info, deps, emit)
  const upload = {
    outcome: uploaded.outcome,
    contactsAdded: uploaded.contactsAdded,
    contactsNotAdded: uploaded.contactsNotAdded,
    contactsNotSent: uploaded.contactsNotSent,
    ...(uploaded.report ? { report: uploaded.report.htmlPath } : {}),
  }
  if (uploaded.outcome === 'cancelled' || uploaded.outcome === 'stopped') {
    const why = uploaded.error ? ` ${uploaded.error.message}` : ''
    throw problem(
      'routine_upload_unfinished',
      `The upload ${uploaded.outcome === 'cancelled' ? 'was cancelled' : 'stopped'} before it finished; nothing was sent.${why} ` +
        `To continue this run, use 'splitsend upload ${jobDir}' with the routine's lists, then 'splitsend send'.`,
    )
  }
  await sendGroups(jobDir, client, sends, facts, emit)
  try {
    upload.report = (await jobReports.current(jobDir)).htmlPath
  } catch {
    // The upload's report stays; the sends are in the send journal and the history.
  }
  return upload
}

/**
 * With move or match, the lists that already have members are read (a contact export each) and
 * compared with the file, as the Upload step's plan does; add changes nobody's lists, so nothing is read.
 */
async function compareRoutineLists(
  routine: Routine,
  jobDir: string,
  client: CcClient,
  plan: UploadPlan,
): Promise<MembershipComparison | null> {
  if (routine.lists.policy === 'add' || !planHasMembers(plan)) return null
  return (await compareLists(jobDir, client, uploadListsOf(plan))).comparison
}

/**
 * A safety stop for the removals: a list that would lose more of its members than the routine's
 * group-change limit allows (a file cut short, or the wrong file, would otherwise empty a list
 * unattended).
 */
function tooManyLeaving(routine: Routine, plan: UploadPlan, lists: MembershipComparison | null): string[] {
  if (!lists) return []
  const limit = routine.safety.maxGroupChangePercent
  return lists.lists.flatMap((list) => {
    const leaving = leavingWith(list, routine.lists.policy)
    if (list.members === 0 || (leaving / list.members) * 100 <= limit) return []
    const name = plan.groups.find((g) => g.group === list.group)?.list?.name ?? routine.lists[list.group].name
    return [
      `${leaving.toLocaleString('en-US')} of the ${list.members.toLocaleString('en-US')} contacts on the list “${name}” would be taken off it (more than the routine's limit of ${limit} %). Nothing was uploaded or taken off; check the file, or raise the limit in the routine if this is expected.`,
    ]
  })
}

// ---- the file ----------------------------------------------------------------------------------

async function chooseFile(
  routine: Routine,
  runs: readonly RunRecord[],
  request: RoutineRunRequest,
): Promise<ChosenFile> {
  if (request.file !== undefined) {
    const path = resolve(request.file)
    if (!existsSync(path)) throw problem('routine_file_missing', `The file “${path}” can't be found.`)
    const sha256 = await hashFile(path)
    return { path, fileName: basename(path), sha256, passedOver: [] }
  }
  if (!routine.source)
    throw problem(
      'routine_no_folder',
      'The routine has no folder to take its files from. Name the file to run with --file.',
    )
  const next = await findNextFile(routine.source, runs)
  if (next.kind === 'none') throw problem('routine_no_new_file', next.message)
  return { path: next.path, fileName: next.fileName, sha256: next.sha256, passedOver: next.alreadyRun }
}

// ---- the plan ----------------------------------------------------------------------------------

/**
 * The routine's lists by ID; a list that is gone is created by its name when the routine allows it
 * (found by that name first, so never twice), otherwise the plan's blocker says it is gone.
 */
async function planRoutineUpload(
  routine: Routine,
  jobDir: string,
  client: CcClient,
  limits?: ImportLimits,
): Promise<UploadPlan> {
  const choices = (byName: ReadonlySet<GroupKey>, createLists: boolean): UploadChoices => ({
    lists: {
      '0': listChoice(routine, '0', byName),
      '1': listChoice(routine, '1', byName),
    },
    createLists,
    // The routine's custom fields were agreed to when it was saved; an account that lost one gets it back.
    createCustomFields: true,
  })
  const options = limits ? { limits } : {}
  const plan = await planUpload(jobDir, client, choices(new Set(), false), options)
  const gone = new Set(
    GROUP_KEYS.filter((g) => routine.lists[g].createIfMissing && !plan.groups.find((p) => p.group === g)?.list?.exists),
  )
  if (gone.size === 0) return plan
  return planUpload(jobDir, client, choices(gone, true), options)
}

function listChoice(
  routine: Routine,
  group: GroupKey,
  byName: ReadonlySet<GroupKey>,
): UploadChoices['lists'][GroupKey] {
  const list = routine.lists[group]
  return byName.has(group) ? { kind: 'name', name: list.name } : { kind: 'existing', listId: list.listId }
}

async function planSends(routine: Routine, plan: UploadPlan, client: CcClient, now: Date): Promise<PlannedSend[]> {
  const sends: PlannedSend[] = []
  for (const group of GROUP_KEYS) {
    const sending = routine.sending[group]
    if (!sending.send) continue
    let details
    try {
      details = await campaignDetails(client, sending.campaign.id)
    } catch (error) {
      const data = toErrorData(error)
      throw problem(
        'routine_campaign_unusable',
        `The routine's campaign “${sending.campaign.name}” for ${routine.groupNames[group]} can't be used: ${data.message} Nothing was uploaded; choose another campaign for the routine.`,
      )
    }
    const planned = plan.groups.find((g) => g.group === group)
    sends.push({
      group,
      groupName: routine.groupNames[group],
      campaign: { id: sending.campaign.id, name: details.name, status: details.status, timesSent: details.timesSent },
      mayCopy: !details.canUpdate,
      listName: planned?.list?.name ?? routine.lists[group].name,
      when: sending.sendAt === 'now' ? 'now' : nextTimeOfDay(sending.sendAt, now).toISOString(),
      testAddresses: sending.testAddresses,
    })
  }
  return sends
}

// ---- upload and send ---------------------------------------------------------------------------

async function uploadJob(
  jobDir: string,
  client: CcClient,
  { plan, lists, policy }: { plan: UploadPlan; lists: MembershipComparison | null; policy: MembershipPolicy },
  account: AccountInfo,
  deps: RoutineRunDeps,
  emit: (event: RoutineRunEvent) => void,
): Promise<UploadResult> {
  const run = startUploadStep(
    jobDir,
    client,
    { plan, membership: { policy, ...(lists ? { comparison: lists } : {}) } },
    {
      account,
      onProgress: (upload) => emit({ type: 'progress', phase: 'uploading', upload }),
    },
  )
  const cancel = (): void => run.cancel()
  deps.signal?.addEventListener('abort', cancel, { once: true })
  try {
    if (deps.signal?.aborted) run.cancel()
    return await run.done
  } finally {
    deps.signal?.removeEventListener('abort', cancel)
  }
}

/** The routine's sends (send-groups.ts), each recorded in the history's facts as soon as it is made. */
async function sendGroups(
  jobDir: string,
  client: CcClient,
  sends: readonly PlannedSend[],
  facts: Facts,
  emit: (event: RoutineRunEvent) => void,
): Promise<void> {
  try {
    await sendRoutineGroups(jobDir, client, sends, {
      lockWaitMs: 60_000,
      say: (message) => emit({ type: 'progress', phase: 'sending', message }),
      onSent: (sent) => {
        facts.sent = {
          ...facts.sent,
          [sent.group]: {
            campaignId: sent.campaign.id,
            campaignName: sent.campaign.name,
            ...(sent.copyOf ? { copyOf: sent.copyOf } : {}),
          },
        }
      },
    })
  } catch (error) {
    const data = toErrorData(error)
    if (data.code !== 'routine_send_checks_failed') throw error
    throw problem(
      'routine_send_checks_failed',
      `The contacts were uploaded, but nothing was sent: ${data.message.replace(/^Nothing was sent: /, '')}`,
    )
  }
}
