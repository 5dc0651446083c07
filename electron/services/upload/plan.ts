import { z } from 'zod'
import { resolve } from 'node:path'
import type { PrepareSummary } from '../prepare/job-files'
import type { CcClient } from '../constant-contact/client'
import { CC_LIMITS } from '../constant-contact/limits'
import { allCustomFields, lookUpList, matchCustomField } from './account-lookups'
import { IMPORT_LIMITS, ImportLimitsSchema, LIST_ID_FOR_SIZING, type ImportLimits } from './chunks'
import { measureActivities } from './measure-thread'
import { customFieldColumns, readPreparedSummary } from './prepared-job'
import { guessedSpeed, type AccountSpeed } from './rates'
import { newestActivity } from './reconcile'
import { GROUP_KEYS, GroupKeySchema, type GroupKey } from '../../../shared/ids'
import {
  UploadPlanViewSchema,
  type PlannedCustomField,
  type PlannedGroup,
  type UploadChoices,
} from '../../../shared/upload/schemas'

const position = z.number().int().nonnegative()

/** One contacts_json_import: a run of consecutive records of a group file. */
export const PlannedActivitySchema = UploadPlanViewSchema.shape.activities.element.extend({
  /** First record (0-based) of the group file (`count` says how many). */
  first: position,
  /** Bytes of the request body as it will be sent (list ID included, measured, not estimated). */
  bodyBytes: position,
  /** SHA-256 of the serialised `import_data`, so a changed prepared file is never sent by mistake. */
  contactsSha256: z.string(),
})
export type PlannedActivity = z.infer<typeof PlannedActivitySchema>

/** The newest activity Constant Contact had at some moment (none: the account had none). */
export const ActivityAnchorSchema = z.object({ activityId: z.string().nullable(), createdAt: z.string().nullable() })

/** A plan as the engine keeps it (and the journal records it): the person's view, and how to carry it out. */
export const UploadPlanSchema = UploadPlanViewSchema.omit({ planId: true, activities: true, membership: true }).extend({
  jobDir: z.string(),
  activities: z.array(PlannedActivitySchema),
  /**
   * What the activity sizes were measured with: each group's list ID (a stand-in UUID for a list
   * still to be created) and each custom-field column's name in Constant Contact. If the real ones
   * differ when the run starts, the activities are measured again before anything is sent.
   */
  sizing: z.object({
    listIds: z.partialRecord(GroupKeySchema, z.string()),
    fieldNames: z.record(z.string(), z.string()),
  }),
  /** The limits the activities were cut to (Constant Contact's; smaller only in tests). */
  limits: ImportLimitsSchema,
  /**
   * The newest activity Constant Contact had when the plan was made. A run started soon after takes
   * it as its anchor (see reconcile.ts) instead of reading every activity again.
   */
  anchor: ActivityAnchorSchema.optional(),
})
export type UploadPlan = z.infer<typeof UploadPlanSchema>

/** Status checks an activity needs on average with the adaptive interval (see poll-schedule.ts). */
const ASSUMED_POLLS_PER_ACTIVITY = 3

export interface PlanOptions {
  signal?: AbortSignal
  /** The account's measured upload speed, for the plan's duration (see rates.ts). */
  speed?: AccountSpeed
  /** Tests only: smaller limits. */
  limits?: ImportLimits
}

/**
 * Looks at the prepared job and the account, and says what an upload would do: which list each
 * group goes to (and whether it must be created, or already has members), which custom fields are
 * missing, how the groups are cut into import activities, and roughly how long it takes. Changes
 * nothing in Constant Contact. Problems that prevent starting are in `blockers`.
 */
