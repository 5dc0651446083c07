import {
  createTransport,
  DEFAULT_RETRY_POLICY,
  type CcEvent,
  type RetryPolicy,
  type TokenSource,
  type Transport,
} from './transport'
import type { RateLimiter } from './rate-limiter'
import { sharedRateLimiter } from './rate-limiter'
import { ConstantContactError } from './errors'
import type {
  AccountEmail,
  AccountEmailsQuery,
  AccountSummary,
  ActivitiesPage,
  ActivitiesQuery,
  Activity,
  ContactExportActivity,
  ContactExportRequest,
  ContactList,
  ContactListCreated,
  ContactListInput,
  ContactListsPage,
  ContactListsQuery,
  ContactsPage,
  ContactsQuery,
  CustomField,
  CustomFieldInput,
  CustomFieldsPage,
  EmailCampaign,
  NewEmailCampaign,
  EmailCampaignActivity,
  EmailCampaignsPage,
  EmailCampaignsQuery,
  EmailSchedule,
  EmailSendRecord,
  EmailTestSendRequest,
  ImportActivity,
  JsonImportRequest,
  ListMembershipActivity,
  ListMembershipAddRequest,
  ListMembershipRemoveRequest,
} from './types'

export interface CcClientOptions {
  apiBase: string
  tokens: TokenSource
  /** Defaults to the one limiter shared by the whole process. */
  limiter?: RateLimiter
  retry?: Partial<RetryPolicy>
  fetch?: typeof fetch
  onEvent?: (event: CcEvent) => void
}

/** Per-call options: a signal to stop waiting (pausing an upload, closing a window). */
export interface CallOptions {
  signal?: AbortSignal
  /**
   * Overrides whether the transport may send the request again when its answer is lost (see
   * `CcRequest.repeatable`). A caller that reconciles lost answers itself (the upload engine, for
   * imports) passes `false`, so a lost answer surfaces as `cc_outcome_unknown` instead of a resend.
   */
  repeatable?: boolean
}

/** A `_links.next.href` from a previous page; pass it instead of a query to get the next page. */
export interface NextPage {
  next: string
}

/** The typed Constant Contact V3 client: every operation Splitsend uses, nothing else. */
export type CcClient = ReturnType<typeof createCcClient>

