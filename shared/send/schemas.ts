/**
 * Run-time schemas of what the Send step carries over the contract: campaign choices and details,
 * the checks before a send, test sends and each group's send state. The types the renderer uses are
 * inferred from these; electron/services/send-contract-check.ts checks at compile time that each one
 * describes exactly the Send engine's own type (electron/services/send/types.ts), so they cannot drift.
 *
 * Pure TypeScript and zod (see shared/tsconfig.json).
 */
import { z } from 'zod'
import { CampaignIdSchema, GroupKeySchema, perGroup } from '../ids'

const isoDate = z.string().max(64)
const count = z.number().int().nonnegative()

export const EmailStatusSchema = z.enum(['DRAFT', 'SCHEDULED', 'EXECUTING', 'DONE', 'ERROR', 'REMOVED'])
export type EmailStatus = z.infer<typeof EmailStatusSchema>

export const CampaignChoiceSchema = z.object({
  campaignId: z.string(),
  name: z.string(),
  status: z.string(),
  updatedAt: isoDate.optional(),
  createdAt: isoDate.optional(),
  selectable: z.boolean(),
  notSelectableReason: z.string().optional(),
})
export type CampaignChoice = z.infer<typeof CampaignChoiceSchema>

export const RecipientRefSchema = z.object({
  kind: z.enum(['list', 'segment']),
  id: z.string(),
  name: z.string().optional(),
})
export type RecipientRef = z.infer<typeof RecipientRefSchema>

const campaignFields = {
  campaignId: z.string(),
  name: z.string(),
  activityId: z.string(),
  status: EmailStatusSchema,
  subject: z.string(),
  preheader: z.string().optional(),
  fromName: z.string(),
  fromEmail: z.string(),
  replyToEmail: z.string(),
  recipients: z.array(RecipientRefSchema),
  timesSent: count,
  lastSentAt: isoDate.optional(),
  scheduledFor: isoDate.optional(),
}

/** A campaign as the person sees it before choosing it; `html` is shown only in a sandboxed frame. */
export const CampaignDetailsSchema = z.object({ ...campaignFields, html: z.string().max(20_000_000) })
export type CampaignDetails = z.infer<typeof CampaignDetailsSchema>

export const UploadOutcomeSchema = z.object({
  group: GroupKeySchema,
  listId: z.string(),
  listName: z.string(),
  contactsAdded: count,
  finished: z.boolean(),
  activitiesNotCompleted: count.optional(),
})
export type UploadOutcome = z.infer<typeof UploadOutcomeSchema>

export const PreflightCheckSchema = z.object({
  id: z.enum([
    'upload_finished',
    'campaign_status',
    'not_scheduled',
    'confirmed_senders',
    'recipient_list',
    'not_sent_by_this_job',
  ]),
  result: z.enum(['ok', 'note', 'blocked']),
  title: z.string(),
  message: z.string(),
  hint: z.string().optional(),
})
export type PreflightCheck = z.infer<typeof PreflightCheckSchema>

export const PreflightResultSchema = z.object({
  group: GroupKeySchema,
  campaign: z.object(campaignFields),
  list: z
    .object({
      listId: z.string(),
      listName: z.string(),
      contactsAdded: count,
      uploadFinished: z.boolean(),
      membersNow: count.optional(),
    })
    .optional(),
  replaces: z.array(RecipientRefSchema),
  checks: z.array(PreflightCheckSchema),
  canSend: z.boolean(),
})
export type PreflightResult = z.infer<typeof PreflightResultSchema>

export const SendPhaseSchema = z.enum(['not_sent', 'in_progress', 'checking', 'scheduled', 'sending', 'sent'])
export type SendPhase = z.infer<typeof SendPhaseSchema>

export const SendConfirmationSchema = z.object({
  scheduleAnswer: z.unknown().optional(),
  sendId: z.number().optional(),
  count: z.number().optional(),
  runDate: z.string().optional(),
  sendStatus: z.string().optional(),
  source: z.enum(['answer', 'checked_after_interruption']),
})
export type SendConfirmation = z.infer<typeof SendConfirmationSchema>

export const GroupSendStateSchema = z.object({
  group: GroupKeySchema,
  phase: SendPhaseSchema,
  campaignId: z.string().optional(),
  campaignName: z.string().optional(),
  activityId: z.string().optional(),
  listId: z.string().optional(),
  listName: z.string().optional(),
  contacts: z.number().optional(),
  when: z.string().optional(),
  scheduledFor: z.string().optional(),
  acceptedAt: z.string().optional(),
  sentAt: z.string().optional(),
  confirmation: SendConfirmationSchema.optional(),
  lastProblem: z.string().optional(),
  canUnschedule: z.boolean(),
})
export type GroupSendState = z.infer<typeof GroupSendStateSchema>

export const SendResultSchema = z.object({ state: GroupSendStateSchema, alreadyDone: z.boolean() })
export type SendResult = z.infer<typeof SendResultSchema>

/** At most 5 addresses a test; what the person typed is checked by the engine, with its words. */
export const TestSendInputSchema = z.object({
  campaignId: CampaignIdSchema,
  addresses: z.union([z.array(z.string().max(320)).max(50), z.string().max(4_000)]),
  personalMessage: z.string().max(1_000).optional(),
})

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

/** What the Send screen needs to know about a job before anything else. */
export const SendJobSchema = z.object({
  /** The person's names for the two groups (from Map). */
  groupNames: perGroup(z.string()),
  /** What the upload of each group did; a group that wasn't uploaded is absent. */
  uploads: z.array(UploadOutcomeSchema),
})
export type SendJob = z.infer<typeof SendJobSchema>
