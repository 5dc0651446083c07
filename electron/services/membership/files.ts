import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { GroupKey } from '../../../shared/ids'
import type { LeaveReason } from '../../../shared/membership/schemas'
import { ensurePrivateFolderSync } from '../files/private'
import { hashFileInWorker } from '../routines/hash-thread'

/**
 * Where the membership step keeps its files in a job folder. Everything but the journal sits in
 * `membership/`: the lists' exports as Constant Contact gave them, the state of those exports, the
 * comparison with the file and, per list and reason, the contacts that would leave it.
 */
const MEMBERSHIP_DIR = 'membership'
/** The removals: append-only, fsync'ed per entry, beside the upload's journal. */
export const MEMBERSHIP_JOURNAL = 'membership-journal.jsonl'

export const MEMBERSHIP_FILES = {
  exports: `${MEMBERSHIP_DIR}/exports.json`,
  /** The plan's comparison; a later one (`tag`: a re-plan's generation, the send check) beside it. */
  comparison: (tag?: string): string => `${MEMBERSHIP_DIR}/comparison${tag ? `-${tag}` : ''}.json`,
  buckets: `${MEMBERSHIP_DIR}/.buckets`,
  bothLists: `${MEMBERSHIP_DIR}/both-lists.json`,
  export: (group: GroupKey): string => `${MEMBERSHIP_DIR}/list-${group}-export.csv`,
  /**
   * The upload's check of which contacts an import added: the list's active members exported after
   * the upload, apart from the sync's exports (made before it, they don't show what it added).
   */
  addedCheck: (group: GroupKey): string => `${MEMBERSHIP_DIR}/added-check-${group}-export.csv`,
  /** Each comparison writes its own files, so the report can still list what earlier removals took off. */
  leaving: (group: GroupKey, reason: LeaveReason, tag?: string): string =>
    `${MEMBERSHIP_DIR}/list-${group}-${reason === 'moved' ? 'moved' : 'not-in-file'}${tag ? `-${tag}` : ''}.csv`,
} as const

/** The header of a leaving file: what a removal needs (the ID) and what the report shows. */
export const LEAVING_HEADER = ['contact_id', 'email_address', 'name'] as const

export function membershipDir(jobDir: string): string {
  const dir = join(jobDir, MEMBERSHIP_DIR)
  ensurePrivateFolderSync(dir)
  return dir
}

/** SHA-256 of a file, read as a stream (an export can be tens of megabytes); undefined when it is missing. */
export async function fileSha256(path: string): Promise<string | undefined> {
  if (!existsSync(path)) return undefined
  // In the hash worker: a list's export is as large as the list, and this runs on the serving thread.
  return hashFileInWorker(path)
}
