/**
 * The routines' part of the contract (see ../contract.ts): the app lists the routines, saves a run
 * as one, runs one with a new file (what differs from the routine and the safety warnings are shown
 * before Review), keeps each routine's history and shows or sets its schedule. The routine files
 * themselves are shared/routines/schema.ts; the run engine of the command is electron/services/routines.
 */
import { z } from 'zod'
import { request, type RequestSpec } from './request'
import { ContractErrorDataSchema } from '../errors'
import { CampaignIdSchema, FileIdSchema, GroupKeySchema, JobIdSchema } from '../ids'
import { PrepareOptionsSchema, ReadOptionsSchema, SourceInspectionSchema } from '../prepare/schemas'
import { RunRecordSchema } from '../routines/history'
import {
  RoutineNameSchema,
  RoutineSchema,
  SafetyLimitsSchema,
  ScheduleSchema,
  TestAddressesSchema,
} from '../routines/schema'
import { SendResultSchema, SendWhenSchema } from '../send/schemas'
import { AttachedFileSchema } from './app'

const name = z.object({ name: RoutineNameSchema })

/**
 * One run in the routine's history as the app shows it: the job (when its folder is one of the app's
 * jobs) to open its report, and the job folder as the person knows it ("jobs/…" in Splitsend's data
 * folder, or the folder they named for the command). Paths inside the data folder stay in main.
 */
const RunViewSchema = RunRecordSchema.omit({ jobDir: true, source: true }).extend({
  jobId: JobIdSchema.optional(),
  jobFolder: z.string().optional(),
  source: z.object({ fileName: z.string() }).optional(),
})
export type RunView = z.infer<typeof RunViewSchema>

/** The file the routine's folder would give the next run. */
const NextFileSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('found'), fileName: z.string(), modifiedAt: z.string() }),
  z.object({ kind: z.literal('none'), message: z.string() }),
])

/** A routine as the routines screen lists it; a routine file that can't be read is listed with why. */
const RoutineEntrySchema = z.object({
  key: z.string(),
  routine: RoutineSchema.optional(),
  problem: ContractErrorDataSchema.optional(),
  lastRun: RunViewSchema.optional(),
  nextFile: NextFileSchema.optional(),
  /** The schedule in words ("every month on day 3 at 08:00"). */
  scheduleWords: z.string().optional(),
})

/** Whether this host can register a schedule with the computer's scheduler, and how it stands there. */
const ScheduleViewSchema = z.object({
  words: z.string().optional(),
  /** The routine's schedule, when it has one. */
  schedule: ScheduleSchema.optional(),
  /** Set when the schedule can't be set or removed here, in plain words. */
  unavailable: z.string().optional(),
  /** What the computer's scheduler holds for the routine, in plain words. */
  status: z.string().optional(),
  /** Whether the computer's scheduler holds a registration for the routine. */
  registered: z.boolean().optional(),
  /** The command line the scheduler runs (registered, or to be registered again). */
  command: z.string().optional(),
})

/** A difference between the routine and the new file, shown before Review (electron/services/routines/drift.ts). */
const DifferenceSchema = z.object({
  kind: z.enum([
    'format',
    'sheet_missing',
    'sheet_different',
    'header_row',
    'encoding',
    'delimiter',
    'column_missing',
    'column_renamed',
    'column_repeated',
    'column_new',
    'email_values',
    'flag_values',
    'flag_value_new',
  ]),
  severity: z.enum(['stop', 'note']),
  message: z.string(),
  /** The routine's header of the column concerned. */
  column: z.string().optional(),
  /** For a column not found by its name: the file's column that looks like it. */
  suggestion: z.object({ header: z.string(), index: z.number().int().nonnegative() }).optional(),
  /** For a new flag value: the value and its rows in the sample. */
  value: z.string().optional(),
  count: z.number().int().nonnegative().optional(),
})
export type Difference = z.infer<typeof DifferenceSchema>

