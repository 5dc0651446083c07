/**
 * What the local Constant Contact keeps (see store.ts), declared once as schemas: the types come
 * from them, and a saved state is read back through them (see state-file.ts), so a state file that
 * was changed or cut short is refused with a message rather than half-used.
 */
import { z } from 'zod'

const text = z.string()
const texts = z.array(text)
/** Milliseconds on the simulated clock, or a count. */
const whole = z.number()

const AccountEmailRecordSchema = z.object({
  email_address: text,
  email_id: whole,
  confirm_status: z.enum(['CONFIRMED', 'UNCONFIRMED']),
  confirm_time: text.optional(),
  confirm_source_type: text,
  roles: texts,
  pending_roles: texts,
})

const AccountRecordSchema = z.object({
  summary: z.object({
    contact_email: text,
    contact_phone: text,
    country_code: text,
    encoded_account_id: text,
    first_name: text,
    last_name: text,
    organization_name: text,
    organization_phone: text,
    state_code: text,
    time_zone_id: text,
    website: text,
    physical_address: z.object({
      address_line1: text,
      address_line2: text.optional(),
      city: text,
      state_code: text,
      postal_code: text,
      country_code: text,
    }),
  }),
  emails: z.array(AccountEmailRecordSchema),
})
export type AccountRecord = z.infer<typeof AccountRecordSchema>

const ListRecordSchema = z.object({
  list_id: text,
  name: text,
  description: text.optional(),
  favorite: z.boolean(),
  created_at: text,
  updated_at: text,
})
export type ListRecord = z.infer<typeof ListRecordSchema>

/**
 * A contact. A saved state's contacts (up to a million) are not parsed with this schema one by one:
 * state-file.ts checks each column's values against its field's schema as it decodes them.
 */
export const ContactRecordSchema = z.object({
  contact_id: text,
  address: text,
  permission_to_send: z.enum(['implicit', 'explicit', 'unsubscribed', 'pending_confirmation', 'not_set', 'temp_hold']),
  opt_in_source: z.enum(['Account', 'Contact']),
  opt_in_date: text.optional(),
  opt_out_source: z.enum(['Account', 'Contact']).optional(),
  opt_out_date: text.optional(),
  first_name: text.optional(),
  last_name: text.optional(),
  job_title: text.optional(),
  company_name: text.optional(),
  birthday_month: whole.optional(),
  birthday_day: whole.optional(),
  anniversary: text.optional(),
  phones: z.array(z.object({ kind: text, phone_number: text })),
  addresses: z.array(
    z.object({
      kind: text,
      street: text.optional(),
      city: text.optional(),
      state: text.optional(),
      postal_code: text.optional(),
      country: text.optional(),
    }),
  ),
  /** custom_field_id → value */
  custom_fields: z.record(text, text),
  lists: texts,
  created_at: text,
  updated_at: text,
})
export type ContactRecord = z.infer<typeof ContactRecordSchema>

const CustomFieldRecordSchema = z.object({
  custom_field_id: text,
  label: text,
  name: text,
  type: text,
  created_at: text,
  updated_at: text,
})

const ActivityKindSchema = z.enum([
  'json_import',
  'file_import',
  'add_list_memberships',
  'remove_list_memberships',
  'contact_export',
])
export type ActivityKind = z.infer<typeof ActivityKindSchema>

/** One contact of an import as received: field name → value (`cf:<name>` for custom fields). */
const ImportItemSchema = z.record(text, z.unknown())
export type ImportItem = z.infer<typeof ImportItemSchema>

export const ActivityRecordSchema = z.object({
  activity_id: text,
  kind: ActivityKindSchema,
  state: z.enum(['initialized', 'processing', 'completed', 'cancelled', 'failed', 'timed_out']),
  created_at: text,
  updated_at: text,
  started_at: text.optional(),
  completed_at: text.optional(),
  source_file_name: text.optional(),
  /** When processing starts and how long it takes (simulated clock, ms since epoch / ms). */
  start_ms: whole,
  duration_ms: whole,
  list_ids: texts,
  /** Imports: the contacts; membership activities: resolved contact IDs. Dropped once finished. */
  items: z.array(z.union([text, ImportItemSchema])),
  applied: whole,
  /** The work fell behind its schedule (more due than a slice could do): it ends when it is really done. */
  lagged: z.boolean().optional(),
  total: whole,
  /** A failure requested by a test: the activity stops at this many items with this state. */
  fail: z.object({ state: z.enum(['failed', 'timed_out']), at_item: whole, errors: texts }).optional(),
  counts: z.record(text, whole),
  activity_errors: texts,
  /** Contact exports: the contacts chosen when it was received and the columns asked for; kept for its file. */
  export: z.object({ contact_ids: texts, fields: texts }).optional(),
})
export type ActivityRecord = z.infer<typeof ActivityRecordSchema>

