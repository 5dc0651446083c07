import { createHash } from 'node:crypto'
import { closeSync, existsSync, openSync, readSync } from 'node:fs'
import { join } from 'node:path'
import type { LeaveReason } from '../../../shared/membership/schemas'
import { POLICY_EXPLANATIONS, POLICY_LABELS, REMOVAL_IS_NOT_DELETION } from '../../../shared/membership/words'
import type { GroupKey } from '../../../shared/ids'
import type { ReportSection } from '../../../shared/upload/schemas'
import { GROUP_KEYS } from '../../../shared/ids'
import { forEachCsvRecordSync } from './csv-records'
import type { BatchState, MembershipState } from './journal-state'
import { readMembershipState } from './run'

/**
 * The membership step's part of the job's report, from its journal and leaving files alone: per
 * list how many moved out and how many were removed for not being in the file, and for report.csv
 * one line per contact taken off a list (or meant to be), with why.
 */
export type RemovalStatus = 'removed' | 'not_removed' | 'unsure' | 'counted_done' | 'pending'

export interface RemovalLine {
  email: string
  group: GroupKey
  listName: string
  reason: LeaveReason
  status: RemovalStatus
  activityId?: string
}

export interface MembershipCounts {
  /** Confirmed by Constant Contact: off the list because they are in the other group. */
  movedOut: number
  /** Confirmed: off the list because they are in neither group of the file. */
  removed: number
  /** Meant to leave, not confirmed (failed, refused, unsure, counted as done by the person, or not yet sent). */
  notRemoved: number
}

export const STATUS_WORDS: Record<RemovalStatus, string> = {
  removed: 'Removed from the list',
  not_removed: 'Not removed from the list',
  unsure: 'Not known whether it was removed',
  counted_done: 'Counted as removed (not confirmed by Constant Contact)',
  pending: 'Not removed yet',
}

/** A removal's outcome, as a report line says it. */
function statusOf(b: BatchState): RemovalStatus {
  if (b.phase === 'ask') return 'unsure'
  if (b.phase !== 'done') return 'pending'
  if (b.assumedDone) return 'counted_done'
  return b.last?.state === 'completed' ? 'removed' : 'not_removed'
}

export function membershipCounts(state: MembershipState | undefined): Partial<Record<GroupKey, MembershipCounts>> {
  const counts: Partial<Record<GroupKey, MembershipCounts>> = {}
  if (!state?.plan || state.plan.policy === 'add') return counts
  for (const group of GROUP_KEYS)
    if (state.plan.lists[group]) counts[group] = { movedOut: 0, removed: 0, notRemoved: 0 }
  for (const b of state.batches.values()) {
    const row = counts[b.batch.group]
    if (!row || b.superseded) continue
    if (statusOf(b) !== 'removed') row.notRemoved += b.batch.count
    else if (b.batch.reason === 'moved') row.movedOut += b.batch.count
    else row.removed += b.batch.count
  }
  return counts
}

/**
 * Every contact of every removal (those a later plan replaced aside), with its outcome. Returns
 * warnings for removals whose contacts can't be listed (their file changed since).
 */
export function forEachRemovalLine(jobDir: string, each: (line: RemovalLine) => void): string[] {
  const state = readMembershipState(jobDir)
  const warnings: string[] = []
  if (!state?.plan) return warnings
  const byFile = new Map<string, BatchState[]>()
  for (const b of state.batches.values()) {
    if (b.superseded) continue
    const key = `${b.batch.file}\u0000${b.batch.sha256}`
    byFile.set(key, [...(byFile.get(key) ?? []), b])
  }
  for (const batches of byFile.values()) {
    const { file, sha256, group, reason } = batches[0]!.batch
    const listName = state.plan.lists[group]?.listName ?? ''
    const path = join(jobDir, file)
    if (!existsSync(path) || fileSha256Sync(path) !== sha256) {
      const contacts = batches.reduce((n, b) => n + b.batch.count, 0)
      warnings.push(
        `The ${contacts.toLocaleString('en-US')} contacts of the removals from “${listName}” can’t be listed one by one: the file that listed them changed since.`,
      )
      continue
    }
    const ordered = [...batches].sort((a, b) => a.batch.first - b.batch.first)
    let seen = 0
    let at = 0
    forEachCsvRecordSync(path, `The file ${file}`, (cells) => {
      if (seen++ === 0) return // the header
      const record = seen - 2
      while (at < ordered.length && record >= ordered[at]!.batch.first + ordered[at]!.batch.count) at++
      const b = ordered[at]
      if (!b || record < b.batch.first) return
      const activityId = b.activityId ?? b.last?.activityId
      each({
        email: cells[1] ?? '',
        group,
        listName,
        reason,
        status: statusOf(b),
        ...(activityId ? { activityId } : {}),
      })
    })
  }
  return warnings
}

/** The section of report.html: what was chosen, and per list what left it. */
export function membershipReportSection(
  jobDir: string,
  groupNames: Record<GroupKey, string>,
): ReportSection | undefined {
  const state = readMembershipState(jobDir)
  const plan = state?.plan ?? state?.choice
  if (!state || !plan) return undefined
  const counts = membershipCounts(state)
  const paragraphs = [`${POLICY_LABELS[plan.policy]}. ${POLICY_EXPLANATIONS[plan.policy]}`, REMOVAL_IS_NOT_DELETION]
  if (!state.plan) paragraphs.push('The removals start once the upload has finished.')
  const rows = GROUP_KEYS.filter((g) => counts[g]).map((g) => [
    `${plan.lists[g]?.listName ?? ''} (${groupNames[g]})`,
    counts[g]!.movedOut.toLocaleString('en-US'),
    counts[g]!.removed.toLocaleString('en-US'),
    counts[g]!.notRemoved.toLocaleString('en-US'),
  ])
  return {
    title: 'Lists that match the file',
    paragraphs,
    ...(rows.length
      ? {
          table: {
            headers: ['List', 'Moved out (flag changed)', 'Removed (not in the file)', 'Not removed'],
            rows,
          },
        }
      : {}),
  }
}

function fileSha256Sync(path: string): string {
  const hash = createHash('sha256')
  const fd = openSync(path, 'r')
  const chunk = Buffer.allocUnsafe(1 << 20)
  try {
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null)
      if (n === 0) break
      hash.update(chunk.subarray(0, n))
    }
  } finally {
    closeSync(fd)
  }
  return hash.digest('hex')
}
