import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { UserFacingError, type ContractErrorData } from '../../../shared/errors'
import type {
  ListRemovalProgress,
  MembershipPhase,
  MembershipPolicy,
  MembershipProgress,
  MembershipResult,
} from '../../../shared/membership/schemas'
import type { GroupKey } from '../../../shared/ids'
import type { CcClient } from '../constant-contact/client'
import { ConstantContactError, isOutcomeUnknown, isRefusal, stopErrorData } from '../constant-contact/errors'
import { resendDelay } from '../constant-contact/transport'
import { FINISHED_ACTIVITY_STATES, type Activity } from '../constant-contact/types'
import { acquireJobLock, type JobLock } from '../jobs/job-lock'
import { crashPoint } from '../upload/crash-points'
import { Journal, loadJournal } from '../upload/journal'
import { readJournalFile, readJournalFileAsync } from '../files/journal-lines'
import { DEFAULT_POLL_TIMING, PollSchedule, type PollTiming } from '../upload/poll-schedule'
import { FollowLoop, PausedSignal, runHandle, ThrottledProgress, type RunHandle } from '../upload/run-support'
import { GROUP_KEYS } from '../../../shared/ids'
import { planRemovals } from './batches'
import { leavingInWorker, type LeavingReader } from './leaving-thread'
import { groupRecordCounts, readComparison, type ComparisonRecord } from './compare'
import { compareLists, type UploadList } from './compare-lists'
import { isTrustworthy, readExports, type ExportOptions } from './export-list'
import { fileSha256, MEMBERSHIP_JOURNAL } from './files'
import {
  applyMembershipEntry,
  notRemovedBy,
  removedBy,
  MEMBERSHIP_JOURNAL_FORMAT,
  replayMembership,
  unconfirmedIn,
  type BatchState,
  type ChoiceEntry,
  type ChosenList,
  type MembershipEntry,
  type MembershipState,
  type NewMembershipEntry,
  type PlanEntry,
} from './journal-state'
import { findLostRemoval } from './reconcile'

/** A list of the upload: its ID, and whether the upload creates it (then it has no one to remove). */
type MembershipList = ChosenList

/** What the person chose and confirmed. */
export interface MembershipChoice {
  policy: MembershipPolicy
  lists: Partial<Record<GroupKey, MembershipList>>
  /** The numbers the person saw: if the lists changed so that more would leave a list, nothing is removed. */
  confirmed?: Partial<Record<GroupKey, { movedOut: number; notInFile: number }>>
}

/**
 * `choice`: plan from the person's choice (or continue the plan made from it); `resume`: continue;
 * `again`: once what is under way is done, read the lists afresh and plan with this choice — the
 * Send check's "move them now".
 */
export type MembershipStart = { choice: MembershipChoice } | { resume: true } | { again: MembershipChoice }

export interface MembershipRunOptions {
  onProgress?: (progress: MembershipProgress) => void
  /** Removals sent but not finished at any one time (default 8; Constant Contact queues up to 1,000). */
  maxInFlight?: number
  poll?: Partial<PollTiming>
  /** Reading the lists again (when the saved exports can't be trusted). */
  exports?: Pick<ExportOptions, 'trustMs' | 'poll'>
  /** Where a comparison made again runs (default: a worker thread). */
  comparison?: 'worker' | 'here'
  /**
   * The person's answer for a removal whose arrival Constant Contact's record can't settle (several
   * activities could be it): send it again, or count it as done. Without it the run stops and asks.
   */
  unsure?: 'send_again' | 'done'
  /** Tests only: fewer contacts per removal than Constant Contact's 500. */
  batchSize?: number
}

export type MembershipRun = RunHandle<MembershipProgress, MembershipResult>

const DEFAULT_MAX_IN_FLIGHT = 8
/** Sends of one removal within a run whose answers were lost and that Constant Contact then didn't have. */
const MAX_LOST_SENDS = 5
const MAX_ERROR_LINES_KEPT = 50

/**
 * Takes the contacts that must leave each list off it, after the upload: with "move" those in the
 * other group of the file, with "match" also those in neither group. Every removal is written to
 * the job's membership journal before its request and after its answer, so it can be stopped at any
 * moment and continued with `{ resume: true }`: a finished removal is never sent again, and one whose
 * answer was lost is looked up in Constant Contact before anything is resent.
 */
