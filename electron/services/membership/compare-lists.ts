import { join, resolve } from 'node:path'
import type { GroupKey } from '../../../shared/ids'
import type { CcClient } from '../constant-contact/client'
import type { Activity } from '../constant-contact/types'
import { GROUP_KEYS } from '../../../shared/ids'
import type { ComparisonRecord, ComparisonStart } from './compare'
import { startComparisonHere, startComparisonInWorker } from './compare-thread'
import { exportList, type ExportOptions } from './export-list'
import { MEMBERSHIP_FILES } from './files'

/** A list of the upload: one that exists (`listId`), or one the upload will create (no members yet). */
export interface UploadList {
  listId?: string
  listName: string
  /** Its members now, when known (sizes the comparison's buckets). */
  memberCount?: number
}

export interface CompareListsOptions extends Omit<ExportOptions, 'sink'> {
  /** Called as the work moves on: reading a list's members (by group), then comparing. */
  onStep?: (step: { kind: 'reading'; group: GroupKey; status?: Activity } | { kind: 'comparing' }) => void
  /** Where the comparison runs: a worker thread (default), or this thread (tests). */
  comparison?: 'worker' | 'here'
  /** Names the comparison's files apart from the plan's (a re-plan, the send check). */
  tag?: string
  /** The send check: compare the lists with each other even where the job has no prepared files. */
  listsOnly?: boolean
  /** False: each export is read from its file once downloaded (bench:sync measures both ways side by side). */
  readWhileDownloading?: boolean
}

/**
 * Reads each existing list's members (an export, or the saved one while it can be trusted) and
 * compares them with the file's groups: what each choice would do to each list, and the contacts
 * that would leave. The file's side of the comparison is done while Constant Contact prepares the
 * exports, and each export is read as it downloads (a saved one, from its file). Changes nothing in
 * Constant Contact.
 */
export async function compareLists(
  jobDir: string,
  client: CcClient,
  lists: Partial<Record<GroupKey, UploadList>>,
  options: CompareListsOptions = {},
): Promise<ComparisonRecord> {
  const dir = resolve(jobDir)
  const start: ComparisonStart = {
    jobDir: dir,
    lists: {},
    ...(options.tag ? { tag: options.tag } : {}),
    ...(options.listsOnly ? { listsOnly: true } : {}),
  }
  const now = new Date().toISOString()
  for (const group of GROUP_KEYS) {
    const list = lists[group]
    if (!list) continue
    start.lists[group] = {
      listId: list.listId ?? '',
      listName: list.listName,
      exportedAt: now,
      ...(list.memberCount !== undefined ? { memberCount: list.memberCount } : {}),
    }
  }
  const job = (options.comparison === 'here' ? startComparisonHere : startComparisonInWorker)(start)
  try {
    // Both lists at once: Constant Contact works on the two exports side by side.
    await Promise.all(
      GROUP_KEYS.map(async (group) => {
        const list = lists[group]
        if (!list?.listId) return
        options.onStep?.({ kind: 'reading', group })
        const saved = await exportList(dir, client, group, list.listId, {
          ...options,
          onStatus: (status) => options.onStep?.({ kind: 'reading', group, status }),
          ...(options.readWhileDownloading !== false ? { sink: job.exportSink(group) } : {}),
        })
        job.addExport(group, {
          path: join(dir, MEMBERSHIP_FILES.export(group)),
          sha256: saved.sha256!,
          exportedAt: saved.requestedAt,
        })
      }),
    )
  } catch (error) {
    job.cancel()
    throw error
  }
  options.onStep?.({ kind: 'comparing' })
  return job.finish()
}
