/**
 * Run-time schemas of what the Upload and Report steps send across the contract. They mirror the
 * Upload engine's own types (electron/services/upload/types.ts, electron/services/report/model.ts)
 * minus what stays in main (folders on disk, the sizes the activities were measured with). Each
 * schema is checked against the engine's type at compile time in
 * electron/services/upload-contract-check.ts, since shared/ may not import electron/.
 */
import { z } from 'zod'
import { GroupKeySchema, JobIdSchema, perGroup, PlanIdSchema } from '../ids'

const count = z.number().int().nonnegative()
const text = z.string().max(10_000)

const ErrorDataSchema = z.object({ code: z.string(), message: z.string(), hint: z.string().optional() })
/** A problem a run stopped on; `resumeAt` when it can go on only later (the daily allowance). */
export const StopErrorSchema = ErrorDataSchema.extend({ resumeAt: z.string().optional() })

// ---- choosing the lists ----------------------------------------------------------------------

export const ListChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('skip') }),
  z.object({ kind: z.literal('existing'), listId: z.string().min(1).max(100) }),
  z.object({ kind: z.literal('name'), name: z.string().trim().min(1).max(255) }),
])

export const UploadChoicesSchema = z.object({
  lists: perGroup(ListChoiceSchema),
  createLists: z.boolean(),
  createCustomFields: z.boolean(),
})

/** One of the account's contact lists, for the picker. */
export const AccountListSchema = z.object({
  listId: z.string(),
  name: z.string(),
  memberCount: count.optional(),
})

// ---- the plan --------------------------------------------------------------------------------

const PlannedListSchema = z.object({
  name: z.string(),
  listId: z.string().optional(),
  exists: z.boolean(),
  memberCount: count.optional(),
})

const PlannedGroupSchema = z.object({
  group: GroupKeySchema,
  groupName: z.string(),
  skipped: z.boolean(),
  list: PlannedListSchema.optional(),
  contacts: count,
  activities: count,
})

const PlannedCustomFieldSchema = z.object({
  column: z.string(),
  label: z.string(),
  name: z.string().optional(),
  exists: z.boolean(),
})

/** One planned import activity, as the person sees it (where it starts in the file stays in main). */
const PlannedActivityViewSchema = z.object({ id: z.string(), group: GroupKeySchema, number: count, count })

export const UploadPlanViewSchema = z.object({
  /** Pass it to `upload.start` to run exactly this plan. */
  planId: PlanIdSchema,
  version: z.literal(1),
  sourceFile: z.string(),
  groups: z.array(PlannedGroupSchema),
  customFields: z.array(PlannedCustomFieldSchema),
  activities: z.array(PlannedActivityViewSchema),
  totals: z.object({ contacts: count, activities: count, requests: count }),
  estimatedSeconds: z.number().nonnegative(),
  warnings: z.array(text),
  blockers: z.array(text),
  createLists: z.boolean(),
  createCustomFields: z.boolean(),
  plannedAt: z.string(),
})

// ---- a run -----------------------------------------------------------------------------------

export const ImportCountsSchema = z.object({
  items_total_count: count,
  person_count: count,
  error_count: count,
  correctable_count: count,
  cannot_add_to_list_count: count,
})

export const ACTIVITY_ROW_STATES = [
  'waiting',
  'sending',
  'checking',
  'initialized',
  'processing',
  'completed',
  'failed',
  'timed_out',
  'cancelled',
  'rejected',
] as const
export const UPLOAD_PHASES = [
  'starting',
  'lists',
  'custom_fields',
  'checking',
  'uploading',
  'paused',
  'stopping',
  'finished',
] as const

export const ActivityProgressSchema = z.object({
  id: z.string(),
  group: GroupKeySchema,
  number: count,
  listName: z.string(),
  contacts: count,
  attempt: count,
  state: z.enum(ACTIVITY_ROW_STATES),
  activityId: z.string().optional(),
  percentDone: z.number().min(0).max(100),
  counts: ImportCountsSchema.optional(),
  errorLines: count,
})

/** A run's progress as the screen sees it (the job's folder stays in main). */
export const UploadProgressViewSchema = z.object({
  phase: z.enum(UPLOAD_PHASES),
  activities: z.array(ActivityProgressSchema),
  overall: z.object({
    contactsTotal: count,
    contactsProcessed: count,
    activitiesTotal: count,
    activitiesFinished: count,
    fraction: z.number().min(0).max(1),
    etaSeconds: z.number().nonnegative().optional(),
  }),
  message: z.string().optional(),
})

export const UPLOAD_OUTCOMES = ['all_added', 'some_not_added', 'cancelled', 'stopped'] as const

