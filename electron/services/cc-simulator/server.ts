import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { ActivityEngine } from './activities'
import { AuthServer, AUTH_PATH } from './auth-server'
import type { Clock } from './clock'
import { FaultPlan, type Fault } from './faults'
import { parseForm, readBody, SimHttpError, writeResponse, type SimResponse } from './http-util'
import type { ApiContext, ApiRoute, SimSettings } from './api-context'
import { contactRoutes } from './api-contacts'
import { activityRoutes } from './api-activities'
import { exportRoutes } from './api-exports'
import { advanceCampaigns, emailRoutes } from './api-emails'
import type { SimStore } from './store'

export const API_PATH = '/v3'
/** Import items applied per slice of background work: a few milliseconds, so answers never wait long. */
const BACKGROUND_SLICE_ITEMS = 500
/**
 * Import items a request may apply before it is answered. A small import is done by the next
 * request; a big one keeps going in the background while the server keeps answering — blocking
 * here would also delay when other requests are seen to arrive, and so what the per-second limit
 * counts.
 */
const REQUEST_CATCH_UP_ITEMS = 3_000

/** One API request as the local Constant Contact saw it (`status` 0: the connection was dropped). */
export interface RequestLogEntry {
  /** Arrival time on the simulator's clock (ms since the epoch). */
  at: number
  method: string
  /** Path under /v3, without the query. */
  path: string
  status: number
  /** The Constant Contact error key of a refusal (e.g. `throttled`). */
  errorKey?: string
}

/** Privileges a "Campaign Creator" lacks (constant-contact-v3.md §1: no contacts, no lists). */
const CAMPAIGN_CREATOR_DENIED = /^contacts:/

interface CompiledRoute extends ApiRoute {
  pattern: RegExp
  names: string[]
}

function compile(route: ApiRoute): CompiledRoute {
  const names: string[] = []
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name)
    return '([^/]+)'
  })
  return { ...route, pattern: new RegExp(`^${source}$`), names }
}

// Literal paths before parameterised ones, so /activities/contacts_json_import never reads as an ID.
const ROUTES = [...contactRoutes, ...activityRoutes, ...exportRoutes, ...emailRoutes]
  .map(compile)
  .sort((a, b) => a.names.length - b.names.length)

export class SimServer {
  readonly server: Server
  readonly faults = new FaultPlan()
  readonly requestLog: RequestLogEntry[] = []
  private readonly recentAccepted: number[] = []
  private backgroundWorkQueued = false
  /** Callers of {@link caughtUp} waiting for the background work to catch up. */
  private caughtUpWaiters: Array<() => void> = []
  /** Requests being read or answered: background work waits while there are any. */
  private requestsInProgress = 0
  private closed = false
  origin = ''

  constructor(
    readonly store: SimStore,
    readonly clock: Clock,
    readonly auth: AuthServer,
    readonly engine: ActivityEngine,
    readonly settings: SimSettings,
  ) {
    this.server = createServer((req, res) => {
      this.requestsInProgress++
      res.once('close', () => {
        this.requestsInProgress--
        this.workInBackground()
      })
      this.handle(req, res).catch((error: unknown) => {
        writeResponse(res, {
          status: 500,
          body: [{ error_key: 'server.error', error_message: String((error as Error)?.message ?? error) }],
        })
      })
    })
  }

  listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject)
      // Loopback only: the practice account is never reachable from another computer.
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject)
        const address = this.server.address() as AddressInfo
        this.origin = `http://127.0.0.1:${address.port}`
        resolve()
      })
    })
  }

  close(): Promise<void> {
    this.closed = true
    return new Promise((resolve) => {
      this.server.close(() => resolve())
      this.server.closeAllConnections()
    })
  }

  private addressedHere(host: string | undefined): boolean {
    const port = new URL(this.origin).port
    return host === `127.0.0.1:${port}` || host === `localhost:${port}`
  }

  /**
   * Brings activities and campaign sends up to the current time; `maxItems` bounds the import work
   * done now (a request does a little; what's left goes on in the background, so the activity reads
   * as still processing, as Constant Contact's would).
   */
  advance(maxItems = Infinity): void {
    if (this.engine.advance(maxItems)) this.workInBackground()
    advanceCampaigns(this.store, this.clock.now(), this.engine.speed.sendDurationMs)
  }

  /** Resolves once the background work has done everything due by now (no request needed). */
  caughtUp(): Promise<void> {
    return new Promise((resolve) => {
      this.caughtUpWaiters.push(resolve)
      this.workInBackground()
    })
  }

  /**
   * Works through due import items in small slices between requests, the way Constant Contact
   * processes activities apart from answering: an answer never waits behind a whole 40,000-contact
   * import, and by the next status check most of the work is done. Requests still bring everything
   * up to date first (see route), so what a caller sees doesn't depend on this.
   */
  private workInBackground(): void {
    if (this.backgroundWorkQueued || this.closed || this.requestsInProgress > 0) return
    this.backgroundWorkQueued = true
    setImmediate(() => {
      this.backgroundWorkQueued = false
      if (this.closed || this.requestsInProgress > 0) return // the request's end starts it again
      if (this.engine.advance(BACKGROUND_SLICE_ITEMS)) this.workInBackground()
      else for (const resolve of this.caughtUpWaiters.splice(0)) resolve()
    })
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Only requests addressed to this server by its loopback name: a web page that had a name of
    // its own resolve to 127.0.0.1 (DNS rebinding) must not read the account's contacts.
    if (!this.addressedHere(req.headers.host)) {
      return writeResponse(res, {
        status: 421,
        html: '<!doctype html><title>Misdirected request</title><p>This local Constant Contact answers only requests addressed to it by its loopback address.</p>',
      })
    }
    const url = new URL(req.url ?? '/', this.origin)
    if (url.pathname.startsWith(`${AUTH_PATH}/`)) {
      const raw = await readBody(req)
      return writeResponse(
        res,
        await this.auth.handle(req.method ?? 'GET', url, parseForm(raw), req.headers.authorization),
      )
    }
    if (url.pathname === API_PATH || url.pathname.startsWith(`${API_PATH}/`)) return this.handleApi(req, res, url)
    if (url.pathname === '/') {
      return writeResponse(res, {
        status: 200,
        html: `<!doctype html><title>Local Constant Contact</title><p>Splitsend’s local Constant Contact. API: ${this.origin}${API_PATH}, authorization server: ${this.origin}${AUTH_PATH}</p>`,
      })
    }
    writeResponse(res, { status: 404, body: [{ error_key: 'not_found', error_message: 'Not found' }] })
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const at = this.clock.now()
    const method = (req.method ?? 'GET').toUpperCase()
    const path = url.pathname.slice(API_PATH.length) || '/'
    const entry: RequestLogEntry = { at, method, path, status: 0 }
    this.requestLog.push(entry)
    const respond = (response: SimResponse): void => {
      entry.status = response.status
      const key = errorKeyOf(response.body)
      if (key) entry.errorKey = key
      writeResponse(res, response)
    }

    const faults = this.faults.take(method, path)
    const has = <K extends Fault['kind']>(kind: K) =>
      faults.find((f): f is Extract<Fault, { kind: K }> => f.kind === kind)
    const drop = has('drop_connection')
    if (drop && (drop.when ?? 'before_handling') === 'before_handling') {
      req.socket.destroy()
      return
    }
    const slow = has('slow')
    if (slow) await sleep(slow.delayMs)
    const serverError = has('server_error')
    if (serverError) return respond(serverErrorAnswer(serverError))
    const refuse = has('refuse')
    if (refuse)
      return respond({
        status: refuse.status ?? 400,
        body: [
          { error_key: 'api.validation.error', error_message: 'The request was refused (a fault a test asked for).' },
        ],
      })
    if (has('throttle'))
      return respond({ status: 429, body: { error_key: 'throttled', error_message: 'Too Many Requests' } })

    let response: SimResponse
    try {
      const rawBody = await readBody(req)
      response = await this.route(req, url, method, path, rawBody, at)
    } catch (error) {
      if (error instanceof SimHttpError) response = error.toResponse()
      else throw error
    }
    if (drop) {
      // The work is done but the answer never arrives.
      entry.status = 0
      req.socket.destroy()
      return
    }
    const cut = has('cut_body')
    if (cut && response.stream)
      response = {
        ...response,
        stream: {
          ...response.stream,
          pieces: cutAfter(response.stream.pieces, cut.afterBytes, () => req.socket.destroy()),
        },
      }
    respond(response)
  }

  /** `arrivedAt`: when the request arrived, which is what the per-second limit counts. */
  private async route(
    req: IncomingMessage,
    url: URL,
    method: string,
    path: string,
    rawBody: Buffer,
    arrivedAt: number,
  ): Promise<SimResponse> {
    let route: CompiledRoute | undefined
    let match: RegExpExecArray | null = null
    let pathExists = false
    for (const candidate of ROUTES) {
      const m = candidate.pattern.exec(path)
      if (!m) continue
      pathExists = true
      if (candidate.method === method) {
        route = candidate
        match = m
        break
      }
    }
    if (!route || !match) {
      if (pathExists)
        return {
          status: 405,
          body: [{ error_key: 'method.not_allowed', error_message: `${method} is not allowed here.` }],
        }
      return {
        status: 404,
        body: [
          { error_key: 'api.not_found', error_message: 'The local Constant Contact does not have this endpoint.' },
        ],
      }
    }

    this.auth.checkBearer(req.headers.authorization, route.scope)
    if (this.settings.userRole === 'campaign_creator' && CAMPAIGN_CREATOR_DENIED.test(route.privilege)) {
      // The documented body (api_guide/account_get_privileges.html).
      throw new SimHttpError(403, 'access_denied', 'Request forbidden due to insufficient user privileges.', true)
    }
    this.checkRateLimits(arrivedAt)

    const params: Record<string, string> = {}
    route.names.forEach((name, i) => (params[name] = decodeURIComponent(match![i + 1]!)))
    this.advance(REQUEST_CATCH_UP_ITEMS)
    const ctx: ApiContext = {
      method,
      url,
      params,
      rawBody,
      contentType: String(req.headers['content-type'] ?? '').toLowerCase(),
      contentTypeHeader: String(req.headers['content-type'] ?? ''),
      store: this.store,
      clock: this.clock,
      engine: this.engine,
      settings: this.settings,
    }
    return route.handler(ctx)
  }

  /** 4 requests per second and 10,000 per day (reset at 00:00 UTC), with the documented 429 bodies. */
  private checkRateLimits(now: number): void {
    // Arrival times can come in slightly out of order (a big body takes longer to read), so the
    // window is counted rather than assumed sorted.
    while (this.recentAccepted.length && now - this.recentAccepted[0]! >= 2000) this.recentAccepted.shift()
    let inLastSecond = 0
    for (const t of this.recentAccepted) if (t > now - 1000 && t <= now) inLastSecond++
    if (inLastSecond >= this.settings.requestsPerSecond)
      throw new SimHttpError(429, 'throttled', 'Too Many Requests', true)
    const usage = this.store.data.usage
    const today = new Date(now).toISOString().slice(0, 10)
    if (usage.day !== today) {
      usage.day = today
      usage.count = 0
    }
    if (usage.count >= this.settings.requestsPerDay)
      throw new SimHttpError(429, 'quota_exceeded', 'Limit Exceeded', true)
    usage.count++
    let i = this.recentAccepted.length
    while (i > 0 && this.recentAccepted[i - 1]! > now) i--
    this.recentAccepted.splice(i, 0, now)
    this.store.changed()
  }
}

