import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { ContractErrorData } from '../../../shared/errors'
import { syncFolder } from '../files/atomic-file'
import { crashPoint } from './crash-points'
import type { GroupKey } from '../../../shared/ids'
import type { AccountInfo, ImportCounts, StopError } from '../../../shared/upload/schemas'
import type { PlannedActivity, UploadPlan } from './plan'
import { PRIVATE_FILE_MODE } from '../files/private'

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

export type JournalEntry =
  | { type: 'plan'; at: string; plan: UploadPlan }
  | { type: 'run_started'; at: string; account?: AccountInfo }
  | { type: 'list_intent'; at: string; group: GroupKey; name: string }
  | {
      type: 'list_ready'
      at: string
      group: GroupKey
      listId: string
      name: string
      created: boolean
      memberCountBefore?: number
    }
  | { type: 'field_intent'; at: string; column: string; label: string }
  | { type: 'field_ready'; at: string; column: string; name: string; created: boolean }
  /**
   * Before a run's first send: the newest activity Constant Contact had then (the latest
   * `created_at` over every page of GET /activities, whose order is not documented). Nothing this
   * run sends can be older, which keeps reconciliation from mistaking an earlier import (of this or
   * another job) for one of ours.
   */
  | { type: 'anchor'; at: string; activityId: string | null; createdAt: string | null }
  | { type: 'submit_intent'; at: string; activity: string; attempt: number }
  | { type: 'submitted'; at: string; activity: string; attempt: number; activityId: string; createdAt?: string }
  /** After a restart: what GET /activities said about a send that may or may not have arrived. */
  /** `verify`: found by its number of contacts and time only; checked against the list when it ends. */
  | {
      type: 'reconciled'
      at: string
      activity: string
      attempt: number
      activityId: string | null
      createdAt?: string
      verify?: boolean
      /** Set when the person decided (an unclear send: "send it again"). */
      decidedBy?: 'person'
    }
  /**
   * After a lost answer: several imports could be this send (same size, same time) and it can't be
   * told which, if any. Nothing is sent again until the person says so (a `reconciled` entry with
   * `activityId: null` and `decidedBy: 'person'`).
   */
  | {
      type: 'unclear'
      at: string
      activity: string
      attempt: number
      candidates: Array<{ activityId: string; createdAt?: string; items?: number }>
    }
  | { type: 'rejected'; at: string; activity: string; attempt: number; error: ContractErrorData }
  /**
   * Constant Contact refused the request with 400 (a value it won't take, most likely): its contacts
   * are sent again in two halves, each an activity of its own (`parts`), until each refused contact
   * is alone in a request and named with Constant Contact's reason.
   */
  | {
      type: 'split'
      at: string
      activity: string
      attempt: number
      error: ContractErrorData
      parts: PlannedActivity[]
    }
  | {
      type: 'finished'
      at: string
      activity: string
      attempt: number
      activityId: string
      createdAt?: string
      state: string
      counts: ImportCounts
      errors: string[]
      /** Error lines beyond those kept here. */
      moreErrors?: number
    }
  /**
   * After a completed import whose counts say some contacts weren't added: which of its records
   * are not on the group's list, from Constant Contact's error lines when they name them all, else
   * from the list's members, as a bitmap over the activity's records (see record-set.ts). report.csv
   * follows it row by row. (A new type rather than a new form of `members_checked`: a version that
   * only knows the old one skips it and says "check this contact" instead of misreading it.)
   */
  | { type: 'not_on_list'; at: string; activity: string; attempt: number; bitmap: string }
  /** The same, as written until the bitmap: the offsets from the activity's first, in a list. Still read. */
  | { type: 'members_checked'; at: string; activity: string; attempt: number; notOnList: number[] }
  | { type: 'stopped'; at: string; error: StopError }
  | { type: 'cancelled'; at: string }
  | { type: 'completed'; at: string }
  | { type: string; at: string; [key: string]: unknown }

/** Keeps the first error lines of an activity in the journal; the rest are only counted. */
export const MAX_ERROR_LINES_KEPT = 200

/** Any journal's entries: a type and when it was written; readers skip types they don't know. */
export interface AnyEntry {
  type: string
  at: string
}

/**
 * An append-only JSON-lines journal in a job folder: the upload's (`upload-journal.jsonl`, the
 * default) or another step's that keeps the same promises (the membership step's).
 */
export class Journal<E extends AnyEntry = JournalEntry> {
  private fd: number | undefined
  private readonly hooks: JournalHooks

  private constructor(
    readonly path: string,
    readonly entries: E[],
    hooks: JournalHooks,
  ) {
    this.hooks = hooks
  }

  /** Opens (creating if needed) the journal of a job folder and reads what it holds. */
  static open<E extends AnyEntry = JournalEntry>(
    jobDir: string,
    hooks: JournalHooks = defaultHooks(),
    fileName = JOURNAL_FILE,
  ): Journal<E> {
    const path = join(jobDir, fileName)
    const isNew = !existsSync(path)
    const entries = isNew ? [] : (readEntries(path, true) as E[])
    const journal = new Journal<E>(path, entries, hooks)
    journal.fd = openSync(path, 'a', PRIVATE_FILE_MODE)
    if (isNew) syncFolder(dirname(path))
    return journal
  }

  /** Appends one entry and waits until it is on disk. */
  append<T extends E>(entry: Omit<T, 'at'> & { at?: string }): T {
    if (this.fd === undefined) throw new Error(`The journal ${this.path} is closed`)
    const full = { ...entry, at: entry.at ?? new Date().toISOString() } as unknown as T
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

/** Reads a journal without opening it for writing (reports, the list of unfinished jobs). */
export function readJournal<E extends AnyEntry = JournalEntry>(
  jobDir: string,
  fileName = JOURNAL_FILE,
): E[] | undefined {
  const path = join(jobDir, fileName)
  return existsSync(path) ? (readEntries(path, false) as E[]) : undefined
}

/**
 * Parses the lines. A crash in the middle of a write can leave a last line without its newline:
 * it was never confirmed to the caller, so it is dropped (and, when `repair`, cut off the file so
 * the next entry starts on a line of its own).
 */
function readEntries(path: string, repair: boolean): JournalEntry[] {
  const text = readFileSync(path, 'utf8')
  const complete = text.lastIndexOf('\n') + 1
  if (repair && complete < Buffer.byteLength(text)) {
    const fd = openSync(path, 'r+')
    try {
      ftruncateSync(fd, Buffer.byteLength(text.slice(0, complete)))
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  }
  const entries: JournalEntry[] = []
  for (const line of text.slice(0, complete).split('\n')) {
    if (!line.trim()) continue
    try {
      entries.push(JSON.parse(line) as JournalEntry)
    } catch {
      // A damaged line (disk trouble) is skipped; the reconciliation step covers what it said.
    }
  }
  return entries
}

/** Called after every entry is on disk (the crash tests stop the process here). */
export interface JournalHooks {
  afterAppend(entry: AnyEntry, count: number): void
}

function defaultHooks(): JournalHooks {
  return { afterAppend: () => crashPoint('journal') }
}