export function startMembership(
  jobDir: string,
  client: CcClient,
  start: MembershipStart,
  options: MembershipRunOptions = {},
): MembershipRun {
  const runner = new MembershipRunner(resolve(jobDir), client, options)
  return runHandle(runner, runner.run(start))
}

interface Following {
  b: BatchState
  nextPollAt: number
  lastDelay: number
  polling: boolean
}

class MembershipRunner {
  private journal: Journal<MembershipEntry> | undefined
  /** A plan existed when this run started ("move them now" then plans again after it). */
  private plannedBefore = false
  private lock: JobLock | undefined
  private state: MembershipState = replayMembership([])
  private phase: MembershipPhase = 'starting'
  private message: string | undefined
  /** Each list's export while the lists are read again (percent done). */
  private reading: Partial<Record<GroupKey, number>> | undefined
  /** The upload's newest import (ms), read once: the upload journal doesn't change while removals run. */
  private uploadNewest: Promise<number | undefined> | undefined
  private readonly loop: FollowLoop<BatchState, Following>
  private readonly schedule: PollSchedule
  private readonly files: LeavingReader
  private readonly progressOut: ThrottledProgress<MembershipProgress>

  constructor(
    private readonly jobDir: string,
    private readonly client: CcClient,
    private readonly options: MembershipRunOptions,
  ) {
    this.schedule = new PollSchedule({ ...DEFAULT_POLL_TIMING, ...options.poll })
    this.progressOut = new ThrottledProgress(options.onProgress, () => this.snapshot())
    this.files = leavingInWorker(jobDir)
    this.loop = new FollowLoop<BatchState, Following>(
      { send: (b) => this.send(b), poll: (f) => this.poll(f) },
      options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
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
    this.loop.pause()
    this.setPhase('paused', 'Paused. Removals already sent keep going in Constant Contact.')
  }

  resume(): void {
    if (!this.loop.paused) return
    this.loop.resume()
    this.setPhase('removing', undefined)
  }

  cancel(): void {
    if (this.cancelled || this.phase === 'finished') return
    this.loop.cancel()
    this.setPhase('stopping', 'Cancelling: nothing more is removed.')
  }

  async run(start: MembershipStart): Promise<MembershipResult> {
    try {
      // One uploader per job: the removals are part of the upload step.
      this.lock = await acquireJobLock(this.jobDir, 'upload', { purpose: 'membership' })
      this.journal = await openMembershipJournal(this.jobDir)
      this.state = replayMembership(this.journal.entries)
      await this.adoptPlan(start)
      this.record({ type: 'run_started' })
      await this.reconcile()
      this.settleAsked()
      if (await this.filesDamaged()) {
        await this.removeAll(false) // follow what is in flight, then read the lists again
        await this.planAgain()
      }
      await this.removeAll(true)
      if ('again' in start && this.plannedBefore && !this.cancelled) {
        await this.planAgain(start.again)
        await this.removeAll(true)
      }
      this.record(this.cancelled ? { type: 'cancelled' } : { type: 'completed' })
      return this.finish()
    } catch (error) {
      await this.loop.settle()
      const data = stopErrorData(error)
      if (this.journal && this.state.plan) this.record({ type: 'stopped', error: data })
      this.message = data.message
      return this.finish(data)
    }
  }

  // ------------------------------------------------------------------ the plan

  private async adoptPlan(start: MembershipStart): Promise<void> {
    const current = this.state.plan
    this.plannedBefore = current !== undefined
    if ('again' in start) {
      if (!current) await this.planAgain(start.again)
      return
    }
    if (!('choice' in start) && current) return
    const choice = 'choice' in start ? start.choice : this.state.choice
    if (!choice)
      throw new UserFacingError('nothing_to_resume', 'This job has no removals to continue.', 'Start the upload.')
    if (current) {
      if (current.policy !== choice.policy || !sameLists(current.lists, choice.lists))
        throw new UserFacingError(
          'membership_already_started',
          'This job’s lists were already being brought in line with the file, with another choice or other lists.',
          'Continue with the same choice, or prepare the file again into a new folder.',
        )
      return
    }
    const lists = Object.fromEntries(
      Object.entries(choice.lists).map(([g, l]) => [g, { listId: l.listId, listName: l.listName }]),
    ) as PlanEntry['lists']
    const confirmed = choice.confirmed ? { confirmed: choice.confirmed } : {}
    if (choice.policy === 'add') {
      this.record({ type: 'plan', generation: 1, policy: 'add', lists, removals: [], ...confirmed })
      return
    }
    const record = await this.comparison(choice.lists, true)
    this.checkConfirmed(record, choice.policy, choice.confirmed)
    this.record({
      type: 'plan',
      generation: 1,
      policy: choice.policy,
      lists,
      comparedAt: record.comparison.comparedAt,
      removals: planRemovals(record, choice.policy, this.options.batchSize),
      ...confirmed,
    })
  }

  /**
   * The comparison to remove from: the one the plan step saved when it still stands (same lists,
   * exports that can still be trusted, same prepared groups, files intact); otherwise the lists are
   * read again and compared anew. `mayReuse` false always reads again.
   */
  private async comparison(
    lists: Partial<Record<GroupKey, MembershipList>>,
    mayReuse: boolean,
    tag?: string,
  ): Promise<ComparisonRecord> {
    if (mayReuse) {
      const saved = readComparison(this.jobDir)
      if (saved && (await this.stillStands(saved, lists))) return saved
    }
    const upload: Partial<Record<GroupKey, UploadList>> = {}
    this.reading = {}
    for (const [g, l] of Object.entries(lists) as Array<[GroupKey, MembershipList]>) {
      upload[g] = l.createdByUpload ? { listName: l.listName } : { listId: l.listId, listName: l.listName }
      if (!l.createdByUpload) this.reading[g] = 0
    }
    this.setPhase('reading_lists', 'Reading the lists’ members from Constant Contact…')
    try {
      return await compareLists(this.jobDir, this.client, upload, {
        ...this.options.exports,
        ...(mayReuse ? {} : { trustMs: 0 }),
        ...(tag ? { tag } : {}),
        signal: this.loop.signal,
        onStep: (step) => {
          if (step.kind === 'comparing') this.setPhase('comparing', 'Comparing the lists with the file…')
          else if (step.status && this.reading) {
            const completed = step.status.state === 'completed'
            this.reading[step.group] = completed ? 100 : (step.status.percent_done ?? 0)
            this.emit(completed) // a list read is a step the bar shows even when the next comes at once
          }
        },
        ...(this.options.comparison ? { comparison: this.options.comparison } : {}),
      })
    } finally {
      this.reading = undefined
    }
  }

  private async stillStands(
    saved: ComparisonRecord,
    lists: Partial<Record<GroupKey, MembershipList>>,
  ): Promise<boolean> {
    const exports = readExports(this.jobDir)
    for (const group of GROUP_KEYS) {
      const want = lists[group]
      const had = saved.lists[group]
      if (!want !== !had) return false
      if (!want || !had) continue
      if (want.createdByUpload) {
        if (had.listId !== '' && had.listId !== want.listId) return false
      } else {
        if (had.listId !== want.listId || had.exportSha256 !== exports.lists[group]?.sha256) return false
        const trust = this.options.exports?.trustMs
        if (!(await isTrustworthy(this.jobDir, group, exports.lists[group], want.listId, trust))) return false
      }
      for (const leaving of Object.values(had.leaving))
        if ((await fileSha256(join(this.jobDir, leaving.file))) !== leaving.sha256) return false
    }
    const counts = groupRecordCounts(this.jobDir)
    return counts['0'] === saved.groups['0'] && counts['1'] === saved.groups['1']
  }

  private checkConfirmed(
    record: ComparisonRecord,
    policy: MembershipPolicy,
    confirmed: MembershipChoice['confirmed'],
  ): void {
    if (!confirmed) return
    for (const list of record.comparison.lists) {
      const seen = confirmed[list.group]
      if (!seen) continue
      const now = list.movedOut + (policy === 'match' ? list.notInFile : 0)
      const then = seen.movedOut + (policy === 'match' ? seen.notInFile : 0)
      if (now > then) {
        const name = this.state.plan?.lists[list.group]?.listName ?? `list ${list.group}`
        throw new UserFacingError(
          'membership_plan_changed',
          `The lists changed since the plan was shown: ${now.toLocaleString('en-US')} contacts would now leave “${name}”, not ${then.toLocaleString('en-US')}.`,
          'Nothing was removed. Look at the plan again and confirm it.',
        )
      }
    }
  }

  /** Whether a leaving file a removal still needs is gone or changed since it was planned. */
  private async filesDamaged(): Promise<boolean> {
    const needed = new Map<string, string>()
    for (const b of this.state.batches.values())
      if (b.phase === 'pending' || (b.phase === 'submitted' && b.verify)) needed.set(b.batch.file, b.batch.sha256)
    for (const [file, sha256] of needed) if ((await fileSha256(join(this.jobDir, file))) !== sha256) return true
    return false
  }

  /** The files changed: read the lists again and plan the removals still to be made from them. */
  /**
   * Reads the lists afresh and plans the removals still to be made: with the current plan's choice
   * (its files were damaged), or with a new one (the Send check's "move them now"). Each plan's
   * comparison has files of its own, so earlier removals can still be listed in the report.
   */
  private async planAgain(choice?: MembershipChoice): Promise<void> {
    const plan = this.state.plan
    const generation = (plan?.generation ?? 0) + 1
    const lists: Partial<Record<GroupKey, MembershipList>> = {}
    if (choice) Object.assign(lists, choice.lists)
    else
      for (const [g, l] of Object.entries(plan!.lists) as Array<[GroupKey, { listId: string; listName: string }]>)
        lists[g] = { ...l, ...(l.listId ? {} : { createdByUpload: true }) }
    const policy = choice?.policy ?? plan!.policy
    const confirmed = choice ? choice.confirmed : plan!.confirmed
    const record = await this.comparison(lists, false, `g${generation}`)
    this.checkConfirmed(record, policy, confirmed)
    this.record({
      type: 'plan',
      generation,
      policy,
      lists: Object.fromEntries(
        Object.entries(lists).map(([g, l]) => [g, { listId: l.listId, listName: l.listName }]),
      ) as PlanEntry['lists'],
      comparedAt: record.comparison.comparedAt,
      removals: planRemovals(record, policy, this.options.batchSize),
      ...(confirmed ? { confirmed } : {}),
    })
  }

  // ------------------------------------------------------------------ lost answers

  /** Removals sent before an interruption whose answer was never recorded: looked up in Constant Contact. */
  private async reconcile(): Promise<void> {
    const unknown = [...this.state.batches.values()].filter((b) => b.phase === 'unknown')
    if (unknown.length === 0) return
    this.setPhase('checking', 'Checking with Constant Contact what arrived before Splitsend stopped…')
    for (const b of unknown) await this.lookUp(b)
  }

  /** Looks a removal up; true when it was found (and is followed from now on). */
  private async lookUp(b: BatchState): Promise<boolean> {
    this.uploadNewest ??= newestImport(this.jobDir)
    const after = newest(this.state.newestCreatedMs, await this.uploadNewest)
    const found = await findLostRemoval(
      this.client,
      {
        count: b.batch.count,
        intentAt: b.intentAt ?? new Date().toISOString(),
        ...(after !== undefined ? { after: new Date(after).toISOString() } : {}),
      },
      this.state.knownActivityIds,
      this.loop.signal,
    )
    const base = { type: 'remove_reconciled' as const, batch: b.batch.id, attempt: b.attempt }
    if (found.kind === 'one') {
      this.record({ ...base, activityId: found.activityId, ...(found.createdAt ? { createdAt: found.createdAt } : {}) })
      return true
    }
    this.record({ ...base, activityId: null, ...(found.kind === 'several' ? { candidates: found.activityIds } : {}) })
    return false
  }

  /** Removals Constant Contact's record couldn't settle: the person's answer, or a stop that asks for it. */
  private settleAsked(): void {
    const asked = [...this.state.batches.values()].filter((b) => b.phase === 'ask')
    if (asked.length === 0) return
    const decision = this.options.unsure
    if (!decision) throw unsureError(asked[0]!, this.state.plan!)
    for (const b of asked) this.record({ type: 'remove_resolved', batch: b.batch.id, attempt: b.attempt, decision })
  }

  // ------------------------------------------------------------------ the removals

  /** Sends the pending removals (when `send`) and follows every removal in flight until none is left. */
  private async removeAll(send: boolean): Promise<void> {
    this.setPhase(this.loop.paused ? 'paused' : 'removing', this.loop.paused ? this.message : undefined)
    this.loop.queue.length = 0
    for (const b of this.state.batches.values()) {
      if (b.phase === 'pending' && send) this.loop.queue.push(b)
      else if (b.phase === 'submitted' && !this.loop.following.has(b.batch.id)) this.follow(b, 0)
    }
    await this.loop.run(send)
  }

  /** One removal: intent on disk → POST → its activity ID on disk. One at a time. */
  private async send(b: BatchState): Promise<void> {
    const body = { list_ids: [b.batch.listId], source: { contact_ids: await this.files.contactIdsOf(b.batch) } }
    for (let tries = 1; ; tries++) {
      this.record({ type: 'remove_intent', batch: b.batch.id, attempt: b.attempt + 1 })
      let created: Awaited<ReturnType<CcClient['removeListMemberships']>>
      try {
        // Never resent by the connection layer: a lost answer is looked up first (below).
        created = await this.client.removeListMemberships(body, { repeatable: false })
      } catch (error) {
        if (isRefusal(error)) {
          this.record({ type: 'remove_rejected', batch: b.batch.id, attempt: b.attempt, error: stopErrorData(error) })
          return
        }
        if (!isOutcomeUnknown(error)) throw error
        await sleep(resendDelay(this.client.retryPolicy, tries))
        if (await this.lookUp(b)) return this.follow(b, 0)
        if (phaseOf(b) === 'ask') {
          this.settleAsked()
          if (phaseOf(b) !== 'pending') return
        } else if (tries >= MAX_LOST_SENDS) throw error
        if (this.cancelled || this.loop.paused) {
          if (!this.cancelled) this.loop.queue.unshift(b)
          return
        }
        continue
      }
      crashPoint('after_post')
      if (!created.activity_id) throw new Error('Constant Contact accepted a removal without giving its activity ID')
      this.record({
        type: 'remove_submitted',
        batch: b.batch.id,
        attempt: b.attempt,
        activityId: created.activity_id,
        ...(created.created_at ? { createdAt: created.created_at } : {}),
      })
      return this.follow(b, this.schedule.firstDelay(b.batch.count))
    }
  }

  private follow(b: BatchState, delay: number): void {
    this.loop.following.set(b.batch.id, { b, nextPollAt: Date.now() + delay, lastDelay: delay, polling: false })
    this.emit()
  }

  private async poll(f: Following): Promise<void> {
    const b = f.b
    let status: Activity
    try {
      status = await this.client.getActivity(b.activityId!, { signal: this.loop.signal })
    } catch (error) {
      if (this.loop.signal.aborted) throw new PausedSignal()
      if (error instanceof ConstantContactError && error.code === 'cc_not_found')
        // Constant Contact no longer has it (10 days): removing again only removes who is still there.
        return this.finishBatch(b, {
          state: 'lost',
          activity_errors: ['Constant Contact no longer had this activity.'],
        })
      throw error
    }
    crashPoint('after_poll')
    if (FINISHED_ACTIVITY_STATES.has(status.state ?? '')) {
      this.schedule.learn(b.batch.count, status)
      if (b.verify && status.state === 'completed' && !(await this.offTheList(b)))
        return this.finishBatch(b, {
          ...status,
          state: 'lost',
          activity_errors: [
            'After an interruption this removal could not be confirmed as this job’s, so it was sent again.',
          ],
        })
      return this.finishBatch(b, { ...status, state: status.state! })
    }
    f.lastDelay = this.schedule.nextDelay(status, f.lastDelay)
    f.nextPollAt = Date.now() + f.lastDelay
    this.emit()
  }

  /** Whether a few of the removal's contacts (first, middle, last) are off its list now. */
  private async offTheList(b: BatchState): Promise<boolean> {
    for (const contact of await this.files.sampleOf(b.batch)) {
      if (!contact.email) continue
      const found = await this.client.getContacts(
        { email: contact.email, include: 'list_memberships' },
        { signal: this.loop.signal },
      )
      const same = found.contacts?.find((c) => c.contact_id === contact.contactId)
      if (same?.list_memberships?.includes(b.batch.listId)) return false
    }
    return true
  }

  private finishBatch(b: BatchState, status: Activity & { state: string }): void {
    const errors = status.activity_errors ?? []
    this.record({
      type: 'remove_finished',
      batch: b.batch.id,
      attempt: b.attempt,
      activityId: status.activity_id ?? b.activityId!,
      ...(status.created_at ? { createdAt: status.created_at } : {}),
      state: status.state,
      counts: {
        items_total_count: status.status?.items_total_count ?? 0,
        items_completed_count: status.status?.items_completed_count ?? 0,
      },
      errors: errors.slice(0, MAX_ERROR_LINES_KEPT),
    })
    this.loop.following.delete(b.batch.id)
    if (b.phase === 'pending') this.loop.queue.push(b)
  }

  // ------------------------------------------------------------------ journal, progress, result

  private record(entry: NewMembershipEntry): void {
    const written = this.journal!.append(entry)
    applyMembershipEntry(this.state, written)
    this.emit()
  }

  private setPhase(phase: MembershipPhase, message: string | undefined): void {
    this.phase = this.loop.paused && phase !== 'finished' && phase !== 'stopping' ? 'paused' : phase
    this.message = message
    this.emit(true)
  }

  snapshot(): MembershipProgress {
    const lists = listProgress(this.state)
    const contactsTotal = lists.reduce((n, l) => n + l.movedOut + l.notInFile, 0)
    const contactsDone = lists.reduce((n, l) => n + l.removed + l.notRemoved + l.unconfirmed, 0)
    const reading = this.reading ? Object.values(this.reading) : []
    return {
      jobDir: this.jobDir,
      phase: this.phase,
      policy: this.state.plan?.policy ?? 'add',
      lists,
      overall: {
        contactsTotal,
        contactsDone,
        fraction: contactsTotal ? contactsDone / contactsTotal : this.phase === 'finished' ? 1 : 0,
      },
      ...(reading.length ? { readingPercent: Math.round(reading.reduce((a, b) => a + b, 0) / reading.length) } : {}),
      ...(this.message ? { message: this.message } : {}),
    }
  }

  private emit(now = false): void {
    this.progressOut.emit(now)
  }

  private async finish(error?: ContractErrorData & { resumeAt?: string }): Promise<MembershipResult> {
    await this.files.close()
    this.journal?.close()
    this.lock?.release()
    this.progressOut.stop()
    this.phase = 'finished'
    this.loop.endPause()
    const progress = this.snapshot()
    this.options.onProgress?.(progress)
    const planned = progress.overall.contactsTotal
    const notRemoved = progress.lists.reduce((n, l) => n + l.notRemoved, 0)
    const outcome: MembershipResult['outcome'] = error
      ? 'stopped'
      : this.cancelled
        ? 'cancelled'
        : planned === 0
          ? 'nothing_to_do'
          : notRemoved > 0
            ? 'some_not_removed'
            : 'done'
    return { outcome, ...(error ? { error } : {}), policy: progress.policy, lists: progress.lists }
  }
}

/** What the job's membership journal says, or undefined when the step never ran for it. */
export function readMembershipState(jobDir: string): MembershipState | undefined {
  const path = join(jobDir, MEMBERSHIP_JOURNAL)
  return existsSync(path) ? replayMembership(readJournalFile(path, MEMBERSHIP_JOURNAL_FORMAT)) : undefined
}

/**
 * The same, read in pieces that leave the thread free between them: for the thread that serves
 * the person (the journal grows with the contacts leaving: 6,000 lines for a million).
 */
export async function loadMembershipState(jobDir: string): Promise<MembershipState | undefined> {
  const path = join(jobDir, MEMBERSHIP_JOURNAL)
  return existsSync(path) ? replayMembership(await readJournalFileAsync(path, MEMBERSHIP_JOURNAL_FORMAT)) : undefined
}

function openMembershipJournal(jobDir: string): Promise<Journal<MembershipEntry>> {
  return Journal.open(jobDir, MEMBERSHIP_JOURNAL_FORMAT, MEMBERSHIP_JOURNAL)
}

/**
 * Records the person's choice when the upload starts, so the removals are planned from it once the
 * upload has finished — after a restart too. Refused when removals were already planned with
 * another choice.
 */
export async function recordMembershipChoice(jobDir: string, choice: MembershipChoice): Promise<void> {
  const dir = resolve(jobDir)
  const lock = await acquireJobLock(dir, 'upload', { purpose: 'membership' })
  const journal = await openMembershipJournal(dir)
  try {
    const state = replayMembership(journal.entries)
    if (state.plan) {
      if (state.plan.policy !== choice.policy || !sameLists(state.plan.lists, choice.lists))
        throw new UserFacingError(
          'membership_already_started',
          'This job’s lists were already being brought in line with the file, with another choice or other lists.',
          'Continue with the same choice, or prepare the file again into a new folder.',
        )
      return
    }
    journal.append({
      type: 'choice',
      policy: choice.policy,
      lists: choice.lists,
      ...(choice.confirmed ? { confirmed: choice.confirmed } : {}),
    } satisfies Omit<ChoiceEntry, 'at'>)
  } finally {
    journal.close()
    lock.release()
  }
}

/** Per list of the plan: what leaves it, and how far that is (every plan's removals but those replaced). */
function listProgress(state: MembershipState): ListRemovalProgress[] {
  const plan = state.plan
  if (!plan) return []
  const lists: ListRemovalProgress[] = []
  for (const group of GROUP_KEYS) {
    const list = plan.lists[group]
    if (!list) continue
    const row: ListRemovalProgress = {
      group,
      listId: list.listId,
      listName: list.listName,
      movedOut: 0,
      notInFile: 0,
      removed: 0,
      notRemoved: 0,
      unconfirmed: 0,
      activitiesTotal: 0,
      activitiesFinished: 0,
    }
    for (const b of state.batches.values()) {
      if (b.batch.group !== group || b.superseded) continue
      if (b.batch.reason === 'moved') row.movedOut += b.batch.count
      else row.notInFile += b.batch.count
      row.removed += removedBy(b)
      row.notRemoved += notRemovedBy(b)
      row.unconfirmed += unconfirmedIn(b)
      row.activitiesTotal++
      if (b.phase === 'done') row.activitiesFinished++
    }
    lists.push(row)
  }
  return lists
}

/**
 * Constant Contact's creation time (ms) of the newest import the upload recorded (it ran just before
 * the removals): a lost removal was created after it.
 */
async function newestImport(jobDir: string): Promise<number | undefined> {
  let found: number | undefined
  for (const entry of (await loadJournal(jobDir)) ?? []) {
    const created = 'createdAt' in entry && typeof entry.createdAt === 'string' ? Date.parse(entry.createdAt) : NaN
    if (Number.isFinite(created)) found = newest(found, created)
  }
  return found
}

function newest(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b)
}

/** A removal's phase as the journal has it now (read through a call, as recording entries changes it). */
function phaseOf(b: BatchState): BatchState['phase'] {
  return b.phase
}

function sameLists(a: PlanEntry['lists'], b: MembershipChoice['lists']): boolean {
  return GROUP_KEYS.every((g) => (a[g]?.listId ?? null) === (b[g]?.listId ?? null))
}

function unsureError(b: BatchState, plan: PlanEntry): UserFacingError {
  const list = plan.lists[b.batch.group]?.listName ?? `list ${b.batch.group}`
  return new UserFacingError(
    'membership_unsure',
    `Splitsend can’t tell whether Constant Contact received the removal of ${b.batch.count.toLocaleString('en-US')} contacts from “${list}”: the connection broke before its answer, and ${b.candidates?.length ?? 'several'} activities in Constant Contact could be it.`,
    'Choose “Remove them again” (harmless if it had arrived: they are simply not on the list) or “Count it as done” after checking the list in Constant Contact.',
  )
}
