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
}

export type ApiHandler = (ctx: ApiContext) => SimResponse | Promise<SimResponse>

export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Path under /v3 with `{name}` parameters. */
  path: string
  scope: 'contact_data' | 'campaign_data' | 'account_read'
  /** The x-authorization-privileges entry of the operation. */
  privilege: string
  handler: ApiHandler
}
