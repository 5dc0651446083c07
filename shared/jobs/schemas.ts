/**
 * The Jobs view's data, as it crosses the contract: every job in Splitsend's jobs folder, where it
 * stands (prepared, uploading, uploaded, sent), and the choices it was made with, for the next file.
 * Each type is declared once, as a zod schema; the engine's reading of a job folder is
 * electron/services/jobs/list.ts.
 */
import { z } from 'zod'
import { ContractErrorDataSchema } from '../errors'
import { GroupKeySchema, JobIdSchema, perGroup } from '../ids'
import { ColumnMappingSchema, FlagAssignmentsSchema, PrepareSummarySchema, ReadOptionsSchema } from '../prepare/schemas'
import { GroupSendStateSchema } from '../send/schemas'
import { UnfinishedUploadViewSchema } from '../upload/schemas'

const count = z.number().int().nonnegative()
const ColumnTargetSchema = ColumnMappingSchema.shape.fields.element.shape.target
const SendPhaseSchema = GroupSendStateSchema.shape.phase
const StopErrorSchema = UnfinishedUploadViewSchema.shape.error.unwrap()

/**
 * Where a job's upload stands:
 * - `not_started`: prepared, no upload yet;
 * - `running` / `paused`: a run of this app (paused by the person);
 * - `elsewhere`: another Splitsend window or the command is uploading it now;
 * - `interrupted`: the app was closed or the computer stopped during a run;
 * - `stopped`: a run stopped on a problem (`error`); `cancelled`: the person cancelled it;
 * - `finished`: every import ended (`notAdded` says whether Constant Contact left contacts out).
 */
const UPLOAD_STATES = [
  'not_started',
  'running',
  'paused',
  'elsewhere',
  'interrupted',
  'stopped',
  'cancelled',
  'finished',
] as const
export type JobUploadState = (typeof UPLOAD_STATES)[number]

const JobGroupSchema = z.object({
  group: GroupKeySchema,
  name: z.string(),
  /** Rows prepared for the group. */
  contacts: count,
  /** The list the group went to (once an upload was planned); absent when the group was not uploaded. */
  list: z.string().optional(),
  /** The campaign last sent (or scheduled) to the group, and where that send stands. */
  campaign: z.string().optional(),
  send: SendPhaseSchema,
  sentAt: z.string().optional(),
  scheduledFor: z.string().optional(),
})

/** Where "Continue" opens a job: the step it is at. */
const NextStepSchema = z.enum(['upload', 'send', 'report'])
export type JobNextStep = z.infer<typeof NextStepSchema>

export const JobViewSchema = z.object({
  jobId: JobIdSchema,
  /** The spreadsheet's file name (never its folder). */
  sourceFile: z.string(),
  preparedAt: z.string(),
  /** The latest thing that happened to it (prepared, an upload run, a send), for sorting and "last changed". */
  lastChangedAt: z.string(),
  rows: count,
  /** Rows Prepare left out (problems). */
  leftOut: count,
  groups: z.array(JobGroupSchema),
  upload: z.object({
    state: z.enum(UPLOAD_STATES),
    startedAt: z.string().optional(),
    error: StopErrorSchema.optional(),
    activitiesTotal: count,
    activitiesFinished: count,
    added: count,
    notAdded: count,
    notSent: count,
  }),
  next: NextStepSchema,
  /** report.csv / report.html were written (every upload run writes them). */
  hasReport: z.boolean(),
  /** An upload or a send is under way (here or in another process): it can't be removed now. */
  busy: z.boolean(),
  /**
   * A record in the job's folder that can't be read (its upload's or its sends' journal changed
   * after it was written): what is wrong and what to do. The job is shown, what that record held as
   * unknown, and nothing is offered to continue.
   */
  damaged: ContractErrorDataSchema.optional(),
})
export type JobView = z.infer<typeof JobViewSchema>

/**
 * What a job was made with, for "Start the next file with these choices": how its file was read,
 * its columns by header name (a new month's file may have them in another order), its flag values,
 * group names and conflict rule, the lists each group went to and the campaigns each was sent.
 */
export const JobChoicesSchema = z.object({
  jobId: JobIdSchema,
  sourceFile: z.string(),
  preparedAt: z.string(),
  format: PrepareSummarySchema.shape.source.shape.format,
  read: ReadOptionsSchema,
  columns: z.object({
    email: z.string(),
    flag: z.string(),
    /** Every other column of the file: what it was sent as (`ignore`: left out). */
    fields: z.array(z.object({ column: z.string(), target: ColumnTargetSchema })),
  }),
  flags: FlagAssignmentsSchema.required(),
  blankFlag: PrepareSummarySchema.shape.blankFlag,
  groupNames: perGroup(z.string()),
  onConflict: PrepareSummarySchema.shape.onConflict,
  /** The list each group went to (null: not uploaded, or no upload yet); a new list has its ID once it was made. */
  lists: perGroup(z.object({ listId: z.string().optional(), name: z.string() }).nullable()),
  /** The campaign each group was last sent (null: none). */
  campaigns: perGroup(z.object({ campaignId: z.string(), name: z.string() }).nullable()),
})
export type JobChoices = z.infer<typeof JobChoicesSchema>
