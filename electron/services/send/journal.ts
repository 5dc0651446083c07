/**
 * The send journal: `send-journal.jsonl` in the job folder, one JSON record per line, each line
 * flushed to disk (fsync) before the next step. It is separate from the upload journal so the two
 * engines never write the same file.
 *
 * Every send is an *attempt* with its own ID:
 *   intent   — written before the campaign's lists are set and before the schedule call
 *   accepted — Constant Contact answered the schedule call
 *   checked  — after an interruption: what Constant Contact's own record showed
 *   refused  — Constant Contact said no (nothing was sent)
 *   unscheduled — the person cancelled a scheduled send
 *   went_out — Constant Contact's send record shows the email went out
 *   unclear — what Constant Contact shows can't be told apart from this attempt: the person is asked
 *   resolved — the person's answer (it was this job's send, or it wasn't)
 * A copy of a campaign ("Send a copy", ./copy.ts) has entries of its own, its `attempt` being the
 * copy's ID: copy_intent (before POST /emails, with the copy's unique name), copy_created (its
 * campaign, from the answer or found again by its name), copy_refused.
 * An intent with nothing after it means "may or may not have reached Constant Contact": before
 * anything else, the sender checks the campaign's schedules, status and send record.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, readSync, fstatSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { syncFolder } from '../files/atomic-file'
import type { EmailStatus, RecipientRef, SendConfirmation, SendWhen } from '../../../shared/send/schemas'
import type { GroupKey } from '../../../shared/ids'
import { PRIVATE_FILE_MODE } from '../files/private'

export const SEND_JOURNAL_FILE = 'send-journal.jsonl'

export interface IntentEntry {
  type: 'intent'
  attempt: string
  group: GroupKey
  campaignId: string
  campaignName: string
  activityId: string
  listId: string
  listName: string
  contacts?: number
  when: SendWhen
  /** The email as it was just before: used to tell afterwards whether the send went through. */
  before: { status: EmailStatus; sendIds: number[] }
  /** The lists or segments the group's list replaced. */
  replaced: RecipientRef[]
  /** Set when the campaign is a copy Splitsend made (see CopyIntentEntry). */
  copyOf?: { campaignId: string; campaignName: string }
  at: string
}

interface AcceptedEntry {
  type: 'accepted'
  attempt: string
  scheduledFor?: string
  confirmation: SendConfirmation
  at: string
}

interface CheckedEntry {
  type: 'checked'
  attempt: string
  /** `unclear`: what Constant Contact shows can't be told apart from this attempt (see reconcile.ts). */
  found: 'went_through' | 'not_sent' | 'unclear'
  status: EmailStatus
  scheduledFor?: string
  confirmation?: SendConfirmation
  /** Why it is unclear, in plain words. */
  reason?: string
  at: string
}

/** After a schedule was accepted: something happened to the email that can't be told apart from it. */
interface UnclearEntry {
  type: 'unclear'
  attempt: string
  reason: string
  at: string
}

/** The person's answer to an unclear attempt: it was this job's send, or it wasn't (nothing went out for it). */
interface ResolvedEntry {
  type: 'resolved'
  attempt: string
  answer: 'sent' | 'not_sent'
  at: string
}

interface RefusedEntry {
  type: 'refused'
  attempt: string
  code: string
  message: string
  at: string
}

interface UnscheduledEntry {
  type: 'unscheduled'
  attempt: string
  /** `app`: the person cancelled it here; `elsewhere`: Constant Contact no longer had it scheduled. */
  by: 'app' | 'elsewhere'
  at: string
}

interface WentOutEntry {
  type: 'went_out'
  attempt: string
  confirmation: SendConfirmation
  at: string
}

export interface CopyIntentEntry {
  type: 'copy_intent'
  attempt: string
  group: GroupKey
  original: { campaignId: string; campaignName: string }
  /** The copy's name, unique in the account when it was chosen: how a lost answer is found again. */
  name: string
  at: string
}

interface CopyCreatedEntry {
  type: 'copy_created'
  attempt: string
  campaignId: string
  activityId: string
  /** `answer`: from POST /emails; `found`: looked up by its name after the answer was lost. */
  source: 'answer' | 'found'
  at: string
}

interface CopyRefusedEntry {
  type: 'copy_refused'
  attempt: string
  code: string
  message: string
  at: string
}

export type JournalEntry =
  | IntentEntry
  | AcceptedEntry
  | CheckedEntry
  | RefusedEntry
  | UnscheduledEntry
  | WentOutEntry
  | UnclearEntry
  | ResolvedEntry
  | CopyIntentEntry
  | CopyCreatedEntry
  | CopyRefusedEntry