export function createCcClient(options: CcClientOptions) {
  const send: Transport = createTransport({
    apiBase: options.apiBase,
    tokens: options.tokens,
    limiter: options.limiter ?? sharedRateLimiter(),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  })
  const id = (value: string): string => encodeURIComponent(value)
  // Only the options actually given: an explicit `undefined` must not override a request's default.
  const opts = (call: CallOptions): CallOptions => {
    const given: CallOptions = {}
    if (call.signal) given.signal = call.signal
    if (call.repeatable !== undefined) given.repeatable = call.repeatable
    return given
  }
  const page = (query: object | NextPage | undefined, path: string) =>
    query && 'next' in query
      ? { path: (query as NextPage).next }
      : { path, query: query as Record<string, string | number | boolean | undefined> }

  const client = {
    apiBase: options.apiBase,
    /** The retry timing in force, for callers that retry at their own level (e.g. after reconciling). */
    retryPolicy: Object.freeze({ ...DEFAULT_RETRY_POLICY, ...options.retry }) as Readonly<RetryPolicy>,

    // Account
    async getAccountSummary(query: { extra_fields?: string } = {}, call: CallOptions = {}): Promise<AccountSummary> {
      return (
        await send<AccountSummary>({
          method: 'GET',
          path: '/account/summary',
          query,
          area: 'account',
          repeatable: true,
          ...opts(call),
        })
      ).body
    },
    async getAccountEmails(query: AccountEmailsQuery = {}, call: CallOptions = {}): Promise<AccountEmail[]> {
      return (
        await send<AccountEmail[]>({
          method: 'GET',
          path: '/account/emails',
          query,
          area: 'account',
          repeatable: true,
          ...opts(call),
        })
      ).body
    },

    // Contact lists
    async getLists(query: ContactListsQuery | NextPage = {}, call: CallOptions = {}): Promise<ContactListsPage> {
      return (
        await send<ContactListsPage>({
          method: 'GET',
          ...page(query, '/contact_lists'),
          area: 'contacts',
          repeatable: true,
          ...opts(call),
        })
      ).body
    },
    /** The list whose name is exactly `name` (Constant Contact's `name` filter), or undefined. */
    async findListByName(name: string, call: CallOptions = {}): Promise<ContactList | undefined> {
      const result = await client.getLists({ name, include_membership_count: 'all', limit: 50 }, call)
      return result.lists?.find((list) => list.name === name)
    },
    async getList(
      listId: string,
      query: { include_membership_count?: 'all' | 'active' } = {},
      call: CallOptions = {},
    ): Promise<ContactList> {
      return (
        await send<ContactList>({
          method: 'GET',
          path: `/contact_lists/${id(listId)}`,
          query,
          area: 'contacts',
          repeatable: true,
          ...opts(call),
        })
      ).body
    },
    /** Creates a list. A retry after a lost answer may meet its own list: that shows as `cc_conflict`. */
    async createList(input: ContactListInput, call: CallOptions = {}): Promise<ContactListCreated> {
      return (
        await send<ContactListCreated>({
          method: 'POST',
          path: '/contact_lists',
          json: input,
          area: 'contacts',
          repeatable: true,
          ...opts(call),
        })
      ).body
    },
    /** Finds the list by exact name, creating it only if absent, so a re-run never makes a second list. */
    async findOrCreateList(
      input: ContactListInput,
      call: CallOptions = {},
    ): Promise<{ list: ContactList; created: boolean }> {
      const existing = await client.findListByName(input.name, call)
      if (existing) return { list: existing, created: false }
      return client.createListUnlessItExists(input, call)
    },
    /** For a name just looked up and not found: creates it, or takes the list someone made in between. */
    async createListUnlessItExists(
      input: ContactListInput,
      call: CallOptions = {},
    ): Promise<{ list: ContactList; created: boolean }> {
      try {
        return { list: await client.createList(input, call), created: true }
      } catch (error) {
        if (!(error instanceof ConstantContactError && error.code === 'cc_conflict')) throw error
        const raced = await client.findListByName(input.name, call)
        if (!raced) throw error
        return { list: raced, created: false }
      }
    },

    // Custom fields
    async getCustomFields(
      query: { limit?: number } | NextPage = { limit: 100 },
      call: CallOptions = {},
    ): Promise<CustomFieldsPage> {
      return (
        await send<CustomFieldsPage>({
          method: 'GET',
          ...page(query, '/contact_custom_fields'),
          area: 'contacts',
          repeatable: true,
          ...opts(call),
        })
      ).body
    },
    async createCustomField(input: CustomFieldInput, call: CallOptions = {}): Promise<CustomField> {
      return (
        await send<CustomField>({
          method: 'POST',
          path: '/contact_custom_fields',
          json: input,
          area: 'contacts',
          repeatable: true,
          ...opts(call),
        })
      ).body
    },

    // Contacts
    async getContacts(query: ContactsQuery | NextPage = {}, call: CallOptions = {}): Promise<ContactsPage> {
      return (
        await send<ContactsPage>({
          method: 'GET',
          ...page(query, '/contacts'),
          area: 'contacts',
          repeatable: true,
          ...opts(call),
        })
      ).body
    },

    // Bulk activities (imports upsert by email, so sending one twice is harmless)
    /** `body`: the request, or its JSON's bytes when the caller built them already (see upload/bodies.ts). */
    async importContactsJson(
      body: JsonImportRequest | { jsonBytes: Uint8Array },
      call: CallOptions = {},
    ): Promise<ImportActivity> {
      const payload = 'jsonBytes' in body ? { jsonBytes: body.jsonBytes } : { json: body }
      return (
        await send<ImportActivity>({
          method: 'POST',
          path: '/activities/contacts_json_import',
          ...payload,
          area: 'contacts',
          repeatable: true,
          activityPost: true,
          ...opts(call),
        })
      ).body
    },
    /** `csv` must start with a header row naming `email` and any other columns (constant-contact-v3.md §3.2). */
    async importContactsFile(
      input: {
        csv: string | Uint8Array
        fileName: string
        listIds: string[]
        smsPermissionToSend?: 'not_set' | 'explicit'
      },
      call: CallOptions = {},
    ): Promise<ImportActivity> {
      const form = new FormData()
      form.set('file', new Blob([input.csv], { type: 'text/csv' }), input.fileName)
      form.set('list_ids', input.listIds.join(','))
      if (input.smsPermissionToSend) form.set('sms_permission_to_send', input.smsPermissionToSend)
      return (
        await send<ImportActivity>({
          method: 'POST',
          path: '/activities/contacts_file_import',
          form,
          area: 'contacts',
          repeatable: true,
          activityPost: true,
          ...opts(call),
        })
      ).body
    },
    async addListMemberships(body: ListMembershipAddRequest, call: CallOptions = {}): Promise<ListMembershipActivity> {
      return (
        await send<ListMembershipActivity>({
          method: 'POST',
          path: '/activities/add_list_memberships',
          json: body,
          area: 'contacts',
          repeatable: true,
          activityPost: true,
          ...opts(call),
        })
      ).body
    },
    async removeListMemberships(
      body: ListMembershipRemoveRequest,
      call: CallOptions = {},
    ): Promise<ListMembershipActivity> {
      return (
        await send<ListMembershipActivity>({
          method: 'POST',
          path: '/activities/remove_list_memberships',
          json: body,
          area: 'contacts',
          repeatable: true,
          activityPost: true,
          ...opts(call),
        })
      ).body
    },
    /**
     * Starts an export of contacts to a CSV file (one activity; its `_links.results` names the file
     * once it has completed). Harmless to repeat: a second export changes nothing in the account.
     */
    async createContactExport(body: ContactExportRequest, call: CallOptions = {}): Promise<ContactExportActivity> {
      return (
        await send<ContactExportActivity>({
          method: 'POST',
          path: '/activities/contact_exports',
          json: body,
          area: 'contacts',
          repeatable: true,
          activityPost: true,
          ...opts(call),
        })
      ).body
    },
    /**
     * Reads a finished export's CSV file: `consume` gets the answer's body as it arrives (to stream it
     * to disk; it may be called again from the start if the connection breaks) and what it returns is
     * returned.
     */
    async readContactExportFile<R>(
      fileExportId: string,
      consume: (body: ReadableStream<Uint8Array>) => Promise<R>,
      call: CallOptions = {},
    ): Promise<R> {
      return (
        await send<R>({
          method: 'GET',
          path: `/contact_exports/${id(fileExportId)}`,
          area: 'contacts',
          accept: 'text/csv',
          repeatable: true,
          consumeBody: async (response) => {
            if (!response.body) throw new Error('The export file arrived without a body')
            return consume(response.body)
          },
          ...opts(call),
        })
      ).body
    },
    async getActivity(activityId: string, call: CallOptions = {}): Promise<Activity> {
      return (
        await send<Activity>({
          method: 'GET',
          path: `/activities/${id(activityId)}`,
          area: 'contacts',
          repeatable: true,
          ...opts(call),
        })
      ).body
    },
    /** Activities of the last 10 days, newest first. */
    async getActivities(query: ActivitiesQuery | NextPage = {}, call: CallOptions = {}): Promise<ActivitiesPage> {
      return (
        await send<ActivitiesPage>({
          method: 'GET',
          ...page(query, '/activities'),
          area: 'contacts',
          repeatable: true,
          ...opts(call),
        })
      ).body
    },

    // Email campaigns
    async getEmailCampaigns(
      query: EmailCampaignsQuery | NextPage = {},
      call: CallOptions = {},
    ): Promise<EmailCampaignsPage> {
      return (
        await send<EmailCampaignsPage>({
          method: 'GET',
          ...page(query, '/emails'),
          area: 'campaigns',
          repeatable: true,
          ...opts(call),
        })
      ).body
    },
    /**
     * Creates a campaign (a draft) from one email. Never repeated automatically: a second POST after a
     * lost answer would make a second campaign (or meet its own with 409), so a lost answer throws
     * `cc_outcome_unknown` and the caller looks the campaign up by its unique name.
     */
    async createEmailCampaign(body: NewEmailCampaign, call: CallOptions = {}): Promise<EmailCampaign> {
      return (
        await send<EmailCampaign>({
          method: 'POST',
          path: '/emails',
          json: body,
          area: 'campaigns',
          repeatable: false,
          ...opts(call),
        })
      ).body
    },
    async getEmailCampaign(campaignId: string, call: CallOptions = {}): Promise<EmailCampaign> {
      return (
        await send<EmailCampaign>({
          method: 'GET',
          path: `/emails/${id(campaignId)}`,
          area: 'campaigns',
          repeatable: true,
          ...opts(call),
        })
      ).body
    },
    async getEmailCampaignActivity(
      activityId: string,
      query: { include?: string } = {},
      call: CallOptions = {},
    ): Promise<EmailCampaignActivity> {
      return (
        await send<EmailCampaignActivity>({
          method: 'GET',
          path: `/emails/activities/${id(activityId)}`,
          query,
          area: 'campaigns',
          repeatable: true,
          ...opts(call),
        })
      ).body
    },
    /** Replaces the whole activity: GET it, change what you need, PUT it back (the API's rule). */
    async updateEmailCampaignActivity(
      activityId: string,
      body: EmailCampaignActivity,
      call: CallOptions = {},
    ): Promise<EmailCampaignActivity> {
      return (
        await send<EmailCampaignActivity>({
          method: 'PUT',
          path: `/emails/activities/${id(activityId)}`,
          json: body,
          area: 'campaigns',
          repeatable: true,
          ...opts(call),
        })
      ).body
    },
    async getEmailSchedules(activityId: string, call: CallOptions = {}): Promise<EmailSchedule[]> {
      return (
        await send<EmailSchedule[]>({
          method: 'GET',
          path: `/emails/activities/${id(activityId)}/schedules`,
          area: 'campaigns',
          repeatable: true,
          ...opts(call),
        })
      ).body
    },
    /**
     * Schedules a send: `scheduledDate` is an ISO-8601 date-time, or `"0"` to send now (answer `[]`).
     * Never repeated automatically: if the answer is lost this throws `cc_outcome_unknown`, and the
     * caller checks `getEmailSchedules` / `getSendHistory` before deciding anything.
     */
    async scheduleEmailCampaignActivity(
      activityId: string,
      scheduledDate: string,
      call: CallOptions = {},
    ): Promise<EmailSchedule[]> {
      return (
        await send<EmailSchedule[]>({
          method: 'POST',
          path: `/emails/activities/${id(activityId)}/schedules`,
          json: { scheduled_date: scheduledDate },
          area: 'campaigns',
          repeatable: false,
          ...opts(call),
        })
      ).body
    },
    async unscheduleEmailCampaignActivity(activityId: string, call: CallOptions = {}): Promise<void> {
      await send<undefined>({
        method: 'DELETE',
        path: `/emails/activities/${id(activityId)}/schedules`,
        area: 'campaigns',
        repeatable: true,
        ...opts(call),
      })
    },
    /** Sends a test (at most 5 addresses); not repeated automatically, since each address counts toward 50 a day. */
    async sendTestEmail(activityId: string, body: EmailTestSendRequest, call: CallOptions = {}): Promise<void> {
      await send<undefined>({
        method: 'POST',
        path: `/emails/activities/${id(activityId)}/tests`,
        json: body,
        area: 'campaigns',
        repeatable: false,
        ...opts(call),
      })
    },
    async getSendHistory(activityId: string, call: CallOptions = {}): Promise<EmailSendRecord[]> {
      return (
        await send<EmailSendRecord[]>({
          method: 'GET',
          path: `/emails/activities/${id(activityId)}/send_history`,
          area: 'campaigns',
          repeatable: true,
          ...opts(call),
        })
      ).body
    },
  }
  return client
}

/** Follows `_links.next` until the last page, yielding each page (e.g. every contact on a list). */
export async function* allPages<P extends { _links?: { next?: { href?: string } } }>(
  first: () => Promise<P>,
  next: (link: NextPage) => Promise<P>,
): AsyncGenerator<P> {
  let current = await first()
  for (;;) {
    yield current
    const href = current._links?.next?.href
    if (!href) return
    current = await next({ next: href })
  }
}
