import { GROUP_KEYS } from '../../../shared/ids'
import { IMPORT_LIMITS, planGroupActivities, type ImportLimits } from './chunks'
import { contactBuilder } from './contact-json'
import { openGroupFile } from './group-file'
import type { PlannedActivity, UploadPlan } from './plan'

/**
 * Cuts every chosen group into activities, measuring each contact's JSON with the given list IDs
 * and field names. Reads every record of the job: it runs in the measure worker
 * (./measure-thread.ts), never on the thread that serves the person.
 */
export function planActivities(
  jobDir: string,
  sizing: UploadPlan['sizing'],
  limits: ImportLimits = IMPORT_LIMITS,
): PlannedActivity[] {
  const activities: PlannedActivity[] = []
  for (const group of GROUP_KEYS) {
    const listId = sizing.listIds[group]
    if (listId === undefined) continue
    const file = openGroupFile(jobDir, group)
    try {
      const builder = contactBuilder(file.header, new Map(Object.entries(sizing.fieldNames)))
      activities.push(...planGroupActivities(file, builder, listId, limits))
    } finally {
      file.close()
    }
  }
  return activities
}