/** The 5xx a `server_error` fault asks for, in the shape it asks for. */
function serverErrorAnswer(fault: Extract<Fault, { kind: 'server_error' }>): SimResponse {
  const status = fault.status ?? 500
  const reason = {
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Time-out',
  }[status]
  const headers = fault.retryAfter !== undefined ? { 'Retry-After': fault.retryAfter } : undefined
  const shape = fault.body ?? 'json'
  if (shape === 'html')
    return {
      status,
      html: `<html><head><title>${status} ${reason}</title></head><body><center><h1>${status} ${reason}</h1></center></body></html>`,
      ...(headers ? { headers } : {}),
    }
  if (shape === 'empty') return { status, ...(headers ? { headers } : {}) }
  return {
    status,
    body: [{ error_key: status === 503 ? 'server.unavailable' : 'server.error', error_message: reason }],
    ...(headers ? { headers } : {}),
  }
}

function errorKeyOf(body: unknown): string | undefined {
  const item = Array.isArray(body) ? body[0] : body
  return item && typeof item === 'object' && typeof (item as { error_key?: unknown }).error_key === 'string'
    ? (item as { error_key: string }).error_key
    : undefined
}

/** The pieces of a file answer up to `bytes` characters, then the connection closed before the end. */
async function* cutAfter(
  pieces: Iterable<string> | AsyncIterable<string>,
  bytes: number,
  close: () => void,
): AsyncGenerator<string> {
  let sent = 0
  for await (const piece of pieces) {
    if (sent + piece.length >= bytes) {
      yield piece.slice(0, bytes - sent)
      await new Promise((resolve) => setTimeout(resolve, 30)) // let that much reach the client
      close()
      return
    }
    sent += piece.length
    yield piece
  }
}
