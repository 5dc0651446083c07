import { closeSync, existsSync, fsyncSync, openSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { ContractErrorDataSchema } from '../../../shared/errors'
import { syncFolder } from '../files/atomic-file'
import { crashPoint } from './crash-points'
import { GroupKeySchema } from '../../../shared/ids'
import { AccountInfoSchema, ImportCountsSchema, StopErrorSchema } from '../../../shared/upload/schemas'
import { ActivityAnchorSchema, PlannedActivitySchema, UploadPlanSchema } from './plan'
import { PRIVATE_FILE_MODE } from '../files/private'
import {
  entryToWrite,
  entryTypes,
  readJournalFile,
  readJournalFileAsync,
  type AnyEntry,
  type JournalFormat,
  type WithoutTime,
} from '../files/journal-lines'

/**
 * The job's journal: `upload-journal.jsonl` in the job folder, one JSON object per line, appended
 * and fsync'ed before the caller makes its next call to Constant Contact. It is the only record of
 * what was sent, so a restart (after a quit, a crash or a lost network) reads it to know what is
 * done, what is in flight and what may or may not have reached Constant Contact.
 *
 * The order of entries for one activity is: `submit_intent` → `submitted` (or, after a restart,
 * `reconciled`, or `unclear` until the person decides) → `finished`. Later steps (Send) append their own entry types; readers skip types
 * they don't know.
 */
export const JOURNAL_FILE = 'upload-journal.jsonl'

const at = z.string()
const attempt = z.number().int().nonnegative()
const step = { at, activity: z.string(), attempt }
/**
 * Offsets of records in an activity, checked in one pass rather than with a schema per number: an
 * older journal holds up to 40,000 per activity (see ARCHITECTURE.md on reading journals).
 */
const recordOffsets = z.custom<number[]>(
  (value) => Array.isArray(value) && value.every((n) => Number.isSafeInteger(n) && (n as number) >= 0),
  'a list of record numbers',
)

/** Every entry the upload writes, one schema per `type`: the only declaration of what a line holds. */
const UploadEntrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('plan'), at, plan: UploadPlanSchema }),
  z.object({ type: z.literal('run_started'), at, account: AccountInfoSchema.optional() }),
  z.object({ type: z.literal('list_intent'), at, group: GroupKeySchema, name: z.string() }),
  z.object({
    type: z.literal('list_ready'),
    at,
    group: GroupKeySchema,
    listId: z.string(),
    name: z.string(),
    created: z.boolean(),
    memberCountBefore: z.number().int().nonnegative().optional(),
  }),
  z.object({ type: z.literal('field_intent'), at, column: z.string(), label: z.string() }),
  z.object({ type: z.literal('field_ready'), at, column: z.string(), name: z.string(), created: z.boolean() }),
  /**
   * Before a run's first send: the newest activity Constant Contact had then (the latest
   * `created_at` over every page of GET /activities, whose order is not documented). Nothing this
   * run sends can be older, which keeps reconciliation from mistaking an earlier import (of this or
   * another job) for one of ours.
   */
  ActivityAnchorSchema.extend({ type: z.literal('anchor'), at }),
  z.object({ type: z.literal('submit_intent'), ...step }),
  z.object({
    type: z.literal('submitted'),
    ...step,
    activityId: z.string(),
    createdAt: z.string().optional(),
  }),
  /**
   * After a restart: what GET /activities said about a send that may or may not have arrived.
   * `verify`: found by its number of contacts and time only; checked against the list when it ends.
   */
  z.object({
    type: z.literal('reconciled'),
    ...step,
    activityId: z.string().nullable(),
    createdAt: z.string().optional(),
    verify: z.boolean().optional(),
    /** Set when the person decided (an unclear send: "send it again"). */
    decidedBy: z.literal('person').optional(),
  }),
  /**
   * After a lost answer: several imports could be this send (same size, same time) and it can't be
   * told which, if any. Nothing is sent again until the person says so (a `reconciled` entry with
   * `activityId: null` and `decidedBy: 'person'`).
   */
  z.object({
    type: z.literal('unclear'),
    ...step,
    candidates: z
      .array(
        z.object({
          activityId: z.string(),
          createdAt: z.string().optional(),
          items: z.number().int().nonnegative().optional(),
        }),
      )
      .default([]),
  }),
  z.object({ type: z.literal('rejected'), ...step, error: ContractErrorDataSchema }),
  /**
   * Constant Contact refused the request with 400 (a value it won't take, most likely): its contacts
   * are sent again in two halves, each an activity of its own (`parts`), until each refused contact
   * is alone in a request and named with Constant Contact's reason.
   */
  z.object({
    type: z.literal('split'),
    ...step,
    error: ContractErrorDataSchema,
    parts: z.array(PlannedActivitySchema),
  }),
  z.object({
    type: z.literal('finished'),
    ...step,
    activityId: z.string(),
    createdAt: z.string().optional(),
    state: z.string(),
    counts: ImportCountsSchema,
    errors: z.array(z.string()).default([]),
    /** Error lines beyond those kept here. */
    moreErrors: z.number().int().nonnegative().default(0),
  }),
  /**
   * After a completed import whose counts say some contacts weren't added: which of its records
   * are not on the group's list, from Constant Contact's error lines when they name them all, else
   * from the list's members, as a bitmap over the activity's records (see record-set.ts). report.csv
   * follows it row by row. (A new type rather than a new form of `members_checked`: a version that
   * only knows the old one skips it and says "check this contact" instead of misreading it.)
   */
  z.object({ type: z.literal('not_on_list'), ...step, bitmap: z.string() }),
  /** The same, as written until the bitmap: the offsets from the activity's first, in a list. Still read. */
  z.object({ type: z.literal('members_checked'), ...step, notOnList: recordOffsets }),
  z.object({ type: z.literal('stopped'), at, error: StopErrorSchema }),
  z.object({ type: z.literal('cancelled'), at }),
  z.object({ type: z.literal('completed'), at }),
])
export type UploadEntry = z.infer<typeof UploadEntrySchema>
/** An entry as the upload writes it: the time is added when it is appended, defaults when it is read. */
export type NewUploadEntry = WithoutTime<z.input<typeof UploadEntrySchema>>