/** An entry as it is passed to {@link appendEntry}: the time is added there. */
export type NewEntry = WithoutTime<JournalEntry>
type WithoutTime<E> = E extends unknown ? Omit<E, 'at'> : never

function journalPath(jobDir: string): string {
  return join(jobDir, SEND_JOURNAL_FILE)
}

export function newAttemptId(): string {
  return randomUUID()
}

/**
 * Appends one entry and waits until it is on disk. A line torn by a crash is never merged with the
 * next one: a file that doesn't end with a newline gets one first.
 */
export function appendEntry<E extends NewEntry>(jobDir: string, entry: E): E & { at: string } {
  const full = { ...entry, at: new Date().toISOString() }
  const path = journalPath(jobDir)
  const created = !existsSync(path)
  const fd = openSync(path, 'a+', PRIVATE_FILE_MODE)
  try {
    const needsNewline = !created && !endsWithNewline(fd)
    writeSync(fd, `${needsNewline ? '\n' : ''}${JSON.stringify(full)}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  if (created) syncFolder(dirname(path))
  return full
}

function endsWithNewline(fd: number): boolean {
  const size = fstatSync(fd).size
  if (size === 0) return true
  const last = Buffer.alloc(1)
  readSync(fd, last, 0, 1, size - 1)
  return last[0] === 0x0a
}

/** Reads every complete entry, oldest first. A line a crash cut short is skipped. */
export function readJournal(jobDir: string): JournalEntry[] {
  const path = journalPath(jobDir)
  if (!existsSync(path)) return []
  const entries: JournalEntry[] = []
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue
    try {
      const value = JSON.parse(line) as JournalEntry
      if (value && typeof value === 'object' && typeof value.type === 'string' && typeof value.attempt === 'string')
        entries.push(value)
    } catch {
      // A torn line: its fsync never completed, so the step after it never happened.
    }
  }
  return entries
}

/** One attempt with everything recorded about it. */
export interface AttemptRecord {
  intent: IntentEntry
  accepted?: AcceptedEntry
  checked?: CheckedEntry
  refused?: RefusedEntry
  unscheduled?: UnscheduledEntry
  wentOut?: WentOutEntry
  unclear?: UnclearEntry
  resolved?: ResolvedEntry
}

/**
 * What the journal says about an attempt, before asking Constant Contact anything. `unclear`: the
 * person is asked whether it was this job's send; nothing more is sent to the group until they say.
 */
export type AttemptOutcome = 'unknown' | 'accepted' | 'not_sent' | 'cancelled' | 'unclear'

export function attemptOutcome(record: AttemptRecord): AttemptOutcome {
  if (record.resolved) return record.resolved.answer === 'sent' ? 'accepted' : 'not_sent'
  if (record.unclear || record.checked?.found === 'unclear') return 'unclear'
  if (record.unscheduled) return 'cancelled'
  if (record.accepted || record.wentOut || record.checked?.found === 'went_through') return 'accepted'
  if (record.refused || record.checked?.found === 'not_sent') return 'not_sent'
  return 'unknown'
}

/** Attempts per group, oldest first. */
export function attemptsByGroup(entries: readonly JournalEntry[]): Record<GroupKey, AttemptRecord[]> {
  const byId = new Map<string, AttemptRecord>()
  const result: Record<GroupKey, AttemptRecord[]> = { '0': [], '1': [] }
  for (const entry of entries) {
    if (entry.type === 'intent') {
      const record: AttemptRecord = { intent: entry }
      byId.set(entry.attempt, record)
      result[entry.group].push(record)
      continue
    }
    const record = byId.get(entry.attempt)
    if (!record) continue
    if (entry.type === 'accepted') record.accepted = entry
    else if (entry.type === 'checked') record.checked = entry
    else if (entry.type === 'refused') record.refused = entry
    else if (entry.type === 'unscheduled') record.unscheduled = entry
    else if (entry.type === 'went_out') record.wentOut = entry
    else if (entry.type === 'unclear') record.unclear = entry
    else if (entry.type === 'resolved') record.resolved = entry
  }
  return result
}

/** One copy with what is recorded about it. */
export interface CopyRecord {
  intent: CopyIntentEntry
  created?: CopyCreatedEntry
  refused?: CopyRefusedEntry
}

/** Every copy the job made (or started to make), oldest first. */
export function copyRecords(entries: readonly JournalEntry[]): CopyRecord[] {
  const byId = new Map<string, CopyRecord>()
  for (const entry of entries) {
    if (entry.type === 'copy_intent') byId.set(entry.attempt, { intent: entry })
    else if (entry.type === 'copy_created') {
      const record = byId.get(entry.attempt)
      if (record) record.created = entry
    } else if (entry.type === 'copy_refused') {
      const record = byId.get(entry.attempt)
      if (record) record.refused = entry
    }
  }
  return [...byId.values()]
}
