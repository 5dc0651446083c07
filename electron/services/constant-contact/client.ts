import {
  createTransport,
  DEFAULT_RETRY_POLICY,
  type CcEvent,
  type CcRequest,
  type RetryPolicy,
  type TokenSource,
  type Transport,
} from './transport'
import type { RateLimiter } from './rate-limiter'
import { sharedRateLimiter } from './rate-limiter'
import { ConstantContactError, type CcArea } from './errors'
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

  /** One request's answer body; the per-call options go last so a caller's choice wins. */
  const answer = async <T>(request: CcRequest, call: CallOptions): Promise<T> =>
    (await send<T>({ ...request, ...opts(call) })).body
  /** A read: always harmless to repeat. `query` may be a `_links.next` page instead. */
  const read = <T>(area: CcArea, path: string, query: object | NextPage | undefined, call: CallOptions) =>
    answer<T>({ method: 'GET', ...page(query, path), area, repeatable: true }, call)
  /** Starts a bulk activity (where a 429 can mean "1,000 activities queued"). */
  const startActivity = <T>(path: string, body: Pick<CcRequest, 'json' | 'jsonBytes' | 'form'>, call: CallOptions) =>
    answer<T>({ method: 'POST', path, ...body, area: 'contacts', repeatable: true, activityPost: true }, call)

  const client = {
    apiBase: options.apiBase,
    /** The retry timing in force, for callers that retry at their own level (e.g. after reconciling). */
    retryPolicy: Object.freeze({ ...DEFAULT_RETRY_POLICY, ...options.retry }) as Readonly<RetryPolicy>,

    // Account
    getAccountSummary: (query: { extra_fields?: string } = {}, call: CallOptions = {}) =>
      read<AccountSummary>('account', '/account/summary', query, call),
    getAccountEmails: (query: AccountEmailsQuery = {}, call: CallOptions = {}) =>
      read<AccountEmail[]>('account', '/account/emails', query, call),

    // Contact lists
    getLists: (query: ContactListsQuery | NextPage = {}, call: CallOptions = {}) =>
      read<ContactListsPage>('contacts', '/contact_lists', query, call),
    /** The list whose name is exactly `name` (Constant Contact's `name` filter), or undefined. */
    async findListByName(name: string, call: CallOptions = {}): Promise<ContactList | undefined> {
      const result = await client.getLists({ name, include_membership_count: 'all', limit: 50 }, call)
      return result.lists?.find((list) => list.name === name)
    },
    getList: (listId: string, query: { include_membership_count?: 'all' | 'active' } = {}, call: CallOptions = {}) =>
      read<ContactList>('contacts', `/contact_lists/${id(listId)}`, query, call),
    /** Creates a list. A retry after a lost answer may meet its own list: that shows as `cc_conflict`. */
    createList: (input: ContactListInput, call: CallOptions = {}) =>
      answer<ContactListCreated>(
        { method: 'POST', path: '/contact_lists', json: input, area: 'contacts', repeatable: true },
        call,
      ),
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
    getCustomFields: (query: { limit?: number } | NextPage = { limit: 100 }, call: CallOptions = {}) =>
      read<CustomFieldsPage>('contacts', '/contact_custom_fields', query, call),
    createCustomField: (input: CustomFieldInput, call: CallOptions = {}) =>
      answer<CustomField>(
        { method: 'POST', path: '/contact_custom_fields', json: input, area: 'contacts', repeatable: true },
        call,
      ),

    // Contacts
    getContacts: (query: ContactsQuery | NextPage = {}, call: CallOptions = {}) =>
      read<ContactsPage>('contacts', '/contacts', query, call),

    // Bulk activities (imports upsert by email, so sending one twice is harmless)
    /** `body`: the request, or its JSON's bytes when the caller built them already (see upload/bodies.ts). */
    importContactsJson: (body: JsonImportRequest | { jsonBytes: Uint8Array }, call: CallOptions = {}) =>
      startActivity<ImportActivity>(
        '/activities/contacts_json_import',
        'jsonBytes' in body ? { jsonBytes: body.jsonBytes } : { json: body },
        call,
      ),
    /** `csv` must start with a header row naming `email` and any other columns (constant-contact-v3.md §3.2). */
    importContactsFile(
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
      return startActivity<ImportActivity>('/activities/contacts_file_import', { form }, call)
    },
    addListMemberships: (body: ListMembershipAddRequest, call: CallOptions = {}) =>
      startActivity<ListMembershipActivity>('/activities/add_list_memberships', { json: body }, call),
    removeListMemberships: (body: ListMembershipRemoveRequest, call: CallOptions = {}) =>
      startActivity<ListMembershipActivity>('/activities/remove_list_memberships', { json: body }, call),
    /**
     * Starts an export of contacts to a CSV file (one activity; its `_links.results` names the file
     * once it has completed). Harmless to repeat: a second export changes nothing in the account.
     */
    createContactExport: (body: ContactExportRequest, call: CallOptions = {}) =>
      startActivity<ContactExportActivity>('/activities/contact_exports', { json: body }, call),
    /**
     * Reads a finished export's CSV file: `consume` gets the answer's body as it arrives (to stream it
     * to disk; it may be called again from the start if the connection breaks) and what it returns is
     * returned.
     */
    readContactExportFile: <R>(
      fileExportId: string,
      consume: (body: ReadableStream<Uint8Array>) => Promise<R>,
      call: CallOptions = {},
    ): Promise<R> =>
      answer<R>(
        {
          method: 'GET',
          path: `/contact_exports/${id(fileExportId)}`,
          area: 'contacts',
          accept: 'text/csv',
          repeatable: true,
          consumeBody: async (response) => {
            if (!response.body) throw new Error('The export file arrived without a body')
            return consume(response.body)
          },
        },
        call,
      ),
    getActivity: (activityId: string, call: CallOptions = {}) =>
      read<Activity>('contacts', `/activities/${id(activityId)}`, undefined, call),
    /** Activities of the last 10 days, newest first. */
    getActivities: (query: ActivitiesQuery | NextPage = {}, call: CallOptions = {}) =>
      read<ActivitiesPage>('contacts', '/activities', query, call),

    // Email campaigns
    getEmailCampaigns: (query: EmailCampaignsQuery | NextPage = {}, call: CallOptions = {}) =>
      read<EmailCampaignsPage>('campaigns', '/emails', query, call),
    /**
     * Creates a campaign (a draft) from one email. Never repeated automatically: a second POST after a
     * lost answer would make a second campaign (or meet its own with 409), so a lost answer throws
     * `cc_outcome_unknown` and the caller looks the campaign up by its unique name.
     */
    createEmailCampaign: (body: NewEmailCampaign, call: CallOptions = {}) =>
      answer<EmailCampaign>(
        { method: 'POST', path: '/emails', json: body, area: 'campaigns', repeatable: false },
        call,
      ),
    getEmailCampaign: (campaignId: string, call: CallOptions = {}) =>
      read<EmailCampaign>('campaigns', `/emails/${id(campaignId)}`, undefined, call),
    getEmailCampaignActivity: (activityId: string, query: { include?: string } = {}, call: CallOptions = {}) =>
      read<EmailCampaignActivity>('campaigns', `/emails/activities/${id(activityId)}`, query, call),
    /** Replaces the whole activity: GET it, change what you need, PUT it back (the API's rule). */
    updateEmailCampaignActivity: (activityId: string, body: EmailCampaignActivity, call: CallOptions = {}) =>
      answer<EmailCampaignActivity>(
        {
          method: 'PUT',
          path: `/emails/activities/${id(activityId)}`,
          json: body,
          area: 'campaigns',
          repeatable: true,
        },
        call,
      ),
    getEmailSchedules: (activityId: string, call: CallOptions = {}) =>
      read<EmailSchedule[]>('campaigns', `/emails/activities/${id(activityId)}/schedules`, undefined, call),
    /**
     * Schedules a send: `scheduledDate` is an ISO-8601 date-time, or `"0"` to send now (answer `[]`).
     * Never repeated automatically: if the answer is lost this throws `cc_outcome_unknown`, and the
     * caller checks `getEmailSchedules` / `getSendHistory` before deciding anything.
     */
    scheduleEmailCampaignActivity: (activityId: string, scheduledDate: string, call: CallOptions = {}) =>
      answer<EmailSchedule[]>(
        {
          method: 'POST',
          path: `/emails/activities/${id(activityId)}/schedules`,
          json: { scheduled_date: scheduledDate },
          area: 'campaigns',
          repeatable: false,
        },
        call,
      ),
    async unscheduleEmailCampaignActivity(activityId: string, call: CallOptions = {}): Promise<void> {
      await answer<undefined>(
        {
          method: 'DELETE',
          path: `/emails/activities/${id(activityId)}/schedules`,
          area: 'campaigns',
          repeatable: true,
        },
        call,
      )
    },
    /** Sends a test (at most 5 addresses); not repeated automatically, since each address counts toward 50 a day. */
    async sendTestEmail(activityId: string, body: EmailTestSendRequest, call: CallOptions = {}): Promise<void> {
      await answer<undefined>(
        {
          method: 'POST',
          path: `/emails/activities/${id(activityId)}/tests`,
          json: body,
          area: 'campaigns',
          repeatable: false,
        },
        call,
      )
    },
    getSendHistory: (activityId: string, call: CallOptions = {}) =>
      read<EmailSendRecord[]>('campaigns', `/emails/activities/${id(activityId)}/send_history`, undefined, call),
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