/** An entry of a type this version doesn't know (written by a later one): kept as it is. */
type OtherEntry = AnyEntry & { [key: string]: unknown }
export type JournalEntry = UploadEntry | OtherEntry

const UPLOAD_TYPES = entryTypes(UploadEntrySchema)

/** Whether an entry is one of the upload's own (its fields checked when it was read). */
export function isUploadEntry(entry: JournalEntry): entry is UploadEntry {
  return UPLOAD_TYPES.has(entry.type)
}

/** Entries the rest of the journal hangs on: without them the later entries can't be placed. */
const FOUNDATIONS: ReadonlySet<string> = new Set(['plan', 'split'])

/**
 * The upload journal's rules for lines that can't be read: a damaged step of an activity (disk
 * trouble, an edit) is skipped, never trusted. What it said is asked of Constant Contact again: an
 * activity whose answer is missing is reconciled, and at worst an import is sent again, which only
 * updates the same contacts. A damaged plan or split stops, as does a line whose type can't be
 * read: every later entry of their activities would be dropped, and the job would say nothing was
 * uploaded when contacts were.
 */
const UPLOAD_JOURNAL: JournalFormat<JournalEntry> = {
  title: 'upload record',
  schema: UploadEntrySchema,
  types: UPLOAD_TYPES,
  unknown: (entry) => entry as OtherEntry,
  onDamaged: (type) => (type === undefined || FOUNDATIONS.has(type) ? 'stop' : 'skip'),
  hint: 'Prepare the file again and upload the new job: contacts already added are only updated.',
}

/** Keeps the first error lines of an activity in the journal; the rest are only counted. */
export const MAX_ERROR_LINES_KEPT = 200

/**
 * An append-only JSON-lines journal in a job folder: the upload's (`upload-journal.jsonl`) or
 * another step's that keeps the same promises (the membership step's), each read through its
 * format (./files/journal-lines.ts).
 */
export class Journal<E extends AnyEntry> {
  private fd: number | undefined
  private readonly hooks: JournalHooks

  private constructor(
    readonly path: string,
    private readonly format: JournalFormat<E>,
    readonly entries: E[],
    hooks: JournalHooks,
  ) {
    this.hooks = hooks
  }

  /**
   * Opens (creating if needed) the journal of a job folder and reads what it holds, in pieces
   * that leave the thread free between them (it grows with the job).
   */
  static async open<E extends AnyEntry>(
    jobDir: string,
    format: JournalFormat<E>,
    fileName: string,
    hooks: JournalHooks = defaultHooks(),
  ): Promise<Journal<E>> {
    const path = join(jobDir, fileName)
    const isNew = !existsSync(path)
    const entries = isNew ? [] : await readJournalFileAsync(path, format, true)
    const journal = new Journal<E>(path, format, entries, hooks)
    journal.fd = openSync(path, 'a', PRIVATE_FILE_MODE)
    if (isNew) syncFolder(dirname(path))
    return journal
  }

  /** Appends one entry (its fields without the time), checked as it will be read back, and waits until it is on disk. */
  append(entry: object): E {
    if (this.fd === undefined) throw new Error(`The journal ${this.path} is closed`)
    const full = entryToWrite(this.format, entry)
    writeSync(this.fd, `${JSON.stringify(full)}\n`)
    fsyncSync(this.fd)
    this.entries.push(full)
    this.hooks.afterAppend(full, this.entries.length)
    return full
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd)
    this.fd = undefined
  }
}

/** Opens the upload journal of a job folder. */
export function openUploadJournal(jobDir: string): Promise<Journal<JournalEntry>> {
  return Journal.open(jobDir, UPLOAD_JOURNAL, JOURNAL_FILE)
}

/** Reads the upload journal without opening it for writing (the report's worker, the command), or undefined when there is none. */
export function readJournal(jobDir: string): JournalEntry[] | undefined {
  const path = join(jobDir, JOURNAL_FILE)
  return existsSync(path) ? readJournalFile(path, UPLOAD_JOURNAL) : undefined
}

/** The same, read in pieces that leave the thread free between them (the Jobs view, an upload's status). */
export async function loadJournal(jobDir: string): Promise<JournalEntry[] | undefined> {
  const path = join(jobDir, JOURNAL_FILE)
  return existsSync(path) ? readJournalFileAsync(path, UPLOAD_JOURNAL) : undefined
}

/** Called after every entry is on disk (the crash tests stop the process here). */
export interface JournalHooks {
  afterAppend(entry: AnyEntry, count: number): void
}

function defaultHooks(): JournalHooks {
  return { afterAppend: () => crashPoint('journal') }
}