const CampaignRecordSchema = z.object({
  campaign_id: text,
  name: text,
  type: text,
  type_code: whole,
  created_at: text,
  updated_at: text,
  activity_ids: z.array(z.object({ campaign_activity_id: text, role: text })),
})
export type CampaignRecord = z.infer<typeof CampaignRecordSchema>

const CampaignStatusSchema = z.enum(['DRAFT', 'SCHEDULED', 'EXECUTING', 'DONE', 'ERROR', 'REMOVED'])

export const CampaignActivityRecordSchema = z.object({
  campaign_activity_id: text,
  campaign_id: text,
  role: z.enum(['primary_email', 'permalink']),
  current_status: CampaignStatusSchema,
  format_type: whole,
  from_email: text,
  from_name: text,
  reply_to_email: text,
  subject: text,
  preheader: text.optional(),
  html_content: text,
  contact_list_ids: texts,
  segment_ids: z.array(whole),
  permalink_url: text,
  physical_address_in_footer: z.record(text, text).optional(),
  document_properties: z.record(text, text).optional(),
  /** Set while SCHEDULED. */
  scheduled_date: text.optional(),
  /** Status to return to when a schedule is deleted. */
  status_before_schedule: CampaignStatusSchema.optional(),
  /** When an EXECUTING send finishes (simulated ms). */
  executing_until_ms: whole.optional(),
  /** Contact IDs that already received this activity: a DONE re-send goes only to the others. */
  recipients: texts,
  send_history: z.array(
    z.object({
      send_id: whole,
      contact_list_ids: texts,
      segment_ids: z.array(whole),
      count: whole,
      run_date: text,
      send_status: text,
      reason_code: whole,
    }),
  ),
})
export type CampaignActivityRecord = z.infer<typeof CampaignActivityRecordSchema>

const TestSendRecordSchema = z.object({
  campaign_activity_id: text,
  email_addresses: texts,
  personal_message: text.optional(),
  sent_at: text,
})
export type TestSendRecord = z.infer<typeof TestSendRecordSchema>

const AuthStateSchema = z.object({
  codes: z.array(
    z.object({
      hash: text,
      client_id: text,
      redirect_uri: text,
      code_challenge: text,
      scopes: texts,
      expires_ms: whole,
      used: z.boolean(),
    }),
  ),
  refresh_tokens: z.array(
    z.object({
      hash: text,
      client_id: text,
      scopes: texts,
      created_ms: whole,
      last_used_ms: whole,
      revoked: z.boolean(),
    }),
  ),
  access_tokens: z.array(z.object({ hash: text, client_id: text, scopes: texts, expires_ms: whole })),
  device_codes: z.array(
    z.object({
      hash: text,
      user_code: text,
      client_id: text,
      scopes: texts,
      expires_ms: whole,
      interval_s: whole,
      last_poll_ms: whole,
      decision: z.enum(['pending', 'approved', 'denied']),
      redeemed: z.boolean(),
    }),
  ),
})

export const SimDataSchema = z.object({
  schema_version: z.literal(1),
  account: AccountRecordSchema,
  lists: z.array(ListRecordSchema),
  contacts: z.array(ContactRecordSchema),
  custom_fields: z.array(CustomFieldRecordSchema),
  activities: z.array(ActivityRecordSchema),
  campaigns: z.array(CampaignRecordSchema),
  campaign_activities: z.array(CampaignActivityRecordSchema),
  test_sends: z.array(TestSendRecordSchema),
  auth: AuthStateSchema,
  usage: z.object({ day: text, count: whole }),
  /** Simulated-clock offset (ms) a test moved time by; kept so a restart doesn't undo it. */
  clock_offset_ms: whole,
})
export type SimData = z.infer<typeof SimDataSchema>
