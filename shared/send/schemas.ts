/**
 * The Send step's data, as it crosses the contract: campaign choices and details, the checks before
 * a send, test sends and each group's send state. Each type is declared once, as a zod schema, and
 * inferred from it; the Send engine (electron/services/send/) returns exactly these. Everything is
 * JSON (dates are ISO-8601 strings in UTC); the UI shows dates in the person's own zone.
 */
import { z } from 'zod'
import { CampaignIdSchema, GroupKeySchema, JobIdSchema, perGroup } from '../ids'

const isoDate = z.string().max(64)
const count = z.number().int().nonnegative()

/** Statuses of a campaign's primary email, as Constant Contact names them. */
export const EmailStatusSchema = z.enum(['DRAFT', 'SCHEDULED', 'EXECUTING', 'DONE', 'ERROR', 'REMOVED'])
export type EmailStatus = z.infer<typeof EmailStatusSchema>

/** One campaign in the picker. */
export const CampaignChoiceSchema = z.object({
  campaignId: z.string(),
  name: z.string(),
  /** Constant Contact's campaign status ("Draft", "Scheduled", "Done", …). */
  status: z.string(),
  /** When the campaign last changed. */
  updatedAt: isoDate.optional(),
  createdAt: isoDate.optional(),
  /** Whether its primary email can be sent now; when not, `notSelectableReason` says why. */
  selectable: z.boolean(),
  notSelectableReason: z.string().optional(),
})
export type CampaignChoice = z.infer<typeof CampaignChoiceSchema>

/** A list or segment a campaign is addressed to now. */
export const RecipientRefSchema = z.object({
  kind: z.enum(['list', 'segment']),
  id: z.string(),
  /** The list's name when Constant Contact could tell it. */
  name: z.string().optional(),
})
export type RecipientRef = z.infer<typeof RecipientRefSchema>

const campaignFields = {
  campaignId: z.string(),
  name: z.string(),
  /** The primary email's activity ID (what is scheduled, tested and sent). */
  activityId: z.string(),
  status: EmailStatusSchema,
  subject: z.string(),
  preheader: z.string().optional(),
  fromName: z.string(),
  fromEmail: z.string(),
  replyToEmail: z.string(),
  recipients: z.array(RecipientRefSchema),
  /** Sent before: how many times (Constant Contact's send record), and when last. */
  timesSent: count,
  lastSentAt: isoDate.optional(),
  /** Set while the email is scheduled. */
  scheduledFor: isoDate.optional(),
  formatType: z.number().int().optional(),
  canUpdate: z.boolean(),
}

/** A campaign as the person sees it before choosing it; `html` is shown only in a sandboxed frame (no scripts, no remote loads). */
export const CampaignDetailsSchema = z.object({ ...campaignFields, html: z.string().max(20_000_000) })
export type CampaignDetails = z.infer<typeof CampaignDetailsSchema>

/** What the upload of one group produced, as the send step needs it. */
const UploadOutcomeSchema = z.object({
  group: GroupKeySchema,
  listId: z.string(),
  listName: z.string(),
  /** Contacts Constant Contact reported as added (or updated) on the list by this job. */
  contactsAdded: count,
  /** True when every activity of the group's upload reached a final state. */
  finished: z.boolean(),
  /** Activities of a finished upload that ended without completing (failed for good, refused): their contacts may be missing. */
  activitiesNotCompleted: count.optional(),
})
export type UploadOutcome = z.infer<typeof UploadOutcomeSchema>

/** One check before sending, explained in plain words. */
const PreflightCheckSchema = z.object({
  id: z.enum([
    'upload_finished',
    'campaign_status',
    'not_scheduled',
    'confirmed_senders',
    'recipient_list',
    'not_sent_by_this_job',
    'one_list_each',
  ]),
  /** `ok` passes; `note` passes but the person should read it; `blocked` stops the send. */
  result: z.enum(['ok', 'note', 'blocked']),
  title: z.string(),
  message: z.string(),
  /** What to do about it (for `blocked`). */
  hint: z.string().optional(),
  /** For `one_list_each`: the finding the person can act on (move them now, or send anyway). */
  bothLists: z.object({ checkedAt: z.string(), onBoth: count, movable: count }).optional(),
})
export type PreflightCheck = z.infer<typeof PreflightCheckSchema>

export const CopyOfSchema = z.object({ campaignId: z.string(), campaignName: z.string() })

/** What "Send a copy" would do (when the campaign can't be sent to the group's list as it is). */
const CopyOfferSchema = z.object({
  possible: z.boolean(),
  /** The copy's name, when it is possible: the copy this job made earlier, or the name one made now gets. */
  name: z.string().optional(),
  why: z.string().optional(),
  keeps: z.string(),
  loses: z.string(),
})
export type CopyOffer = z.infer<typeof CopyOfferSchema>

/** A copy Splitsend made of a campaign for one group of a job. */
export const CampaignCopySchema = z.object({
  campaignId: z.string(),
  name: z.string(),
  activityId: z.string(),
  copyOf: CopyOfSchema,
  how: z.enum(['created', 'found']),
})
export type CampaignCopy = z.infer<typeof CampaignCopySchema>