export async function planUpload(
  jobDir: string,
  client: CcClient,
  choices: UploadChoices,
  options: PlanOptions = {},
): Promise<UploadPlan> {
  const dir = resolve(jobDir)
  const summary = readPreparedSummary(dir)
  const warnings: string[] = []
  const blockers: string[] = []
  const groups: PlannedGroup[] = []

  const chosen = GROUP_KEYS.filter((g) => choices.lists[g].kind !== 'skip')
  if (chosen.length === 0) blockers.push('Choose a list for at least one of the two groups.')

  for (const group of GROUP_KEYS) {
    const choice = choices.lists[group]
    const groupName = summary.groupNames[group]
    const contacts = summary.groups[group]
    if (choice.kind === 'skip') {
      groups.push({ group, groupName, skipped: true, contacts, activities: 0 })
      continue
    }
    const found = await lookUpList(client, choice, options.signal)
    if (found) {
      groups.push({ group, groupName, skipped: false, list: found, contacts, activities: 0 })
      if (found.memberCount) {
        warnings.push(
          `The list “${found.name}” (for “${groupName}”) already has ${found.memberCount.toLocaleString('en-US')} ${found.memberCount === 1 ? 'member' : 'members'}. ` +
            'The contacts of this file are added to them (and updated where the address is already there); who, if anyone, leaves it is the choice for the contacts already on the lists.',
        )
      }
      continue
    }
    if (choice.kind === 'existing') {
      blockers.push(`The list chosen for “${groupName}” no longer exists in Constant Contact. Choose another list.`)
      groups.push({
        group,
        groupName,
        skipped: false,
        list: { name: choice.listId, exists: false },
        contacts,
        activities: 0,
      })
      continue
    }
    groups.push({
      group,
      groupName,
      skipped: false,
      list: { name: choice.name, exists: false },
      contacts,
      activities: 0,
    })
    if (!choices.createLists)
      blockers.push(
        `There is no list named “${choice.name}” in Constant Contact. Allow Splitsend to create it, or check the name.`,
      )
  }
  sameListCheck(groups, blockers)
  for (const g of groups) {
    if (g.list && !g.list.exists && choices.createLists && choices.lists[g.group].kind === 'name')
      warnings.push(`A new list “${g.list.name}” will be created for “${g.groupName}”.`)
  }

  const customFields = await planCustomFields(client, summary, choices, warnings, blockers, options.signal)
  const fieldNames: Record<string, string> = {}
  for (const field of customFields) fieldNames[field.column] = field.name ?? field.label.replace(/\s+/g, '_')
  const listIds: Partial<Record<GroupKey, string>> = {}
  for (const g of groups) if (!g.skipped) listIds[g.group] = g.list?.listId ?? LIST_ID_FOR_SIZING
  const sizing = { listIds, fieldNames }

  const limits = options.limits ?? IMPORT_LIMITS
  const activities = await measureActivities(dir, sizing, limits)
  for (const g of groups) g.activities = activities.filter((a) => a.group === g.group).length
  for (const g of groups)
    if (!g.skipped && g.contacts === 0)
      warnings.push(`“${g.groupName}” has no contacts, so nothing is uploaded for it.`)
  if (summary.warnings.length) warnings.push(...summary.warnings.map((w) => `From preparing the file: ${w}`))

  const anchor = await newestActivity(client, options.signal)
  const contacts = activities.reduce((n, a) => n + a.count, 0)
  const setupRequests = chosen.length * 2 + customFields.filter((f) => !f.exists).length
  const requests = setupRequests + activities.length * (1 + ASSUMED_POLLS_PER_ACTIVITY)
  // Measured on this account's earlier uploads (everything included: requests, transfer, Constant
  // Contact's work), else a starting guess; the requests alone can't go faster than the limit.
  const estimatedSeconds = Math.max(
    Math.ceil(requests / CC_LIMITS.requestsPerSecond),
    (options.speed ?? guessedSpeed()).estimateSeconds(contacts),
  )

  return {
    version: 1,
    jobDir: dir,
    sourceFile: summary.source.fileName,
    groups,
    customFields,
    activities,
    totals: { contacts, activities: activities.length, requests },
    estimatedSeconds,
    warnings,
    blockers,
    createLists: choices.createLists,
    createCustomFields: choices.createCustomFields,
    sizing,
    limits,
    plannedAt: new Date().toISOString(),
    anchor,
  }
}

function sameListCheck(groups: PlannedGroup[], blockers: string[]): void {
  const [a, b] = groups.filter((g) => !g.skipped && g.list)
  if (!a?.list || !b?.list) return
  const same =
    (a.list.listId && a.list.listId === b.list.listId) ||
    (!a.list.exists && !b.list.exists && a.list.name === b.list.name)
  if (same) {
    blockers.push(
      `Both groups would go to the same list “${a.list.name}”. Choose a different list for ${b.groupName}, or skip one of the groups.`,
    )
  }
}

async function planCustomFields(
  client: CcClient,
  summary: PrepareSummary,
  choices: UploadChoices,
  warnings: string[],
  blockers: string[],
  signal?: AbortSignal,
): Promise<PlannedCustomField[]> {
  const columns = customFieldColumns(summary)
  if (columns.length === 0) return []
  const existing = await allCustomFields(client, signal)
  const planned = columns.map(({ column, label }): PlannedCustomField => {
    const match = matchCustomField(column, existing)
    return match?.name ? { column, label, name: match.name, exists: true } : { column, label, exists: false }
  })
  const missing = planned.filter((f) => !f.exists)
  if (missing.length === 0) return planned
  const names = missing.map((f) => `“${f.label}”`).join(', ')
  if (!choices.createCustomFields) {
    blockers.push(
      `Constant Contact has no custom field for ${names}. Allow Splitsend to create ${missing.length === 1 ? 'it' : 'them'}, or don't send ${missing.length === 1 ? 'that column' : 'those columns'} (change the columns in Prepare).`,
    )
  } else if (existing.length + missing.length > CC_LIMITS.customFieldsPerAccount) {
    blockers.push(
      `Constant Contact allows ${CC_LIMITS.customFieldsPerAccount} custom fields per account; this account has ${existing.length}, and ${missing.length} more would be needed. Remove some in Constant Contact, or send fewer columns.`,
    )
  } else {
    warnings.push(
      `New custom ${missing.length === 1 ? 'field' : 'fields'} will be created in Constant Contact: ${names}.`,
    )
  }
  return planned
}
