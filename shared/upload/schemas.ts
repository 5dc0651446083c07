/**
 * The Upload and Report steps' data, as it crosses the contract: each type is declared once, as a
 * zod schema, and its TypeScript type is inferred from it. The engine's records that hold more (the
 * job's folder, where each activity starts in the file, the sizes it was measured with) extend
 * these views in electron/services/upload/ (plan.ts, run.ts, unfinished.ts).
 */
import { z } from 'zod'
import { ContractErrorDataSchema } from '../errors'
import { GroupKeySchema, JobIdSchema, perGroup, PlanIdSchema } from '../ids'
import {
  MembershipComparisonSchema,
  MembershipPolicySchema,
  MembershipProgressSchema,
  MembershipResultSchema,
} from '../membership/schemas'

const count = z.number().int().nonnegative()
const text = z.string().max(10_000)

/** A problem a run stopped on; `resumeAt` when it can go on only later (the daily allowance). */
export const StopErrorSchema = ContractErrorDataSchema.extend({ resumeAt: z.string().optional() })
export type StopError = z.infer<typeof StopErrorSchema>

// ---- choosing the lists ----------------------------------------------------------------------

/** Where one group goes: an existing list (by id), a list by name (found first, created if allowed), or nowhere. */
const ListChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('skip') }),
  z.object({ kind: z.literal('existing'), listId: z.string().min(1).max(100) }),
  z.object({ kind: z.literal('name'), name: z.string().trim().min(1).max(255) }),
])
export type ListChoice = z.infer<typeof ListChoiceSchema>

export const UploadChoicesSchema = z.object({
  lists: perGroup(ListChoiceSchema),
  /** A list chosen by name that doesn't exist yet may be created (the person agreed). */
  createLists: z.boolean(),
  /** Custom fields the prepared files use but the account lacks may be created (the person agreed). */
  createCustomFields: z.boolean(),
})
export type UploadChoices = z.infer<typeof UploadChoicesSchema>

/** One of the account's contact lists, for the picker. */
export const AccountListSchema = z.object({
  listId: z.string(),
  name: z.string(),
  memberCount: count.optional(),
})
export type AccountList = z.infer<typeof AccountListSchema>

// ---- the plan --------------------------------------------------------------------------------

/** What the plan knows about a group's list. */
const PlannedListSchema = z.object({
  name: z.string(),
  /** Known when the list exists already. */
  listId: z.string().optional(),
  exists: z.boolean(),
  /** Members it has now (existing lists only). */
  memberCount: count.optional(),
})
export type PlannedList = z.infer<typeof PlannedListSchema>

const PlannedGroupSchema = z.object({
  group: GroupKeySchema,
  /** The group's name from Prepare ("Flag 0" unless the person named it). */
  groupName: z.string(),
  skipped: z.boolean(),
  list: PlannedListSchema.optional(),
  contacts: count,
  activities: count,
})
export type PlannedGroup = z.infer<typeof PlannedGroupSchema>

/** A custom field used by the prepared files: `column` is the header there (`cf:<prepared name>`). */
const PlannedCustomFieldSchema = z.object({
  column: z.string(),
  /** The label it gets in Constant Contact when it is created. */
  label: z.string(),
  /** Constant Contact's own name of the field (what follows `cf:` in the import), when it exists. */
  name: z.string().optional(),
  exists: z.boolean(),
})
export type PlannedCustomField = z.infer<typeof PlannedCustomFieldSchema>

/** One planned import activity, as the person sees it (where it starts in the file stays in main). */
const PlannedActivityViewSchema = z.object({
  /** Stable id within the job, e.g. `0-3` (group 0, fourth activity). */
  id: z.string(),
  group: GroupKeySchema,
  /** 1-based number within its group, for people. */
  number: count,
  /** How many contacts it sends. */
  count,
})

export const UploadPlanViewSchema = z.object({
  /** Pass it to `upload.start` to run exactly this plan. */
  planId: PlanIdSchema,
  version: z.literal(1),
  /** The source spreadsheet's file name, for reports. */
  sourceFile: z.string(),
  groups: z.array(PlannedGroupSchema),
  customFields: z.array(PlannedCustomFieldSchema),
  activities: z.array(PlannedActivityViewSchema),
  totals: z.object({ contacts: count, activities: count, requests: count }),
  /** A rough duration, from the requests it needs at 4 a second plus Constant Contact's processing time. */
  estimatedSeconds: z.number().nonnegative(),
  /** Things the person should know before starting (plain words). */
  warnings: z.array(text),
  /** Reasons the plan can't be started as it is (plain words); empty when it can. */
  blockers: z.array(text),
  createLists: z.boolean(),
  createCustomFields: z.boolean(),
  plannedAt: z.string(),
  /**
   * Lists that match the file: the choice Splitsend suggests ("move" once a list has members), and
   * the lists compared with the file (null when no chosen list has members yet).
   */
  membership: z.object({ suggested: MembershipPolicySchema, comparison: MembershipComparisonSchema.nullable() }),
})

