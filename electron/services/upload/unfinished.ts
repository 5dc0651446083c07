import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { readJournal } from './journal'
import { replayJournal } from './journal-state'
import { dispositionOf } from './outcomes'
import type { UnfinishedUploadView } from '../../../shared/upload/schemas'

/** A job in the jobs folder whose upload started but didn't finish. */
export type UnfinishedUpload = UnfinishedUploadView & { jobDir: string }

/**
 * Jobs in the jobs folder (`<dataDir>/jobs`) whose upload started and didn't finish: interrupted
 * (the app quit or crashed mid-run), stopped on a problem (sign-in ended, daily allowance, no
 * network), or cancelled with activities left. Newest first. The app offers to resume them.
 * Cancelled jobs are left out unless `includeCancelled`, since the person chose to stop those.
 */
export function listUnfinishedJobs(jobsDir: string, options: { includeCancelled?: boolean } = {}): UnfinishedUpload[] {
  let names: string[]
  try {
    names = readdirSync(jobsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
  } catch {
    return []
  }
  const found: UnfinishedUpload[] = []
  for (const name of names) {
    const jobDir = join(jobsDir, name)
    const entries = readJournal(jobDir)
    if (!entries) continue
    const state = replayJournal(entries)
    const plan = state.plan
    if (!plan || state.ending?.type === 'completed') continue
    const status =
      state.ending?.type === 'stopped' ? 'stopped' : state.ending?.type === 'cancelled' ? 'cancelled' : 'interrupted'
    const activities = [...state.activities.values()]
    const finished = activities.filter((a) => ['completed', 'failed', 'rejected'].includes(dispositionOf(a))).length
    if (status === 'cancelled' && (!options.includeCancelled || finished === activities.length)) continue
    found.push({
      jobDir,
      jobId: name,
      sourceFile: plan.sourceFile,
      startedAt: state.startedAt ?? entries[0]!.at,
      lastActivityAt: state.lastAt ?? entries[0]!.at,
      status,
      ...(state.ending?.error ? { error: state.ending.error } : {}),
      activitiesTotal: activities.length,
      activitiesFinished: finished,
      lists: plan.groups
        .filter((g) => !g.skipped && g.list)
        .map((g) => ({ group: g.group, name: state.lists[g.group]?.name ?? g.list!.name })),
    })
  }
  return found.sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt))
}
