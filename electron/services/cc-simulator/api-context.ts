import type { ActivityEngine } from './activities'
import type { Clock } from './clock'
import type { SimStore } from './store'
import type { SimResponse } from './http-util'

/** What an API handler gets: the request, already authenticated, and the simulator's state. */
export interface ApiContext {
  method: string
  url: URL
  /** Path parameters, e.g. `{ list_id }`. */
  params: Record<string, string>
  rawBody: Buffer
  /** The Content-Type's media type and parameters, lower-cased. */
  contentType: string
  /** The Content-Type header as sent (a multipart boundary is case-sensitive). */
  contentTypeHeader: string
  store: SimStore
  clock: Clock
  engine: ActivityEngine
  settings: SimSettings
}

/** Limits and switches a test can change while the simulator runs. */
export interface SimSettings {
  requestsPerSecond: number
  requestsPerDay: number
  queuedActivities: number
  /** 'owner' may do everything; 'campaign_creator' can't touch contacts or lists (403). */
  userRole: 'owner' | 'campaign_creator'
  /**
   * Strict mode, for the tests of what isn't documented: GET /activities lists in an order of no
   * meaning, and an import's items_total_count counts a header row.
   */
  strictActivities: boolean
  quirks: SimQuirks
}

/**
 * Behaviour Constant Contact doesn't document, one setting for each way it could turn out, so tests
 * show the client working either way. The defaults are the plainest reading of the documentation.
 */
export interface SimQuirks {
  /**
   * The export file's header row: the field names asked for (`contact_id,email_address,…`), or labels
   * as the product's own exports write them (`Contact ID,Email address,…`).
   */
  exportHeaders: 'field_names' | 'labels'
  /** `_links.results.href` of a finished export: the documented path, or as the description's example spells it (`/v3/contacts_exports/…`). */
  exportResultsLink: 'path' | 'spec_example'
  /**
   * `status.items_total_count` of a remove_list_memberships by contact_ids: every ID sent, or only
   * those that were members of the lists when it was received.
   */
  removalCount: 'requested' | 'members'
}

export const DEFAULT_QUIRKS: SimQuirks = Object.freeze({
  exportHeaders: 'field_names',
  exportResultsLink: 'path',
  removalCount: 'requested',
})

type ApiHandler = (ctx: ApiContext) => SimResponse | Promise<SimResponse>

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Path under /v3 with `{name}` parameters. */
  path: string
  scope: 'contact_data' | 'campaign_data' | 'account_read'
  /** The x-authorization-privileges entry of the operation. */
  privilege: string
  handler: ApiHandler
}