/** What the person chose for the contacts already on the lists, and how many leaving them they confirmed. */
export const UploadMembershipChoiceSchema = z.object({
  policy: MembershipPolicySchema,
  /** The plan's number of contacts taken off a list with that choice: a plan that says otherwise is not started. */
  confirmedLeaving: count,
})
export type UploadMembershipChoice = z.infer<typeof UploadMembershipChoiceSchema>
export type UploadPlanView = z.infer<typeof UploadPlanViewSchema>

// ---- a run -----------------------------------------------------------------------------------

/** Constant Contact's counts for a finished import. */
export const ImportCountsSchema = z.object({
  items_total_count: count,
  person_count: count,
  error_count: count,
  correctable_count: count,
  cannot_add_to_list_count: count,
})
export type ImportCounts = z.infer<typeof ImportCountsSchema>

const ACTIVITY_ROW_STATES = [
  'waiting', // not sent yet
  'sending',
  'checking', // asking Constant Contact whether an interrupted send arrived
  'initialized',
  'processing',
  'completed',
  'failed',
  'timed_out',
  'cancelled',
  'rejected', // Constant Contact refused the request itself
] as const
export type ActivityRowState = (typeof ACTIVITY_ROW_STATES)[number]

const UPLOAD_PHASES = [
  'starting',
  'lists',
  'custom_fields',
  'checking',
  'uploading',
  'paused',
  'stopping',
  'finished',
] as const
export type UploadPhase = (typeof UPLOAD_PHASES)[number]

const ActivityProgressSchema = z.object({
  id: z.string(),
  group: GroupKeySchema,
  number: count,
  listName: z.string(),
  contacts: count,
  /** 1 for the first send; higher after a failed or timed-out activity was sent again. */
  attempt: count,
  state: z.enum(ACTIVITY_ROW_STATES),
  activityId: z.string().optional(),
  percentDone: z.number().min(0).max(100),
  counts: ImportCountsSchema.optional(),
  /** How many error lines Constant Contact reported. */
  errorLines: count,
})
export type ActivityProgress = z.infer<typeof ActivityProgressSchema>

/** A run's progress as the screen sees it (the job's folder stays in main). At most ~10 a second. */
export const UploadProgressViewSchema = z.object({
  phase: z.enum(UPLOAD_PHASES),
  activities: z.array(ActivityProgressSchema),
  overall: z.object({
    contactsTotal: count,
    /** Contacts Constant Contact has processed (finished activities in full, running ones by percent). */
    contactsProcessed: count,
    activitiesTotal: count,
    activitiesFinished: count,
    fraction: z.number().min(0).max(1),
    /** Seconds left, when it can be estimated. */
    etaSeconds: z.number().nonnegative().optional(),
  }),
  /** A short line about what is happening ("Waiting for Constant Contact…"). */
  message: z.string().optional(),
  /** After the upload: the removals of "move" or "match". */
  membership: MembershipProgressSchema.omit({ jobDir: true }).optional(),
})
export type UploadProgressView = z.infer<typeof UploadProgressViewSchema>

/**
 * How a run ended:
 * - `all_added`: every planned contact was accepted by a completed activity;
 * - `some_not_added`: every activity ended, but Constant Contact reported contacts it did not add;
 * - `cancelled`: the person cancelled; what was sent is in the report;
 * - `stopped`: it stopped on a problem (`error` says which); run it again to continue.
 */
const UPLOAD_OUTCOMES = ['all_added', 'some_not_added', 'cancelled', 'stopped'] as const

/** How a run ended (the report files' paths stay in main: ask `report.files`). */
export const UploadResultViewSchema = z.object({
  outcome: z.enum(UPLOAD_OUTCOMES),
  error: StopErrorSchema.optional(),
  contactsPlanned: count,
  /** Sum of `person_count` of completed activities. */
  contactsAdded: count,
  /** Contacts Constant Contact reported as not added (errors, unsubscribed) or in activities that failed for good. */
  contactsNotAdded: count,
  /** Contacts in activities not sent (cancelled / stopped) or still processing. */
  contactsNotSent: count,
  activities: z.array(ActivityProgressSchema),
  /** Why the report files could not be written when the run ended. */
  reportError: ContractErrorDataSchema.optional(),
  /** How the removals of "move" or "match" ended, when there were any to make. */
  membership: MembershipResultSchema.optional(),
})
export type UploadResultView = z.infer<typeof UploadResultViewSchema>