/** Why an unattended run stops before uploading anything (electron/services/routines/safety.ts), in a sentence with its figures. */
const SafetyStopSchema = z.object({
  kind: z.enum(['file_differs', 'too_many_problems', 'group_empty', 'group_changed', 'too_few_rows', 'same_file']),
  message: z.string(),
})
export type SafetyStop = z.infer<typeof SafetyStopSchema>

export const routineRequests = {
  /** Every routine on this computer, with its last run and what the next run would use. */
  'routines.list': request(z.undefined(), z.array(RoutineEntrySchema)),
  /** One routine, its runs (newest first) and its schedule. */
  'routines.show': request(
    name,
    z.object({ routine: RoutineSchema, runs: z.array(RunViewSchema), schedule: ScheduleViewSchema }),
  ),
  /**
   * Saves the prepared (and uploaded, perhaps sent) job as a routine: how the file was read, the
   * mapping by column name, the flag values, conflict rule and group names, the lists, the campaigns
   * and the account. `replace` updates the routine of that name (its history, folder, limits and
   * schedule kept). The job becomes the routine's run.
   */
  'routines.save': request(
    z.object({ name: RoutineNameSchema, jobId: JobIdSchema, replace: z.boolean() }),
    RoutineSchema,
  ),
  /**
   * Reads a new file the routine's way and says what differs from the routine. `options` are the
   * routine's choices for Prepare with this file's column positions (null when a mapped column
   * can't be placed: the person maps it on the Map step).
   */
  'routines.check': request(
    name.extend({ fileId: FileIdSchema }),
    z.object({
      read: ReadOptionsSchema,
      inspection: SourceInspectionSchema,
      differences: z.array(DifferenceSchema),
      options: PrepareOptionsSchema.nullable(),
    }),
  ),
  /** The safety checks of an unattended run, on the prepared job: the app shows them as warnings. */
  'routines.safety': request(name.extend({ jobId: JobIdSchema }), z.array(SafetyStopSchema)),
  /** Records (or brings up to date) the job as a run of the routine: counts, outcome, what was sent. */
  'routines.recordRun': request(name.extend({ jobId: JobIdSchema }), RunViewSchema),
  /** Opens the newest file of the routine's folder that hasn't been run yet. */
  'routines.openNextFile': request(name, AttachedFileSchema),
  /**
   * Changes where next month's file comes from (null: no folder, the person drops or picks it), the
   * safety limits and a sent group's test addresses; what is left out stays as it is.
   */
  'routines.update': request(
    name.extend({
      source: RoutineSchema.shape.source.unwrap().nullable().optional(),
      safety: SafetyLimitsSchema.optional(),
      testAddresses: z
        .strictObject({ '0': TestAddressesSchema.optional(), '1': TestAddressesSchema.optional() })
        .optional(),
    }),
    RoutineSchema,
  ),
  /** Deletes the routine and its history (its runs' job folders stay). */
  'routines.delete': request(name, z.null()),
  /**
   * A group's send in a routine's run, by the routine's rule (the command's run uses the same code):
   * the checks; a dated copy where Constant Contact won't send the campaign as it is (its name is
   * preflight's `copy.name`); a test to the routine's test addresses for the group; then the send,
   * exactly once per group and job like `send.send`.
   */
  'routines.send': request(
    name.extend({ jobId: JobIdSchema, group: GroupKeySchema, campaignId: CampaignIdSchema, when: SendWhenSchema }),
    SendResultSchema.extend({
      /** The campaign sent: the dated copy, or the one chosen. */
      campaign: z.object({ id: z.string(), name: z.string() }),
      copyOf: z.object({ campaignId: z.string(), campaignName: z.string() }).optional(),
      /** The addresses the test went to first (none when the routine has none for the group). */
      testSentTo: z.array(z.string()),
    }),
  ),
  /** Sets (or with null removes) the schedule, registering it with the computer's own scheduler. */
  'routines.setSchedule': request(name.extend({ schedule: ScheduleSchema.nullable() }), ScheduleViewSchema),
} satisfies Record<string, RequestSpec<z.ZodType, z.ZodType>>
