import { rmdirSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { UserFacingError } from '../../../shared/errors'
import type { CcClient } from '../constant-contact/client'
import {
  ConstantContactError,
  isOutcomeUnknown,
  isRefusal,
  stopErrorData as errorData,
} from '../constant-contact/errors'
import { resendDelay } from '../constant-contact/transport'
import { realTimers, type Timers } from '../constant-contact/timers'
import type { Activity, ImportActivity } from '../constant-contact/types'
import { acquireJobLock, type JobLock } from '../jobs/job-lock'
import { allCustomFields, lookUpList, matchCustomField } from './account-lookups'
import { BodiesHere, type UploadBodies } from './bodies'
import { bodiesInWorker } from './body-thread'
import { crashPoint } from './crash-points'
import {
  MAX_ERROR_LINES_KEPT,
  openUploadJournal,
  type Journal,
  type JournalEntry,
  type NewUploadEntry,
} from './journal'
import type {
  AccountInfo,
  StopError,
  ActivityProgress,
  ActivityRowState,
  ImportCounts,
  UploadPhase,
  UploadProgressView,
  UploadResultView,
} from '../../../shared/upload/schemas'
import {
  applyEntry,
  liveActivities,
  nextStep,
  replayJournal,
  type JournalActivity,
  type JournalState,
} from './journal-state'
import { dispositionOf, reportedProblems, tallyContacts } from './outcomes'
import type { UploadPlan } from './plan'
import { measureActivities } from './measure-thread'
import { DEFAULT_POLL_TIMING, PollSchedule, type PollTiming } from './poll-schedule'
import { FollowLoop, PausedSignal, runHandle, ThrottledProgress, type RunHandle } from './run-support'
import type { AccountSpeed } from './rates'
import { newestActivity, reconcileUnknownSends, type ReconcileDecision } from './reconcile'
import type { RecordRun } from './added-check'
import { exportListNow } from '../membership/export-list'
import { MEMBERSHIP_FILES, membershipDir } from '../membership/files'
import { TimeLeft } from './time-left'
import { GROUP_KEYS, type GroupKey } from '../../../shared/ids'

/** A run's progress as the engine reports it (to the screen, or printed by the command). */
export type UploadProgress = UploadProgressView & { jobDir: string }

/** How a run ended, with the report files written when it did. */
export type UploadResult = UploadResultView & { report?: { csvPath: string; htmlPath: string } }

export interface UploadRunOptions {
  /** Called with a full, JSON-serialisable snapshot whenever something changes (at most ~10 a second). */
  onProgress?: (progress: UploadProgress) => void
  /** Who the upload is for, for the report. */
  account?: AccountInfo
  /** Activities sent but not finished at any one time (default 8). */
  maxInFlight?: number
  /** Where a whole upload's duration is recorded, so the next plans of this account know its speed. */
  speed?: AccountSpeed
  poll?: Partial<PollTiming>
  /** Whose time status checks and resends wait on (tests move their own). */
  timers?: Timers
  /**
   * The benchmark's "before" only: the request bodies are built on this thread, as they were before
   * the body worker. Unset, they are built in the body worker (./body-thread.ts).
   */
  bodiesHere?: boolean
}

/** A run in progress. `done` never rejects: problems end it with outcome `stopped` and an error. */
export type UploadRun = RunHandle<UploadProgress, UploadResult>

/**
 * What to start: a new plan (nothing sent yet), or whatever the job's journal says is left.
 * `resendUnclear`: the person's answer to a send that couldn't be told apart from another import
 * (see reconcile.ts): send it again (imports update contacts they already hold, so at worst an
 * import is done twice, never a contact).
 */
export type UploadStart = { plan: UploadPlan } | { resume: true; resendUnclear?: boolean }

/** A request body as it is sent. */
type BuiltBody = Uint8Array

const TERMINAL_STATES = new Set(['completed', 'failed', 'timed_out', 'cancelled'])
const DEFAULT_MAX_IN_FLIGHT = 8
/** How long after planning the plan's view of the newest activity serves as the run's anchor. */
const PLAN_ANCHOR_FRESH_MS = 10 * 60_000
/** Splits of one planned activity's refused contacts (each a 400 answered): enough to find 50 in 40,000. */
const MAX_SPLITS_PER_ACTIVITY = 600
/** Contacts found refused on their own before the rest of a refused activity is reported refused as it is. */
const MAX_REFUSED_CONTACTS_SEARCHED = 50
/** Sends of one activity within a run whose answers were lost and that Constant Contact then didn't have. */
const MAX_LOST_SENDS = 5

/**
 * Starts (or continues) the upload of a prepared job. Every step is written to the job's journal
 * before the next call to Constant Contact (see journal.ts), so it can be stopped at any moment and
 * continued with `{ resume: true }`: finished activities are never sent again, and a send whose
 * answer was lost is looked up in Constant Contact before anything is resent.
 */
export function startUpload(
  jobDir: string,
  client: CcClient,
  start: UploadStart,
  options: UploadRunOptions = {},
): UploadRun {
  const runner = new UploadRunner(resolve(jobDir), client, options)
  return runHandle(runner, runner.run(start))
}

interface InFlight {
  activity: JournalActivity
  nextPollAt: number
  lastDelay: number
  polling: boolean
}

interface LiveRow {
  state: ActivityRowState
  percentDone: number
  counts?: ImportCounts
  errorLines: number
}

class UploadRunner {
  private journal: Journal<JournalEntry> | undefined
  private lock: JobLock | undefined
  private state: JournalState = replayJournal([])
  private phase: UploadPhase = 'starting'
  private message: string | undefined
  private readonly live = new Map<string, LiveRow>()
  /** The imports to send and those followed (its signal is aborted on pause, cancel and failure). */
  private readonly loop: FollowLoop<JournalActivity, InFlight>
  private bodyAhead: { activity: JournalActivity; body: Promise<BuiltBody> } | undefined
  private readonly schedule: PollSchedule
  private readonly timers: Timers
  /** The group files, read in the body worker (everything that grows with the job). */
  private bodies: UploadBodies | undefined
  private readonly progressOut: ThrottledProgress<UploadProgress>
  private timeLeft: TimeLeft | undefined
  /** This run sends the whole plan from its start (not a resumed upload): its duration is measured. */
  private wholeUpload = false

  constructor(
    private readonly jobDir: string,
    private readonly client: CcClient,
    private readonly options: UploadRunOptions,
  ) {
    this.schedule = new PollSchedule({ ...DEFAULT_POLL_TIMING, ...options.poll })
    this.timers = options.timers ?? realTimers
    this.progressOut = new ThrottledProgress(options.onProgress, () => this.snapshot())
    this.loop = new FollowLoop<JournalActivity, InFlight>(
      { send: (a) => this.send(a), poll: (f) => this.poll(f) },
      options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
      this.timers,
    )
  }

  get isPaused(): boolean {
    return this.loop.paused
  }

  private get cancelled(): boolean {
    return this.loop.cancelled
  }

  pause(): void {
    if (this.loop.paused || this.cancelled || this.phase === 'finished') return
    this.timeLeft?.pause(Date.now())
    this.loop.pause()
    this.setPhase('paused', 'Paused. Activities already sent keep going in Constant Contact.')
  }

  resume(): void {
    if (!this.loop.paused) return
    this.timeLeft?.resume(Date.now())
    this.loop.resume()
    this.setPhase('uploading', undefined)
  }

  cancel(): void {
    if (this.cancelled || this.phase === 'finished') return
    this.loop.cancel()
    this.setPhase('stopping', 'Cancelling: nothing more is sent.')
  }

  async run(start: UploadStart): Promise<UploadResult> {
    try {
      // One uploader per job at a time (another window, or a scheduled command): both would send.
      this.lock = await acquireJobLock(this.jobDir, 'upload')
      this.journal = await openUploadJournal(this.jobDir)
      this.state = replayJournal(this.journal.entries)
      this.wholeUpload = this.adoptPlan(start)
      this.record({ type: 'run_started', ...(this.options.account ? { account: this.options.account } : {}) })
      this.resetLiveRows()
      const plan = this.state.plan!
      this.timeLeft = new TimeLeft(
        plan.estimatedSeconds,
        plan.activities.reduce((n, a) => n + a.count, 0),
        this.processedContacts(),
        Date.now(),
      )
      await this.ensureLists()
      await this.ensureCustomFields()
      await this.measureAgainIfNeeded()
      await this.openFiles()
      await this.reconcile()
      if ('resume' in start && start.resendUnclear) this.resendUnclear()
      await this.upload()
      if (!this.cancelled) await this.checkWhichWereAdded()
      if (!this.cancelled) this.stopIfUnclear()
      if (this.cancelled) this.record({ type: 'cancelled' })
      else {
        this.record({ type: 'completed' })
        this.measureSpeed()
      }
    } catch (error) {
      await this.loop.settle()
      const data = errorData(error)
      if (this.journal && this.state.plan) this.record({ type: 'stopped', error: data })
      this.message = data.message
      return this.finish(data)
    }
    return this.finish()
  }

  // ------------------------------------------------------------------ setup

  /** Takes the plan to run; true when it is new (nothing of it was sent before). */
  private adoptPlan(start: UploadStart): boolean {
    const journalPlan = this.state.plan
    if ('plan' in start) {
      const plan = start.plan
      if (resolve(plan.jobDir) !== this.jobDir) throw new Error('The plan belongs to another job folder')
      if (journalPlan) {
        if (!samePlanChoices(journalPlan, plan)) {
          throw new UserFacingError(
            'upload_already_started',
            'This job was already being uploaded with other lists.',
            `Continue the upload that was started (${describeLists(journalPlan)}), or prepare the file again to upload it somewhere else.`,
          )
        }
        return false // same choices: continue what the journal says
      }
      if (plan.blockers.length)
        throw new UserFacingError(
          'upload_plan_blocked',
          plan.blockers[0]!,
          plan.blockers.slice(1).join(' ') || undefined,
        )
      this.record({ type: 'plan', plan })
      return true
    }
    if (!journalPlan)
      throw new UserFacingError(
        'nothing_to_resume',
        'This job has no upload to continue.',
        'Choose the lists and start the upload.',
      )
    return false
  }

  /** A whole upload, run from start to end: how long it took, for the next plans of this account. */
  private measureSpeed(): void {
    if (!this.wholeUpload || !this.timeLeft || !this.options.speed) return
    const contacts = this.state.plan!.activities.reduce((n, a) => n + a.count, 0)
    this.options.speed.record({ contacts, seconds: this.timeLeft.activeSeconds(Date.now()) })
  }

  private async ensureLists(): Promise<void> {
    const plan = this.state.plan!
    this.setPhase('lists', 'Checking the lists in Constant Contact…')
    for (const group of plan.groups) {
      if (group.skipped || !group.list || this.state.lists[group.group]) continue
      const other = GROUP_KEYS.find((g) => g !== group.group)!
      this.record({ type: 'list_intent', group: group.group, name: group.list.name })
      const choice =
        group.list.exists && group.list.listId
          ? { kind: 'existing' as const, listId: group.list.listId }
          : { kind: 'name' as const, name: group.list.name }
      let found = await lookUpList(this.client, choice)
      let created = false
      if (!found) {
        if (choice.kind === 'existing') {
          throw new UserFacingError(
            'list_gone',
            `The list “${group.list.name}” (for ${group.groupName}) no longer exists in Constant Contact.`,
            'Choose another list and start the upload again.',
          )
        }
        if (!plan.createLists)
          throw new UserFacingError(
            'list_missing',
            `There is no list named “${group.list.name}” in Constant Contact.`,
            'Allow Splitsend to create it, or check the name.',
          )
        // Looked up by exact name just above, so a second list is never made; a list made by
        // someone else in between shows as a conflict, and is then taken.
        const result = await this.client.createListUnlessItExists({ name: group.list.name })
        found = { name: result.list.name, listId: result.list.list_id, exists: true }
        created = result.created
      }
      if (this.state.lists[other]?.listId === found.listId) {
        throw new UserFacingError(
          'same_list',
          `Both groups would go to the same list “${found.name}”.`,
          'Choose a different list for one of the groups.',
        )
      }
      this.record({
        type: 'list_ready',
        group: group.group,
        listId: found.listId!,
        name: found.name,
        created,
        ...(found.memberCount !== undefined ? { memberCountBefore: found.memberCount } : {}),
      })
    }
  }

  private async ensureCustomFields(): Promise<void> {
    const plan = this.state.plan!
    const missing = plan.customFields.filter((f) => !this.state.fieldNames.has(f.column))
    if (missing.length === 0) return
    this.setPhase('custom_fields', 'Checking the custom fields in Constant Contact…')
    const existing = await allCustomFields(this.client)
    for (const field of missing) {
      const match = matchCustomField(field.column, existing)
      if (match?.name) {
        this.record({ type: 'field_ready', column: field.column, name: match.name, created: false })
        continue
      }
      if (!plan.createCustomFields) {
        throw new UserFacingError(
          'custom_field_missing',
          `Constant Contact has no custom field for “${field.label}”.`,
          'Allow Splitsend to create the missing custom fields, or leave that column out in Prepare.',
        )
      }
      this.record({ type: 'field_intent', column: field.column, label: field.label })
      let name: string | undefined
      try {
        name = (await this.client.createCustomField({ label: field.label, type: 'string' })).name
      } catch (error) {
        // A retry after a lost answer meets the field it made: take it.
        if (!(error instanceof ConstantContactError && error.code === 'cc_conflict')) throw error
        name = matchCustomField(field.column, await allCustomFields(this.client))?.name
      }
      if (!name)
        throw new UserFacingError(
          'custom_field_missing',
          `Constant Contact didn’t create the custom field “${field.label}”.`,
          'Create it in Constant Contact, then continue the upload.',
        )
      this.record({ type: 'field_ready', column: field.column, name, created: true })
    }
  }

  /**
   * The plan measured requests with the list IDs and field names known then. If the real ones
   * differ (a list or field created just now) and nothing was sent yet, measure again.
   */
  private async measureAgainIfNeeded(): Promise<void> {
    const plan = this.state.plan!
    const sizing = this.actualSizing()
    if (JSON.stringify(sizing) === JSON.stringify(plan.sizing)) return
    const anythingSent = [...this.state.activities.values()].some((a) => a.phase !== 'pending' || a.attempts.length)
    if (anythingSent) throw new Error('The list IDs or custom field names changed after the upload started')
    // A list ID of the same length as the one measured with changes no size (the contacts' hash
    // doesn't include it), so the activities stay as they are.
    const sameSizes =
      JSON.stringify(sizing.fieldNames) === JSON.stringify(plan.sizing.fieldNames) &&
      GROUP_KEYS.every(
        (g) =>
          Buffer.byteLength(JSON.stringify(sizing.listIds[g] ?? '')) ===
          Buffer.byteLength(JSON.stringify(plan.sizing.listIds[g] ?? '')),
      )
    if (sameSizes) {
      this.record({ type: 'plan', plan: { ...plan, sizing } })
      this.resetLiveRows()
      return
    }
    const activities = await measureActivities(this.jobDir, sizing, plan.limits)
    const groups = plan.groups.map((g) => ({ ...g, activities: activities.filter((a) => a.group === g.group).length }))
    this.record({
      type: 'plan',
      plan: { ...plan, sizing, activities, groups, totals: { ...plan.totals, activities: activities.length } },
    })
    this.resetLiveRows()
  }

  private actualSizing(): UploadPlan['sizing'] {
    const plan = this.state.plan!
    const listIds: Partial<Record<GroupKey, string>> = {}
    for (const g of plan.groups) if (!g.skipped) listIds[g.group] = this.state.lists[g.group]!.listId
    const fieldNames: Record<string, string> = {}
    for (const f of plan.customFields) fieldNames[f.column] = this.state.fieldNames.get(f.column)!
    return { listIds, fieldNames }
  }

  private async openFiles(): Promise<void> {
    const job = { jobDir: this.jobDir, fieldNames: Object.fromEntries(this.state.fieldNames) }
    this.bodies = this.options.bodiesHere ? new BodiesHere(job) : bodiesInWorker(job)
    await this.bodies.open(this.state.plan!.groups.filter((g) => !g.skipped).map((g) => g.group))
  }

  private async reconcile(): Promise<void> {
    const unknown = [...this.state.activities.values()].filter((a) => a.phase === 'unknown')
    if (unknown.length === 0) return
    this.setPhase('checking', 'Checking with Constant Contact what arrived before Splitsend stopped…')
    for (const a of unknown) this.setLive(a, { state: 'checking' })
    for (const decision of await reconcileUnknownSends(this.client, this.state)) {
      this.recordDecision(decision)
      this.setLive(decision.activity, {
        state: decision.found === 'one' ? 'initialized' : decision.found === 'none' ? 'waiting' : 'checking',
      })
    }
  }

  /** What reconciliation found for a send whose answer was lost, written down. */
  private recordDecision(decision: ReconcileDecision): void {
    const a = decision.activity
    if (decision.found === 'several') {
      this.record({
        type: 'unclear',
        activity: a.planned.id,
        attempt: a.attempt,
        candidates: decision.candidates ?? [],
      })
      return
    }
    this.record({
      type: 'reconciled',
      activity: a.planned.id,
      attempt: a.attempt,
      activityId: decision.activityId,
      ...(decision.createdAt ? { createdAt: decision.createdAt } : {}),
      ...(decision.activityId ? { verify: true } : {}),
    })
  }

  /**
   * For each completed import whose counts say some of its contacts weren't added: which ones, so
   * report.csv says row by row what Constant Contact did. Error lines that name them all settle it
   * at no cost; otherwise the group's list is exported once (its active members, a few requests
   * whatever its size) and the body worker reads the export against the imports' records: this
   * thread holds no member or address, only each import's bitmap. Best effort: if Constant Contact
   * can't be asked, report.csv says "check this contact".
   */
  private async checkWhichWereAdded(): Promise<void> {
    // The status checks are over (the loop's signal is a fresh one); a cancel from here on stops this too.
    for (const group of GROUP_KEYS) {
      const open = liveActivities(this.state).filter(
        (a) =>
          a.planned.group === group &&
          dispositionOf(a) === 'completed' &&
          reportedProblems(a) &&
          a.membersChecked?.attempt !== a.last?.attempt,
      )
      const unsettled: JournalActivity[] = []
      for (const a of open) {
        const missing = a.planned.count - Math.min(a.planned.count, a.last!.counts.person_count)
        const named = await this.bodies!.namedInErrors(group, runOf(a), a.last!.errors, missing)
        if (named === null) unsettled.push(a)
        else this.recordNotOnList(a, named)
      }
      if (unsettled.length === 0) continue
      let bitmaps: string[]
      try {
        bitmaps = await this.notActiveMembers(group, unsettled)
      } catch (error) {
        if (this.loop.signal.aborted || isCheckUnavailable(error)) return
        throw error
      }
      unsettled.forEach((a, i) => this.recordNotOnList(a, bitmaps[i]!))
    }
  }

  /**
   * Each import's records that aren't active members of the group's list, from an export of the
   * list made now (its own file: the sync's exports, made before the upload, don't show what it
   * added). The file is removed after: the journal's bitmaps are what the report reads.
   */
  private async notActiveMembers(group: GroupKey, activities: JournalActivity[]): Promise<string[]> {
    const list = this.state.lists[group]!
    membershipDir(this.jobDir)
    const exportPath = join(this.jobDir, MEMBERSHIP_FILES.addedCheck(group))
    this.setPhase('checking', `Asking Constant Contact which contacts it put on the list “${list.name}”…`)
    try {
      await exportListNow(
        this.client,
        { listId: list.listId, fields: ADDED_CHECK_FIELDS, status: 'active' },
        exportPath,
        { signal: this.loop.signal, ...(this.options.poll ? { poll: this.options.poll } : {}) },
      )
      return await this.bodies!.notActiveMembers(group, activities.map(runOf), exportPath, list.name)
    } finally {
      rmSync(exportPath, { force: true })
      removeIfEmpty(dirname(exportPath))
    }
  }

  private recordNotOnList(a: JournalActivity, bitmap: string): void {
    this.record({ type: 'not_on_list', activity: a.planned.id, attempt: a.last!.attempt, bitmap })
  }

  /** The person said to send the unclear sends again. */
  private resendUnclear(): void {
    for (const a of this.state.activities.values()) {
      if (a.phase !== 'unclear') continue
      this.record({
        type: 'reconciled',
        activity: a.planned.id,
        attempt: a.attempt,
        activityId: null,
        decidedBy: 'person',
      })
      this.setLive(a, { state: 'waiting' })
    }
  }

  /** Stops (nothing more to do but ask) when a lost send couldn't be told apart from other imports. */
  private stopIfUnclear(): void {
    const unclear = [...this.state.activities.values()].filter((a) => a.phase === 'unclear')
    if (unclear.length === 0) return
    const which = unclear.map((a) => `import ${a.planned.id} (${a.planned.count.toLocaleString('en-US')} contacts)`)
    throw new UserFacingError(
      'upload_import_unclear',
      `The connection broke while sending ${which.join(' and ')}, and Splitsend can’t tell whether Constant Contact got ${unclear.length === 1 ? 'it' : 'them'}: other imports of the same size arrived at the same time. Nothing was sent again on a guess.`,
      'Check the imports in Constant Contact (Contacts → Activity) if you like, then choose “Send it again” (in the command: --resend-unclear). Sending again is safe: Constant Contact updates the contacts it already has, it never adds a contact twice.',
    )
  }

  // ------------------------------------------------------------------ the run

  private async upload(): Promise<void> {
    if (this.loop.paused) this.setPhase('paused', this.message)
    else this.setPhase('uploading', undefined)
    for (const a of this.state.activities.values()) {
      const step = nextStep(a)
      if (step === 'send') this.loop.queue.push(a)
      else if (step === 'follow')
        this.loop.following.set(a.planned.id, {
          activity: a,
          nextPollAt: this.timers.now(),
          lastDelay: 0,
          polling: false,
        })
    }
    await this.loop.run()
  }

  /** The request body of an activity: the one built ahead for it, or built now. */
  private bodyFor(a: JournalActivity): Promise<BuiltBody> {
    const ahead = this.bodyAhead
    this.bodyAhead = undefined
    return ahead?.activity === a ? ahead.body : this.buildBody(a)
  }

  /** Builds the next queued activity's body while this one is on its way, so sends follow closely. */
  private buildNextBodyAhead(): void {
    const next = this.loop.queue[0]
    if (!next || this.bodyAhead || this.cancelled) return
    const body = this.buildBody(next)
    body.catch(() => undefined) // a failure surfaces when the body is used
    this.bodyAhead = { activity: next, body }
  }

  private buildBody(a: JournalActivity): Promise<BuiltBody> {
    const listId = this.state.lists[a.planned.group]!.listId
    return this.bodies!.body(a.planned, listId, this.state.plan!.limits)
  }

  /** Sends one import: intent on disk → POST → its activity ID on disk. One at a time. */
  private async send(a: JournalActivity): Promise<void> {
    const body = await this.bodyFor(a)
    this.buildNextBodyAhead()
    const attempt = a.phase === 'finished' ? a.attempt + 1 : Math.max(1, a.attempt)
    this.setLive(a, { state: 'sending', percentDone: 0, errorLines: 0 }, true)
    if (!this.state.anchor) {
      const plan = this.state.plan!
      // A plan made moments ago already knows the newest activity; a later run reads them again.
      const planned =
        plan.anchor && Date.now() - Date.parse(plan.plannedAt) < PLAN_ANCHOR_FRESH_MS ? plan.anchor : undefined
      this.record({ type: 'anchor', ...(planned ?? (await newestActivity(this.client))) })
    }
    let created: ImportActivity | undefined
    for (let tries = 1; !created; tries++) {
      this.record({ type: 'submit_intent', activity: a.planned.id, attempt })
      try {
        // Not repeated by the connection layer: a resend after a lost answer would make an activity
        // the journal never sees. A lost answer is looked up in Constant Contact first (below).
        created = await this.client.importContactsJson({ jsonBytes: body }, { repeatable: false })
      } catch (error) {
        if (isRefusal(error)) {
          // Constant Contact looked at the request and said no: nothing was created. A 400 is most
          // likely a value it won't take: the halves are sent on their own, until the refused
          // contacts are found, and a 40,000-contact batch is never lost for one of them.
          if (this.maySplit(a, error)) await this.split(a, attempt, errorData(error))
          else {
            this.record({ type: 'rejected', activity: a.planned.id, attempt, error: errorData(error) })
            this.setLive(a, { state: 'rejected' })
          }
          return
        }
        // Anything else that isn't a lost answer (unreachable, sign-in, allowance…) stops the run,
        // the send left "unknown": the next run asks Constant Contact before sending again.
        if (!isOutcomeUnknown(error)) throw error
        // It may or may not have arrived. Give Constant Contact a moment to list it (a send whose
        // answer timed out may still be being handled there), then ask. If it can't be asked, the
        // run stops here and the next one asks.
        this.setLive(a, { state: 'checking' })
        await this.timers.sleep(resendDelay(this.client.retryPolicy, tries))
        if (await this.reconcileLostSend(a)) return
        // It never arrived: send the same attempt again, a bounded number of times.
        if (tries >= MAX_LOST_SENDS) throw error
        if (this.cancelled || this.loop.paused) {
          // Nothing more is sent now; a resume sends it first.
          this.setLive(a, { state: 'waiting', percentDone: 0, errorLines: 0 }, true)
          if (!this.cancelled) this.loop.queue.unshift(a)
          return
        }
        this.setLive(a, { state: 'sending', percentDone: 0, errorLines: 0 }, true)
      }
    }
    crashPoint('after_post')
    if (!created.activity_id) throw new Error('Constant Contact accepted an import without giving its activity ID')
    this.record({
      type: 'submitted',
      activity: a.planned.id,
      attempt,
      activityId: created.activity_id,
      ...(created.created_at ? { createdAt: created.created_at } : {}),
    })
    this.setLive(a, { state: liveState(created.state), percentDone: created.percent_done ?? 0 })
    const delay = this.schedule.firstDelay(a.planned.count)
    this.loop.following.set(a.planned.id, {
      activity: a,
      nextPollAt: this.timers.now() + delay,
      lastDelay: delay,
      polling: false,
    })
  }

  /**
   * Whether a refused activity is split in two: a 400 for more than one contact, while the search
   * for the refused ones stays within bounds (a request-wide refusal would otherwise cost two
   * requests a contact).
   */
  private maySplit(a: JournalActivity, error: unknown): boolean {
    if (a.planned.count < 2 || !(error instanceof ConstantContactError) || error.status !== 400) return false
    const root = a.planned.id.split('.')[0]!
    let splits = 0
    let refusedAlone = 0
    for (const other of this.state.activities.values()) {
      if (other.planned.id.split('.')[0] !== root) continue
      if (other.phase === 'split') splits++
      if (other.phase === 'rejected' && other.planned.count === 1) refusedAlone++
    }
    return splits < MAX_SPLITS_PER_ACTIVITY && refusedAlone < MAX_REFUSED_CONTACTS_SEARCHED
  }

  /** Splits a refused activity into its two halves (journaled first), which are sent next. */
  private async split(a: JournalActivity, attempt: number, error: StopError): Promise<void> {
    const listId = this.state.lists[a.planned.group]!.listId
    const parts = await this.bodies!.split(a.planned, listId)
    this.record({ type: 'split', activity: a.planned.id, attempt, error, parts })
    this.live.delete(a.planned.id)
    const halves = parts.map((p) => this.state.activities.get(p.id)!)
    for (const half of halves) this.setLive(half, { state: 'waiting', percentDone: 0, errorLines: 0 }, true)
    this.loop.queue.unshift(...halves)
  }

  /**
   * After a send whose answer was lost, within the same run: looks for it in `GET /activities` with
   * the same rules as after a restart. Found: it is followed like any sent activity (and checked
   * when it ends, like any adopted one). Not found: recorded so, and false (send it again). Several
   * candidates: recorded as unclear and true (nothing is sent; the run stops once the rest is done).
   */
  private async reconcileLostSend(a: JournalActivity): Promise<boolean> {
    this.setLive(a, { state: 'checking' })
    const decision = (await reconcileUnknownSends(this.client, this.state)).find((d) => d.activity === a) ?? {
      activity: a,
      found: 'none' as const,
      activityId: null,
    }
    this.recordDecision(decision)
    // Several imports could be it: it is left for the person (the run stops when the rest is done).
    if (decision.found === 'several') return true
    const activityId = decision.activityId
    if (!activityId) return false
    this.setLive(a, { state: 'initialized', percentDone: 0 })
    const delay = this.schedule.firstDelay(a.planned.count)
    this.loop.following.set(a.planned.id, {
      activity: a,
      nextPollAt: this.timers.now() + delay,
      lastDelay: delay,
      polling: false,
    })
    return true
  }

  private async poll(f: InFlight): Promise<void> {
    const a = f.activity
    let status: Activity
    try {
      status = await this.client.getActivity(a.activityId!, { signal: this.loop.signal })
    } catch (error) {
      if (this.loop.signal.aborted) throw new PausedSignal()
      if (error instanceof ConstantContactError && error.code === 'cc_not_found') {
        // Constant Contact no longer knows it (kept 10 days): send it again (imports upsert).
        this.finishActivity(a, {
          activity_id: a.activityId!,
          state: 'lost',
          percent_done: 0,
          activity_errors: ['Constant Contact no longer had this activity.'],
        })
        return
      }
      throw error
    }
    crashPoint('after_poll')
    if (TERMINAL_STATES.has(status.state ?? '')) {
      this.schedule.learn(a.planned.count, status)
      if (a.verify && !(await this.contactsOnList(a))) {
        // Found after a restart by size and time only, and its contacts aren't on the list: it was
        // someone else's import. Send ours again.
        this.finishActivity(a, {
          ...status,
          state: 'lost',
          activity_errors: ['After a restart this import could not be confirmed as this job’s, so it was sent again.'],
        })
        return
      }
      this.finishActivity(a, status)
      return
    }
    this.setLive(a, {
      state: liveState(status.state),
      percentDone: status.percent_done ?? 0,
      counts: countsOf(status),
      errorLines: status.activity_errors?.length ?? 0,
    })
    f.lastDelay = this.schedule.nextDelay(status, f.lastDelay)
    f.nextPollAt = this.timers.now() + f.lastDelay
  }

  /** Whether any of a few contacts of the activity (first, middle, last) is on its list now. */
  private async contactsOnList(a: JournalActivity): Promise<boolean> {
    const listId = this.state.lists[a.planned.group]!.listId
    const picks = [
      ...new Set([
        a.planned.first,
        a.planned.first + Math.floor(a.planned.count / 2),
        a.planned.first + a.planned.count - 1,
      ]),
    ]
    for (const record of picks) {
      const email = (await this.bodies!.emails(a.planned.group, record, 1))[0]
      if (!email) continue
      const found = await this.client.getContacts({ email, include: 'list_memberships' }, { signal: this.loop.signal })
      if (found.contacts?.some((c) => c.list_memberships?.includes(listId))) return true
    }
    return false
  }

  private finishActivity(a: JournalActivity, status: Activity): void {
    const errors = status.activity_errors ?? []
    this.record({
      type: 'finished',
      activity: a.planned.id,
      attempt: a.attempt,
      activityId: status.activity_id ?? a.activityId!,
      ...(status.created_at ? { createdAt: status.created_at } : {}),
      state: status.state ?? 'completed',
      counts: countsOf(status),
      errors: errors.slice(0, MAX_ERROR_LINES_KEPT),
      ...(errors.length > MAX_ERROR_LINES_KEPT ? { moreErrors: errors.length - MAX_ERROR_LINES_KEPT } : {}),
    })
    this.loop.following.delete(a.planned.id)
    const again = nextStep(a) === 'send'
    this.setLive(a, {
      state: again ? 'waiting' : liveState(status.state),
      percentDone: again ? 0 : (status.percent_done ?? 0),
      counts: countsOf(status),
      errorLines: errors.length,
    })
    if (again) this.loop.queue.push(a)
  }

  // ------------------------------------------------------------------ journal, progress, result

  private record(entry: NewUploadEntry): void {
    const written = this.journal!.append(entry)
    applyEntry(this.state, written)
  }

  private resetLiveRows(): void {
    this.live.clear()
    for (const a of liveActivities(this.state)) {
      const last = a.last
      const disposition = dispositionOf(a)
      const state: ActivityRowState =
        a.phase === 'submitted'
          ? 'initialized'
          : a.phase === 'unknown'
            ? 'checking'
            : a.phase === 'rejected'
              ? 'rejected'
              : disposition === 'completed' || disposition === 'failed'
                ? liveState(last?.state)
                : 'waiting'
      this.live.set(a.planned.id, {
        state,
        percentDone: disposition === 'completed' ? 100 : 0,
        ...(last && disposition !== 'to_resend' ? { counts: last.counts } : {}),
        errorLines: last && disposition !== 'to_resend' ? last.errors.length + last.moreErrors : 0,
      })
    }
    this.emit()
  }

  private setLive(a: JournalActivity, change: Partial<LiveRow>, replace = false): void {
    const row = this.live.get(a.planned.id) ?? { state: 'waiting', percentDone: 0, errorLines: 0 }
    const next = replace ? { state: row.state, percentDone: 0, errorLines: 0, ...change } : { ...row, ...change }
    this.live.set(a.planned.id, next)
    this.emit()
  }

  private setPhase(phase: UploadPhase, message: string | undefined): void {
    // While paused, setting-up steps still finish, but the person keeps seeing "paused".
    this.phase = this.loop.paused && phase !== 'finished' && phase !== 'stopping' ? 'paused' : phase
    this.message = message
    this.emit(true)
  }

  private processedContacts(): number {
    let processed = 0
    for (const a of liveActivities(this.state)) {
      const row = this.live.get(a.planned.id)
      if (!row) continue
      processed +=
        TERMINAL_STATES.has(row.state) || row.state === 'rejected'
          ? a.planned.count
          : Math.floor((a.planned.count * row.percentDone) / 100)
    }
    return processed
  }

  snapshot(): UploadProgress {
    const plan = this.state.plan
    const listName = (g: GroupKey): string =>
      this.state.lists[g]?.name ?? plan?.groups.find((x) => x.group === g)?.list?.name ?? ''
    const activities: ActivityProgress[] = liveActivities(this.state).map((a) => {
      const row = this.live.get(a.planned.id) ?? { state: 'waiting' as const, percentDone: 0, errorLines: 0 }
      return {
        id: a.planned.id,
        group: a.planned.group,
        number: a.planned.number,
        listName: listName(a.planned.group),
        contacts: a.planned.count,
        attempt: Math.max(1, a.attempt),
        state: row.state,
        ...((a.activityId ?? a.last?.activityId) ? { activityId: a.activityId ?? a.last!.activityId } : {}),
        percentDone: row.percentDone,
        ...(row.counts ? { counts: row.counts } : {}),
        errorLines: row.errorLines,
      }
    })
    const contactsTotal = activities.reduce((n, a) => n + a.contacts, 0)
    const processed = this.processedContacts()
    const finished = activities.filter((a) => TERMINAL_STATES.has(a.state) || a.state === 'rejected').length
    const overall: UploadProgress['overall'] = {
      contactsTotal,
      contactsProcessed: processed,
      activitiesTotal: activities.length,
      activitiesFinished: finished,
      fraction: contactsTotal ? processed / contactsTotal : this.phase === 'finished' ? 1 : 0,
    }
    const eta = this.estimateSecondsLeft(processed, contactsTotal)
    if (eta !== undefined) overall.etaSeconds = eta
    return {
      jobDir: this.jobDir,
      phase: this.phase,
      activities,
      overall,
      ...(this.message ? { message: this.message } : {}),
    }
  }

  private estimateSecondsLeft(processed: number, total: number): number | undefined {
    if (this.phase === 'finished' || this.loop.paused) return undefined
    if (processed >= total) return 0
    return this.timeLeft ? this.timeLeft.estimate(processed, Date.now()) : this.state.plan?.estimatedSeconds
  }

  private emit(now = false): void {
    this.progressOut.emit(now)
  }

  private finish(error?: StopError): UploadResult {
    // The body worker closes the files after any body it is still building.
    this.bodies?.close().catch(() => undefined)
    this.bodies = undefined
    this.journal?.close()
    this.lock?.release()
    this.progressOut.stop()
    this.phase = 'finished'
    this.loop.endPause()
    this.options.onProgress?.(this.snapshot())
    const tally = tallyContacts(this.state)
    const outcome: UploadResult['outcome'] = error
      ? 'stopped'
      : this.cancelled
        ? 'cancelled'
        : tally.contactsNotAdded > 0 || tally.contactsNotSent > 0
          ? 'some_not_added'
          : 'all_added'
    return { outcome, ...(error ? { error } : {}), ...tally, activities: this.snapshot().activities }
  }
}

/** An import's planned records. */
function runOf(a: JournalActivity): RecordRun {
  return { first: a.planned.first, count: a.planned.count }
}

/**
 * The columns the check of which contacts were added asks for: the address, and the email
 * permission, which tells an unsubscribed member even if the export's status filter weren't applied.
 */
const ADDED_CHECK_FIELDS = ['email_address', 'email_permission']

/** A failure that leaves the check undone (report.csv then says "check this contact"), not the upload. */
function isCheckUnavailable(error: unknown): boolean {
  if (error instanceof ConstantContactError) return true
  return (
    error instanceof UserFacingError &&
    ['membership_export_failed', 'membership_export_unusable', 'upload_body_failed'].includes(error.code)
  )
}

function countsOf(status: Activity): ImportCounts {
  const s = status.status ?? {}
  return {
    items_total_count: s.items_total_count ?? 0,
    person_count: s.person_count ?? 0,
    error_count: s.error_count ?? 0,
    correctable_count: s.correctable_count ?? 0,
    cannot_add_to_list_count: s.cannot_add_to_list_count ?? 0,
  }
}

function liveState(state: string | undefined): ActivityRowState {
  switch (state) {
    case 'initialized':
    case 'processing':
    case 'completed':
    case 'failed':
    case 'timed_out':
    case 'cancelled':
      return state
    case 'lost':
      return 'failed'
    default:
      return 'processing'
  }
}

/** Whether two plans send each group to the same list (by ID when both know it, else by name). */
function samePlanChoices(a: UploadPlan, b: UploadPlan): boolean {
  return GROUP_KEYS.every((key) => {
    const x = a.groups.find((g) => g.group === key)
    const y = b.groups.find((g) => g.group === key)
    if (!x || !y || x.skipped !== y.skipped) return false
    if (x.skipped) return true
    if (x.list?.listId && y.list?.listId) return x.list.listId === y.list.listId
    return x.list?.name === y.list?.name
  })
}

function describeLists(plan: UploadPlan): string {
  return plan.groups
    .filter((g) => !g.skipped && g.list)
    .map((g) => `${g.groupName} → “${g.list!.name}”`)
    .join(', ')
}

/** Removes `dir` if nothing is in it: a job that was never compared with its lists keeps no empty membership folder. */
function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir)
  } catch {
    // Not empty (the sync's files are there), or already gone: either way nothing to do.
  }
}
