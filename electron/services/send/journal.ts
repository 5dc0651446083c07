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
import { closeSync, existsSync, fsyncSync, openSync, readSync, fstatSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { syncFolder } from '../files/atomic-file'
import { z } from 'zod'
import {
  CopyOfSchema,
  EmailStatusSchema,
  RecipientRefSchema,
  SendConfirmationSchema,
  SendWhenSchema,
} from '../../../shared/send/schemas'
import { GroupKeySchema, type GroupKey } from '../../../shared/ids'
import { entryToWrite, entryTypes, readJournalFile, type JournalFormat, type WithoutTime } from '../files/journal-lines'
import { PRIVATE_FILE_MODE } from '../files/private'

export const SEND_JOURNAL_FILE = 'send-journal.jsonl'

const at = z.string()
const attempt = z.string()
const refusal = { code: z.string(), message: z.string() }

const IntentEntrySchema = z.object({
  type: z.literal('intent'),
  attempt,
  group: GroupKeySchema,
  campaignId: z.string(),
  campaignName: z.string(),
  activityId: z.string(),
  listId: z.string(),
  listName: z.string(),
  contacts: z.number().int().nonnegative().optional(),
  when: SendWhenSchema,
  /** The email as it was just before: used to tell afterwards whether the send went through. */
  before: z.object({ status: EmailStatusSchema, sendIds: z.array(z.number()) }),
  /** The lists or segments the group's list replaced. */
  replaced: z.array(RecipientRefSchema),
  /** Set when the campaign is a copy Splitsend made (see the copy_intent entry). */
  copyOf: CopyOfSchema.optional(),
  at,
})

const AcceptedEntrySchema = z.object({
  type: z.literal('accepted'),
  attempt,
  scheduledFor: z.string().optional(),
  confirmation: SendConfirmationSchema,
  at,
})

const CheckedEntrySchema = z.object({
  type: z.literal('checked'),
  attempt,
  /** `unclear`: what Constant Contact shows can't be told apart from this attempt (see reconcile.ts). */
  found: z.enum(['went_through', 'not_sent', 'unclear']),
  status: EmailStatusSchema,
  scheduledFor: z.string().optional(),
  confirmation: SendConfirmationSchema.optional(),
  /** Why it is unclear, in plain words. */
  reason: z.string().optional(),
  at,
})

/** After a schedule was accepted: something happened to the email that can't be told apart from it. */
const UnclearEntrySchema = z.object({ type: z.literal('unclear'), attempt, reason: z.string(), at })

/** The person's answer to an unclear attempt: it was this job's send, or it wasn't (nothing went out for it). */
const ResolvedEntrySchema = z.object({ type: z.literal('resolved'), attempt, answer: z.enum(['sent', 'not_sent']), at })

const RefusedEntrySchema = z.object({ type: z.literal('refused'), attempt, ...refusal, at })

const UnscheduledEntrySchema = z.object({
  type: z.literal('unscheduled'),
  attempt,
  /** `app`: the person cancelled it here; `elsewhere`: Constant Contact no longer had it scheduled. */
  by: z.enum(['app', 'elsewhere']),
  at,
})

const WentOutEntrySchema = z.object({ type: z.literal('went_out'), attempt, confirmation: SendConfirmationSchema, at })

const CopyIntentEntrySchema = z.object({
  type: z.literal('copy_intent'),
  attempt,
  group: GroupKeySchema,
  original: CopyOfSchema,
  /** The copy's name, unique in the account when it was chosen: how a lost answer is found again. */
  name: z.string(),
  at,
})

const CopyCreatedEntrySchema = z.object({
  type: z.literal('copy_created'),
  attempt,
  campaignId: z.string(),
  activityId: z.string(),
  /** `answer`: from POST /emails; `found`: looked up by its name after the answer was lost. */
  source: z.enum(['answer', 'found']),
  at,
})

const CopyRefusedEntrySchema = z.object({ type: z.literal('copy_refused'), attempt, ...refusal, at })

/** Every entry the send step writes, one schema per `type`: the only declaration of what a line holds. */
const SendEntrySchema = z.discriminatedUnion('type', [
  IntentEntrySchema,
  AcceptedEntrySchema,
  CheckedEntrySchema,
  RefusedEntrySchema,
  UnscheduledEntrySchema,
  WentOutEntrySchema,
  UnclearEntrySchema,
  ResolvedEntrySchema,
  CopyIntentEntrySchema,
  CopyCreatedEntrySchema,
  CopyRefusedEntrySchema,
])
export type JournalEntry = z.infer<typeof SendEntrySchema>
export type IntentEntry = z.infer<typeof IntentEntrySchema>
export type CopyIntentEntry = z.infer<typeof CopyIntentEntrySchema>
type Entry<T extends JournalEntry['type']> = Extract<JournalEntry, { type: T }>

/**
 * The send journal's rules for lines that can't be read. A line that isn't JSON was torn by a crash
 * (appendEntry starts the next entry on a line of its own): its fsync never completed, so the step
 * after it never happened, and it is skipped. A complete entry that doesn't match its schema was
 * changed after it was written: reading stops, because an attempt read without it could look
 * unsent and be sent again to thousands of people. Types of a later version are left out.
 */
const SEND_JOURNAL: JournalFormat<JournalEntry> = {
  title: 'record of sends',
  schema: SendEntrySchema,
  types: entryTypes(SendEntrySchema),
  onDamaged: (type) => (type === undefined ? 'skip' : 'stop'),
  hint: 'Nothing more is sent for this job. Check the campaigns in Constant Contact to see what went out, and send from there or from a new job.',
}

/** An entry as it is passed to {@link appendEntry}: the time is added there. */
export type NewEntry = WithoutTime<JournalEntry>

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
  const full = entryToWrite(SEND_JOURNAL, entry) as unknown as E & { at: string }
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

/** Reads every complete entry, oldest first (see SEND_JOURNAL for lines that can't be read). */
export function readJournal(jobDir: string): JournalEntry[] {
  const path = journalPath(jobDir)
  return existsSync(path) ? readJournalFile(path, SEND_JOURNAL) : []
}

/** One attempt with everything recorded about it. */
export interface AttemptRecord {
  intent: IntentEntry
  accepted?: Entry<'accepted'>
  checked?: Entry<'checked'>
  refused?: Entry<'refused'>
  unscheduled?: Entry<'unscheduled'>
  wentOut?: Entry<'went_out'>
  unclear?: Entry<'unclear'>
  resolved?: Entry<'resolved'>
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
  created?: Entry<'copy_created'>
  refused?: Entry<'copy_refused'>
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
