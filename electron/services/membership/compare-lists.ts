import { join, resolve } from 'node:path'
import type { GroupKey } from '../../../shared/prepare/types'
import type { CcClient } from '../constant-contact/client'
import type { Activity } from '../constant-contact/types'
import { GROUP_KEYS } from '../upload/types'
import type { CompareInput, ComparisonRecord } from './compare'
import { compareInWorker } from './compare-thread'
import { exportList, type ExportOptions } from './export-list'
import { MEMBERSHIP_FILES } from './files'

/** A list of the upload: one that exists (`listId`), or one the upload will create (no members yet). */
export interface UploadList {
  listId?: string
  listName: string
}

export interface CompareListsOptions extends ExportOptions {
  /** Called as the work moves on: reading a list's members (by group), then comparing. */
  onStep?: (step: { kind: 'reading'; group: GroupKey; status?: Activity } | { kind: 'comparing' }) => void
  /** Runs the comparison (default: in a worker thread); tests and the command may run it in place. */
  compare?: (input: CompareInput) => Promise<ComparisonRecord>
}

/**
 * Reads each existing list's members (an export, or the saved one while it can be trusted) and
 * compares them with the file's groups: what each choice would do to each list, and the contacts
 * that would leave. Changes nothing in Constant Contact.
 */
export async function compareLists(
  jobDir: string,
  client: CcClient,
  lists: Partial<Record<GroupKey, UploadList>>,
  options: CompareListsOptions = {},
): Promise<ComparisonRecord> {
  const dir = resolve(jobDir)
  const input: CompareInput = { jobDir: dir, lists: {} }
  for (const group of GROUP_KEYS) {
    const list = lists[group]
    if (!list) continue
    if (!list.listId) {
      input.lists[group] = { listId: '', listName: list.listName, exportedAt: new Date().toISOString() }
      continue
    }
    options.onStep?.({ kind: 'reading', group })
    const saved = await exportList(dir, client, group, list.listId, {
      ...options,
      onStatus: (status) => options.onStep?.({ kind: 'reading', group, status }),
    })
    input.lists[group] = {
      listId: list.listId,
      listName: list.listName,
      export: { path: join(dir, MEMBERSHIP_FILES.export(group)), sha256: saved.sha256! },
      exportedAt: saved.requestedAt,
    }
  }
  options.onStep?.({ kind: 'comparing' })
  return (options.compare ?? compareInWorker)(input)
}
