/**
 * Plain-data results of the Send step. Everything here is JSON-serialisable (dates are ISO-8601
 * strings in UTC), so it can cross IPC unchanged; the UI shows dates in the person's own zone.
 */
import type { GroupKey } from '../../../shared/ids'

export type { GroupKey }

/** Statuses of a campaign's primary email, as Constant Contact names them. */
export type EmailStatus = 'DRAFT' | 'SCHEDULED' | 'EXECUTING' | 'DONE' | 'ERROR' | 'REMOVED'

/** One campaign in the picker. */
export interface CampaignChoice {
  campaignId: string
  name: string
  /** Constant Contact's campaign status ("Draft", "Scheduled", "Done", …). */
  status: string
  /** When the campaign last changed (ISO-8601). */
  updatedAt?: string
  createdAt?: string
  /** Whether its primary email can be sent now; when not, `notSelectableReason` says why. */
  selectable: boolean
  notSelectableReason?: string
}

/** A list or segment a campaign is addressed to now. */
export interface RecipientRef {
  kind: 'list' | 'segment'
  id: string
  /** The list's name when Constant Contact could tell it. */
  name?: string
}

/** What the person sees of one campaign before choosing it. */
export interface CampaignDetails {
  campaignId: string
  name: string
  /** The primary email's activity ID (what is scheduled, tested and sent). */
  activityId: string
  status: EmailStatus
  subject: string
  preheader?: string
  fromName: string
  fromEmail: string
  replyToEmail: string
  recipients: RecipientRef[]
  /** The email's HTML, for a preview in a sandboxed frame (scripts and remote loads off). */
  html: string
  /** Sent before: how many times (Constant Contact's send record), and when last. */
  timesSent: number
  lastSentAt?: string
  /** Set while the email is scheduled. */
  scheduledFor?: string
}

/** What the upload of one group produced, as the send step needs it. */
export interface UploadOutcomeForSend {
  group: GroupKey
  listId: string
  listName: string
  /** Contacts Constant Contact reported as added (or updated) on the list by this job. */
  contactsAdded: number
  /** True when every activity of the group's upload reached a final state. */
  finished: boolean
  /** Activities of a finished upload that ended without completing (failed for good, refused): their contacts may be missing. */
  activitiesNotCompleted?: number
}

export type PreflightCheckId =
  | 'upload_finished'
  | 'campaign_status'
  | 'not_scheduled'
  | 'confirmed_senders'
  | 'recipient_list'
  | 'not_sent_by_this_job'

/** One check before sending, explained in plain words. */
export interface PreflightCheck {
  id: PreflightCheckId
  /** `ok` passes; `note` passes but the person should read it; `blocked` stops the send. */
  result: 'ok' | 'note' | 'blocked'
  title: string
  message: string
  /** What to do about it (for `blocked`). */
  hint?: string
}

export interface PreflightResult {
  group: GroupKey
  campaign: Omit<CampaignDetails, 'html'>
  /** The group's list, from its upload (absent when the group wasn't uploaded). */
  list?: { listId: string; listName: string; contactsAdded: number; uploadFinished: boolean; membersNow?: number }
  /** Lists or segments the campaign is addressed to now that the group's list will replace. */
  replaces: RecipientRef[]
  checks: PreflightCheck[]
  /** True when no check is `blocked`. */
  canSend: boolean
}

/** When to send: now, or at an ISO-8601 date-time (sent to Constant Contact in UTC). */
export type SendWhen = 'now' | string

export type SendPhase =
  /** Nothing sent for this group in this job (or a schedule was cancelled, or an attempt was refused). */
  | 'not_sent'
  /** A send is being made right now (another window or process holds the job). */
  | 'in_progress'
  /** Splitsend asked Constant Contact to send, but doesn't know yet whether it did: it checks before anything else. */
  | 'checking'
  /** Scheduled for a later time; can still be cancelled. */
  | 'scheduled'
  /** Constant Contact is sending it now, or has sent it. */
  | 'sending'
  | 'sent'

/** Where the send of one group stands. */
export interface GroupSendState {
  group: GroupKey
  phase: SendPhase
  campaignId?: string
  campaignName?: string
  activityId?: string
  listId?: string
  listName?: string
  /** Contacts on the list when the send was made (for the confirmation and the report). */
  contacts?: number
  /** `now`, or the UTC date-time it was scheduled for. */
  when?: SendWhen
  scheduledFor?: string
  /** When Constant Contact accepted the send (ISO). */
  acceptedAt?: string
  /** When it went out, from Constant Contact's send record. */
  sentAt?: string
  /** Constant Contact's own record of the send: its send ID and how many it went to, when known. */
  confirmation?: SendConfirmation
  /** The last attempt that was refused or failed, in plain words (phase is then `not_sent`). */
  lastProblem?: string
  /** True while a scheduled send can still be cancelled. */
  canUnschedule: boolean
}

export interface SendConfirmation {
  /** What Constant Contact answered to the schedule request (`[]` for "send now"). */
  scheduleAnswer?: unknown
  sendId?: number
  count?: number
  runDate?: string
  sendStatus?: string
  /** How Splitsend knows: the answer to its request, or a check after an interruption. */
  source: 'answer' | 'checked_after_interruption'
}

export interface SendResult {
  state: GroupSendState
  /** True when this call found the send already made (by this job) and sent nothing new. */
  alreadyDone: boolean
}
