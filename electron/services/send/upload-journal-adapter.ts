/**
 * Reads what the upload did from the upload engine's own journal (`upload-journal.jsonl`): each
 * group's list, the contacts Constant Contact reported as added (`person_count` of its completed
 * activities), and whether every activity of the group is done. Read only; the send step never
 * writes the upload journal.
 */
import { loadUploadState } from '../upload/index'
import { dispositionOf, type ActivityDisposition } from '../upload/outcomes'
import type { UploadOutcomeSource } from './upload-outcome'
import { GROUP_KEYS } from '../../../shared/ids'
import type { UploadOutcome } from '../../../shared/send/schemas'

const FINAL: ReadonlySet<ActivityDisposition> = new Set(['completed', 'failed', 'rejected'])

export const uploadJournalOutcomes: UploadOutcomeSource = async (jobDir) => {
  const state = await loadUploadState(jobDir)
  if (!state) return []
  const outcomes: UploadOutcome[] = []
  for (const group of GROUP_KEYS) {
    const list = state.lists[group]
    if (!list) continue
    const activities = [...state.activities.values()].filter((a) => a.planned.group === group)
    const dispositions = activities.map((a) => ({ a, d: dispositionOf(a) }))
    const contactsAdded = dispositions.reduce(
      (sum, { a, d }) =>
        sum + (d === 'completed' || d === 'failed' ? Math.min(a.planned.count, a.last?.counts.person_count ?? 0) : 0),
      0,
    )
    // Finished: nothing of the group is left to send or to follow (failed and refused ones are final).
    const finished = dispositions.length > 0 && dispositions.every(({ d }) => FINAL.has(d))
    const notCompleted = dispositions.filter(({ d }) => d !== 'completed').length
    outcomes.push({
      group,
      listId: list.listId,
      listName: list.name,
      contactsAdded,
      finished,
      ...(finished && notCompleted ? { activitiesNotCompleted: notCompleted } : {}),
    })
  }
  return outcomes
}