export const PreflightResultSchema = z.object({
  group: GroupKeySchema,
  campaign: z.object(campaignFields),
  /** The group's list, from its upload (absent when the group wasn't uploaded). */
  list: z
    .object({
      listId: z.string(),
      listName: z.string(),
      contactsAdded: count,
      uploadFinished: z.boolean(),
      membersNow: count.optional(),
    })
    .optional(),
  /** Lists or segments the campaign is addressed to now that the group's list will replace. */
  replaces: z.array(RecipientRefSchema),
  checks: z.array(PreflightCheckSchema),
  /** True when no check is `blocked`. */
  canSend: z.boolean(),
  copy: CopyOfferSchema.optional(),
})
export type PreflightResult = z.infer<typeof PreflightResultSchema>

const SendPhaseSchema = z.enum([
  /** Nothing sent for this group in this job (or a schedule was cancelled, or an attempt was refused). */
  'not_sent',
  /** A send is being made right now (another window or process holds the job). */
  'in_progress',
  /** Splitsend asked Constant Contact to send, but doesn't know yet whether it did: it checks before anything else. */
  'checking',
  /** Scheduled for a later time; can still be cancelled. */
  'scheduled',
  /** Constant Contact is sending it now, or has sent it. */
  'sending',
  'sent',
  /**
   * Constant Contact shows a send (or a schedule) that can't be told apart from this job's: the
   * person says whether it was this job's send (see resolveUnclearSend). Nothing more is sent meanwhile.
   */
  'unclear',
])

/** Constant Contact's own record of a send: its send ID and how many it went to, when known. */
export const SendConfirmationSchema = z.object({
  /** What Constant Contact answered to the schedule request (`[]` for "send now"). */
  scheduleAnswer: z.unknown().optional(),
  sendId: z.number().optional(),
  count: z.number().optional(),
  runDate: z.string().optional(),
  sendStatus: z.string().optional(),
  /** How Splitsend knows: the answer to its request, or a check after an interruption. */
  source: z.enum(['answer', 'checked_after_interruption']),
})
export type SendConfirmation = z.infer<typeof SendConfirmationSchema>

/** Where the send of one group stands. */
export const GroupSendStateSchema = z.object({
  group: GroupKeySchema,
  phase: SendPhaseSchema,
  campaignId: z.string().optional(),
  campaignName: z.string().optional(),
  activityId: z.string().optional(),
  listId: z.string().optional(),
  listName: z.string().optional(),
  /** Contacts on the list when the send was made (for the confirmation and the report). */
  contacts: z.number().optional(),
  /** `now`, or the UTC date-time it was scheduled for. */
  when: z.string().optional(),
  scheduledFor: z.string().optional(),
  /** When Constant Contact accepted the send. */
  acceptedAt: z.string().optional(),
  /** When it went out, from Constant Contact's send record. */
  sentAt: z.string().optional(),
  confirmation: SendConfirmationSchema.optional(),
  /** Set when the campaign sent is a copy Splitsend made of this one. */
  copyOf: CopyOfSchema.optional(),
  /** The last attempt that was refused or failed, in plain words (phase is then `not_sent`). */
  lastProblem: z.string().optional(),
  /** True while a scheduled send can still be cancelled. */
  canUnschedule: z.boolean(),
})
export type GroupSendState = z.infer<typeof GroupSendStateSchema>

export const SendResultSchema = z.object({
  state: GroupSendStateSchema,
  /** True when this call found the send already made (by this job) and sent nothing new. */
  alreadyDone: z.boolean(),
})
export type SendResult = z.infer<typeof SendResultSchema>

/** At most 5 addresses a test; what the person typed is checked by the engine, with its words. */
export const TestSendInputSchema = z.object({
  campaignId: CampaignIdSchema,
  /** Addresses as typed: an array, or one string separated by commas, semicolons or spaces. */
  addresses: z.union([z.array(z.string().max(320)).max(50), z.string().max(4_000)]),
  /** A note shown above the test email. */
  personalMessage: z.string().max(1_000).optional(),
})
export type TestSendRequest = z.infer<typeof TestSendInputSchema>

export const TestSendResultSchema = z.object({
  campaignId: z.string(),
  campaignName: z.string(),
  sentTo: z.array(z.string()),
  at: z.string(),
})
export type TestSendResult = z.infer<typeof TestSendResultSchema>

/**
 * When to send: now, or a date-time with its zone (the renderer sends UTC, ending in Z). A time
 * without a zone is refused rather than read in some computer's zone.
 */
export const SendWhenSchema = z.union([
  z.literal('now'),
  z
    .string()
    .regex(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i,
      'a date and time with its time zone',
    ),
])
export type SendWhen = z.infer<typeof SendWhenSchema>

/** Send `campaignId` to `group`'s list of job `jobId`, now or at a time. */
export const SendInputSchema = z.object({
  jobId: JobIdSchema,
  group: GroupKeySchema,
  campaignId: CampaignIdSchema,
  when: SendWhenSchema,
})
/** The engine's send of one group of a job folder (the folder is named apart from the request). */
export type SendRequest = Omit<z.infer<typeof SendInputSchema>, 'jobId'>

/** What the Send screen needs to know about a job before anything else. */
export const SendJobSchema = z.object({
  /** The person's names for the two groups (from Map). */
  groupNames: perGroup(z.string()),
  /** What the upload of each group did; a group that wasn't uploaded is absent. */
  uploads: z.array(UploadOutcomeSchema),
})