/** How a run ended (the report files' paths stay in main: ask `report.files`). */
export const UploadResultViewSchema = z.object({
  outcome: z.enum(UPLOAD_OUTCOMES),
  error: StopErrorSchema.optional(),
  contactsPlanned: count,
  contactsAdded: count,
  contactsNotAdded: count,
  contactsNotSent: count,
  activities: z.array(ActivityProgressSchema),
  reportError: ErrorDataSchema.optional(),
})

/** A job whose upload started and didn't finish (offered for resuming when the app starts). */
export const UnfinishedUploadViewSchema = z.object({
  jobId: JobIdSchema,
  sourceFile: z.string(),
  startedAt: z.string(),
  lastActivityAt: z.string(),
  status: z.enum(['interrupted', 'stopped', 'cancelled']),
  error: StopErrorSchema.optional(),
  activitiesTotal: count,
  activitiesFinished: count,
  lists: z.array(z.object({ group: GroupKeySchema, name: z.string() })),
})

/**
 * Where a job's upload stands, for the Upload screen whenever it opens: the run in this session
 * (live, paused or ended), or else what the job's journal says about an earlier one.
 */
export const UploadJobStatusSchema = z.object({
  jobId: JobIdSchema,
  sourceFile: z.string(),
  groupNames: perGroup(z.string()),
  groupContacts: perGroup(count),
  /** The run in this session: none, running, paused (by the person), or ended (`result` says how). */
  run: z.enum(['none', 'running', 'paused', 'ended']),
  progress: UploadProgressViewSchema.nullable(),
  result: UploadResultViewSchema.nullable(),
  /** An upload recorded in the job's journal (this session's or an earlier one), or null. */
  journal: z
    .object({
      plan: UploadPlanViewSchema.omit({ planId: true }),
      ending: z.enum(['completed', 'stopped', 'cancelled', 'interrupted']),
      error: StopErrorSchema.optional(),
      startedAt: z.string().optional(),
    })
    .nullable(),
})

// ---- the report ------------------------------------------------------------------------------

export const ROW_STATUSES = [
  'added',
  'activity_errors',
  'not_added',
  'processing',
  'not_sent',
  'skipped',
  'left_out',
] as const
/** The words for each row outcome, as report.html and report.csv say them. */
export const ROW_STATUS_WORDS: Record<(typeof ROW_STATUSES)[number], string> = {
  added: 'Added to the list',
  activity_errors: 'In an activity that reported errors',
  not_added: 'Not added',
  processing: 'Sent, not finished yet',
  not_sent: 'Not sent',
  skipped: 'Group skipped',
  left_out: 'Left out',
}

const ReportSectionSchema = z.object({
  title: z.string(),
  paragraphs: z.array(z.string()).optional(),
  table: z.object({ headers: z.array(z.string()), rows: z.array(z.array(z.string())) }).optional(),
})

export const ReportModelSchema = z.object({
  generatedAt: z.string(),
  sourceFile: z.string(),
  sourcePath: z.string(),
  preparedAt: z.string(),
  uploadStartedAt: z.string().optional(),
  account: z
    .object({ name: z.string().optional(), email: z.string().optional(), practice: z.boolean().optional() })
    .optional(),
  status: z.enum(['all_added', 'some_not_added', 'cancelled', 'stopped', 'not_started', 'in_progress']),
  statusText: z.string(),
  rowsInFile: count,
  groups: z.array(
    z.object({
      group: GroupKeySchema,
      groupName: z.string(),
      rows: count,
      skipped: z.boolean(),
      listName: z.string().optional(),
      listId: z.string().optional(),
      listCreated: z.boolean().optional(),
      membersBefore: count.optional(),
      added: count,
      notAdded: count,
      notSent: count,
    }),
  ),
  rowCounts: z.object(
    Object.fromEntries(ROW_STATUSES.map((s) => [s, count])) as Record<(typeof ROW_STATUSES)[number], typeof count>,
  ),
  activities: z.array(
    z.object({
      id: z.string(),
      group: GroupKeySchema,
      contacts: count,
      attempts: count,
      activityId: z.string().optional(),
      state: z.string(),
      counts: ImportCountsSchema.optional(),
      errors: z.array(z.string()),
      moreErrors: count,
    }),
  ),
  warnings: z.array(z.string()),
  sections: z.array(ReportSectionSchema),
})

export const ReportFileKindSchema = z.enum(['csv', 'html'])

/** Where a job's report files are (written again from the journal when asked). */
export const ReportFilesSchema = z.object({
  sourceFile: z.string(),
  folder: z.string(),
  csvPath: z.string(),
  htmlPath: z.string(),
})

/** A report file's text, for a host that hands it to the person as a download (the web bridge). */
export const ReportFileTextSchema = z.object({ fileName: z.string(), mimeType: z.string(), text: z.string() })

/** What saving a copy did: where it went, or that the person cancelled. */
export const SavedFileSchema = z.object({ saved: z.boolean(), path: z.string().nullable() })
