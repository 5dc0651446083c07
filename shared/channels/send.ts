/** The Send steps' part of the contract (see ../contract.ts). */
import { z } from 'zod'
import { MembershipProgressSchema, MembershipResultSchema } from '../membership/schemas'
import { request, type RequestSpec } from './request'
import { CampaignIdSchema, GroupKeySchema, JobIdSchema } from '../ids'
import {
  CampaignChoiceSchema,
  CampaignCopySchema,
  CampaignDetailsSchema,
  GroupSendStateSchema,
  PreflightResultSchema,
  SendJobSchema,
  SendResultSchema,
  SendInputSchema,
  TestSendInputSchema,
  TestSendResultSchema,
} from '../send/schemas'

export const sendRequests = {
  /** The job's group names and what its upload did per group (no network). */
  'send.job': request(z.object({ jobId: JobIdSchema }), SendJobSchema),
  /** The account's email campaigns, newest change first; ones that can't be sent say why. */
  'send.campaigns': request(z.object({ search: z.string().max(200).optional() }), z.array(CampaignChoiceSchema)),
  /** One campaign's subject, sender, current recipients and HTML (for a sandboxed preview). */
  'send.campaign': request(z.object({ campaignId: CampaignIdSchema }), CampaignDetailsSchema),
  /** Every check before sending `campaignId` to `group`'s list, in plain words. */
  'send.preflight': request(
    z.object({ jobId: JobIdSchema, group: GroupKeySchema, campaignId: CampaignIdSchema }),
    PreflightResultSchema,
  ),
  /** A test of the campaign to at most 5 addresses (Constant Contact allows 50 test emails a day). */
  'send.test': request(TestSendInputSchema, TestSendResultSchema),
  /** Send (now, or schedule at a UTC time) — exactly once per group per job, however often it is asked. */
  'send.send': request(SendInputSchema, SendResultSchema),
  /**
   * A copy of a campaign Constant Contact can't send to the group's list as it is (preflight's
   * `copy`): a new draft "<name> – <date>", made once per group and campaign however often it is asked.
   */
  'send.copy': request(
    z.object({ jobId: JobIdSchema, group: GroupKeySchema, campaignId: CampaignIdSchema }),
    CampaignCopySchema,
  ),
  /**
   * The person's answer for a group whose send is `unclear` (Constant Contact shows a send that can't
   * be told apart from this job's): it was this job's send, or it wasn't.
   */
  'send.resolve': request(
    z.object({ jobId: JobIdSchema, group: GroupKeySchema, answer: z.enum(['sent', 'not_sent']) }),
    GroupSendStateSchema,
  ),
  /** Cancel a group's scheduled send, until it goes out. */
  'send.unschedule': request(z.object({ jobId: JobIdSchema, group: GroupKeySchema }), GroupSendStateSchema),
  /** Where each group's send stands, checked with Constant Contact. */
  'send.state': request(z.object({ jobId: JobIdSchema }), z.array(GroupSendStateSchema)),
  /**
   * The check found contacts on both lists: take each one who is in the file off the list of the
   * group it isn't in (the removals of "move"), then check again.
   */
  'send.moveBothNow': request(z.object({ jobId: JobIdSchema }), MembershipResultSchema),
  /** The check found contacts on both lists and the person sends anyway (for that finding only). */
  'send.sendAnyway': request(z.object({ jobId: JobIdSchema, checkedAt: z.string().max(40) }), z.boolean()),
} satisfies Record<string, RequestSpec<z.ZodType, z.ZodType>>

export const sendEvents = {
  /** How `send.moveBothNow` is going: reading the lists, comparing, taking contacts off (at most ~10 a second). */
  'send.moveProgress': z.object({ jobId: JobIdSchema, progress: MembershipProgressSchema.omit({ jobDir: true }) }),
} satisfies Record<string, z.ZodType>