/** A job whose upload started and didn't finish (offered for resuming when the app starts). */
export const UnfinishedUploadViewSchema = z.object({
  jobId: JobIdSchema,
  sourceFile: z.string(),
  startedAt: z.string(),
  lastActivityAt: z.string(),
  /** How it was left: interrupted (quit / crash), stopped on a problem, or cancelled. */
  status: z.enum(['interrupted', 'stopped', 'cancelled']),
  /** The problem it stopped on, if any. */
  error: StopErrorSchema.optional(),
  activitiesTotal: count,
  activitiesFinished: count,
  lists: z.array(z.object({ group: GroupKeySchema, name: z.string() })),
})
export type UnfinishedUploadView = z.infer<typeof UnfinishedUploadViewSchema>

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
      plan: UploadPlanViewSchema.omit({ planId: true, membership: true }),
      /** The choice for the contacts already on the lists, when one was made. */
      membershipPolicy: MembershipPolicySchema.optional(),
      ending: z.enum(['completed', 'stopped', 'cancelled', 'interrupted']),
      error: StopErrorSchema.optional(),
      startedAt: z.string().optional(),
    })
    .nullable(),
})
export type UploadJobStatus = z.infer<typeof UploadJobStatusSchema>

// ---- the report ------------------------------------------------------------------------------

/** What happened to one row of the person's spreadsheet (a stable code, for counting and for tests). */
export const ROW_STATUSES = [
  'added',
  'activity_errors',
  'not_added',
  'processing',
  'not_sent',
  'skipped',
  'left_out',
] as const
export type RowStatus = (typeof ROW_STATUSES)[number]
/** The words for each row outcome, as report.html and report.csv say them. */
export const ROW_STATUS_WORDS: Record<RowStatus, string> = {
  added: 'Added to the list',
  activity_errors: 'Sent; Constant Contact reported errors',
  not_added: 'Not added',
  processing: 'Sent; not finished when the report was made',
  not_sent: 'Not sent',
  skipped: 'Group not uploaded',
  left_out: 'Left out',
}

/** A titled block of text and an optional table; every value is plain text (escaped when rendered). */
const ReportSectionSchema = z.object({
  title: z.string(),
  paragraphs: z.array(z.string()).optional(),
  table: z.object({ headers: z.array(z.string()), rows: z.array(z.array(z.string())) }).optional(),
})
export type ReportSection = z.infer<typeof ReportSectionSchema>

/** The account an upload ran in, as the journal records it and the report shows it. */
export const AccountInfoSchema = z.object({
  name: z.string().optional(),
  email: z.string().optional(),
  practice: z.boolean().optional(),
})
export type AccountInfo = z.infer<typeof AccountInfoSchema>

/**
 * Everything report.html (and the Report screen) shows, as plain data. Built from summary.json and
 * the journal only, so a report can be made again at any time, even after a crash.
 */
export const ReportModelSchema = z.object({
  generatedAt: z.string(),
  /** The source file's name (never its folder: the report is shared, the person's folders are not). */
  sourceFile: z.string(),
  preparedAt: z.string(),
  uploadStartedAt: z.string().optional(),
  account: AccountInfoSchema.optional(),
  /** How the upload stands: finished, finished with contacts not added, cancelled, stopped, not started, in progress. */
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
      movedOut: count.optional(),
      removed: count.optional(),
      notRemoved: count.optional(),
    }),
  ),
  /** Rows of the file by outcome (from the per-row pass). */
  rowCounts: z.object(Object.fromEntries(ROW_STATUSES.map((s) => [s, count])) as Record<RowStatus, typeof count>),
  /** The rows left out (in no group), by why, in plain words. */
  leftOut: z.array(z.object({ reason: z.string(), title: z.string(), rows: count })),
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
  /** What is worth knowing, in plain words, in the past tense. */
  warnings: z.array(z.string()),
  /** What the imports went through, in Constant Contact's terms (for the technical details). */
  technicalNotes: z.array(z.string()),
  /** Extra sections added by later steps (e.g. the sends), in order. */
  sections: z.array(ReportSectionSchema),
})
export type ReportModel = z.infer<typeof ReportModelSchema>

export const ReportFileKindSchema = z.enum(['csv', 'html'])

/** Where a job's report files are (written again from the journal when asked). */
export const ReportFilesSchema = z.object({
  sourceFile: z.string(),
  folder: z.string(),
  csvPath: z.string(),
  htmlPath: z.string(),
})
export type ReportFiles = z.infer<typeof ReportFilesSchema>

/** What saving a copy did: where it went, or that the person cancelled. */
export const SavedFileSchema = z.object({ saved: z.boolean(), path: z.string().nullable() })
