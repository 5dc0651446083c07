import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createCcClient } from '../../../electron/services/constant-contact/client'
import { ConstantContactError } from '../../../electron/services/constant-contact/errors'
import { createRateLimiter } from '../../../electron/services/constant-contact/rate-limiter'
import { retryAfterMs } from '../../../electron/services/constant-contact/retry-after'
import type { CcEvent, TokenSource } from '../../../electron/services/constant-contact/transport'
import { createAccountService } from '../../../electron/services/account/index'
import { startLoopbackReceiver } from '../../../electron/services/account/loopback'
import { createOAuthClient } from '../../../electron/services/account/oauth'
import { createPkce } from '../../../electron/services/account/pkce'
import { SecretStore } from '../../../electron/services/account/secret-store'
import { testLimiter, testTokenGate } from '../pace'
import { connectedAccount, FAST_RETRY, memoryCredentials, playBrowser, closeAfterEach } from './helpers'

/**
 * What the client makes of answers it never sees from the local Constant Contact but can meet on
 * the way to the real one: the recorded shapes in ./fixtures/gateway, served over real HTTP.
 */
const FIXTURES = new URL('./fixtures/gateway/', import.meta.url)

interface Recorded {
  status: number
  headers: Array<[string, string]>
  body: string
}

/** Reads a fixture (raw HTTP: status line, headers, blank line, body), filling in its placeholders. */
function recorded(name: string, fill: Record<string, string> = {}): Recorded {
  let text = readFileSync(new URL(name, FIXTURES), 'utf8')
  for (const [key, value] of Object.entries(fill)) text = text.replaceAll(`{{${key}}}`, value)
  const split = text.indexOf('\n\n')
  const [statusLine, ...headerLines] = text.slice(0, split).split('\n')
  return {
    status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine!)![1]),
    headers: headerLines.map((line) => {
      const colon = line.indexOf(':')
      return [line.slice(0, colon), line.slice(colon + 1).trim()] as [string, string]
    }),
    body: text.slice(split + 2).replace(/\n$/, ''),
  }
}

interface Seen {
  method: string
  path: string
  body: string
  authorization?: string
}

/** A server that answers each request with the next queued fixture and records what it was sent. */
async function replayServer() {
  const queue: Array<string | Recorded> = []
  const seen: Seen[] = []
  let origin = ''
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      seen.push({
        method: req.method!,
        path: req.url!,
        body: Buffer.concat(chunks).toString('utf8'),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      })
      const next = queue.shift() ?? '500-empty.http'
      const answer =
        typeof next === 'string'
          ? recorded(next, { ORIGIN: origin, OTHER_ORIGIN: other.origin, HTTP_DATE_IN_2S: httpDateIn(2_000) })
          : next
      res.writeHead(answer.status, Object.fromEntries(answer.headers))
      res.end(answer.body)
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  closeLater(() => new Promise((resolve) => server.close(() => resolve())))
  return { origin, apiBase: `${origin}/v3`, queue, seen }
}

/** Another server on this computer: where a redirect must never take the Bearer token. */
let other: Awaited<ReturnType<typeof otherServer>>
async function otherServer() {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    seen.push({
      method: req.method!,
      path: req.url!,
      body: '',
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    })
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"lists":[]}')
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  closeLater(() => new Promise((resolve) => server.close(() => resolve())))
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

function httpDateIn(ms: number): string {
  return new Date(Date.now() + ms).toUTCString()
}

const closeLater = closeAfterEach()

const tokens = (granted?: string[]): TokenSource => ({
  accessToken: async () => 'token-1',
  renewAfterRejection: async () => 'token-2',
  ...(granted ? { grantedScopes: () => granted } : {}),
})

async function setup(granted?: string[]) {
  other = await otherServer()
  const server = await replayServer()
  const events: CcEvent[] = []
  const client = createCcClient({
    apiBase: server.apiBase,
    tokens: tokens(granted),
    limiter: createRateLimiter({ perWindow: 50, windowMs: 1000, marginMs: 0 }),
    retry: { ...FAST_RETRY, maxAttempts: 4 },
    onEvent: (e) => events.push(e),
  })
  return { server, client, events }
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal')
    },
    (error: unknown) => error as ConstantContactError,
  )

describe('5xx answers with an HTML page or no body at all', () => {
  it('are retried, and the answer that follows is used', async () => {
    const { server, client, events } = await setup()
    server.queue.push(
      '502-bad-gateway-html.http',
      '504-gateway-timeout-html.http',
      '200-contact-lists-extra-fields.http',
    )
    const page = await client.getLists()
    expect(page.lists?.[0]?.name).toBe('Customers')
    expect(events.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && e.reason)).toEqual([
      'server_error',
      'server_error',
    ])
  })

  it('that go on end in a plain message, never the page itself', async () => {
    const { server, client } = await setup()
    server.queue.push(...Array(4).fill('502-bad-gateway-html.http'))
    const error = await failure(client.getLists())
    expect(error).toMatchObject({ code: 'cc_unavailable', status: 502 })
    expect(`${error.message} ${error.hint}`).not.toMatch(/<|html|Bad Gateway/i)
  })

  it('on a send, whose work may be done, are never repeated', async () => {
    const { server, client } = await setup()
    server.queue.push('500-empty.http')
    await expect(client.scheduleEmailCampaignActivity('a1', '0')).rejects.toMatchObject({ code: 'cc_outcome_unknown' })
    expect(server.seen).toHaveLength(1)
  })

  it('a 200 that is a page, not JSON (a network’s login page), is no answer: tried again, never used', async () => {
    const { server, client } = await setup()
    server.queue.push('200-proxy-page-html.http', '200-contact-lists-extra-fields.http')
    expect((await client.getLists()).lists).toHaveLength(1)
    server.queue.push(...Array(4).fill('200-proxy-page-html.http'))
    await expect(client.getLists()).rejects.toMatchObject({ code: 'cc_unavailable' })
    server.queue.push('200-proxy-page-html.http')
    await expect(client.scheduleEmailCampaignActivity('a1', '0')).rejects.toMatchObject({ code: 'cc_outcome_unknown' })
  })
})

describe('Retry-After', () => {
  it('is read as seconds or as an HTTP date', () => {
    const now = Date.parse('Tue, 14 Jul 2026 14:00:00 GMT')
    expect(retryAfterMs('120', now)).toBe(120_000)
    expect(retryAfterMs(' 0 ', now)).toBe(0)
    expect(retryAfterMs('Tue, 14 Jul 2026 14:00:30 GMT', now)).toBe(30_000)
    expect(retryAfterMs('Tue, 14 Jul 2026 13:00:00 GMT', now)).toBe(0)
    for (const unreadable of [null, '', 'soon', '-5', '1.5']) expect(retryAfterMs(unreadable, now)).toBeUndefined()
  })

  it('in seconds, on an empty 503: waited for before trying again', async () => {
    const { server, client, events } = await setup()
    server.queue.push('503-empty-retry-after-seconds.http', '200-contact-lists-extra-fields.http')
    const started = Date.now()
    await client.getLists()
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(events.find((e) => e.type === 'retry')).toMatchObject({ reason: 'server_error', waitMs: 1_000 })
  })

  it('as a date, on a 429 "throttled": everyone holds back until then', async () => {
    const { server, client } = await setup()
    server.queue.push('429-throttled-retry-after-date.http', '200-contact-lists-extra-fields.http')
    const started = Date.now()
    await client.getLists()
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
  })

  it('longer than Splitsend waits (maintenance for an hour): stops at once and says when to resume', async () => {
    const { server, client } = await setup()
    server.queue.push('503-maintenance-retry-after-hour.http')
    const error = await failure(client.getLists())
    expect(error).toMatchObject({ code: 'cc_unavailable' })
    expect(error.resumeAt!.getTime() - Date.now()).toBeGreaterThan(3590_000)
    expect(error.hint).toMatch(/asked to be tried again after/)
    expect(server.seen).toHaveLength(1)
  })
})

describe('a 403', () => {
  it('for a scope the sign-in lacks says which permission, and to reconnect and allow it', async () => {
    const { server, client } = await setup(['contact_data', 'account_read', 'offline_access'])
    server.queue.push('403-missing-scope.http')
    const error = await failure(client.getEmailCampaigns())
    expect(error).toMatchObject({
      code: 'cc_not_allowed',
      message:
        'Splitsend’s sign-in doesn’t include permission to see, change and send your email campaigns, so Constant Contact refused this step.',
      hint: 'Reconnect (Disconnect, then Connect) and allow Splitsend to see, change and send your email campaigns on Constant Contact’s page.',
    })
  })

  it('for a user privilege (the documented body) asks for another role', async () => {
    const { server, client } = await setup(['contact_data', 'campaign_data', 'account_read', 'offline_access'])
    server.queue.push('403-insufficient-privileges.http')
    const error = await failure(client.getEmailCampaigns())
    expect(error.code).toBe('cc_not_allowed')
    expect(error.hint).toMatch(/give your Constant Contact user a role/)
  })
})

describe('redirects', () => {
  it('a 301 on a read, on the API’s own address, is followed', async () => {
    const { server, client } = await setup()
    server.queue.push('301-moved-same-origin.http', '200-contact-lists-extra-fields.http')
    expect((await client.getLists()).lists).toHaveLength(1)
    expect(server.seen.map((s) => s.path)).toEqual(['/v3/contact_lists', '/v3/contact_lists/?limit=50'])
    expect(server.seen[1]!.authorization).toBe('Bearer token-1')
  })

  it('a 307 on an import is followed with the same method and body', async () => {
    const { server, client } = await setup()
    server.queue.push('307-temporary-same-origin.http', '201-import-activity.http')
    const body = { import_data: [{ email: 'a@example.com' }], list_ids: ['5b387472-aaca-4a51-b59e-b3f93f346d02'] }
    expect((await client.importContactsJson(body)).activity_id).toBe('f5d8e0f6-4c5e-11e9-8c65-fa163e6b01c1')
    expect(server.seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'POST /v3/activities/contacts_json_import',
      'POST /v3/activities/contacts_json_import/',
    ])
    expect(JSON.parse(server.seen[1]!.body)).toEqual(body)
  })

  it('a 302 on a send is not turned into a GET, and is not repeated', async () => {
    const { server, client } = await setup()
    server.queue.push('302-found-same-origin.http')
    await expect(client.scheduleEmailCampaignActivity('a1', '0')).rejects.toMatchObject({
      code: 'cc_unavailable',
      message: expect.stringContaining('which it doesn’t follow'),
    })
    expect(server.seen).toHaveLength(1)
  })

  it('to another address is refused: the sign-in goes nowhere but Constant Contact’s API', async () => {
    const { server, client } = await setup()
    server.queue.push('302-found-other-origin.http')
    await expect(client.getLists()).rejects.toMatchObject({ code: 'cc_unavailable' })
    expect(other.seen).toEqual([])
  })
})

describe('JSON with fields the description doesn’t list', () => {
  it('is read as it is, extra fields and all', async () => {
    const { server, client } = await setup()
    server.queue.push('200-contact-lists-extra-fields.http', '201-schedules-empty-array.http')
    const page = (await client.getLists()) as Record<string, unknown> & { lists: Array<Record<string, unknown>> }
    expect(page.lists[0]).toMatchObject({ name: 'Customers', membership_count: 2, list_source: 'api' })
    expect(page.request_trace).toEqual({ region: 'us-east-1', ms: 12 })
    expect(await client.scheduleEmailCampaignActivity('a1', '0')).toEqual([])
  })

  it('in an error array, still gives Constant Contact’s own message', async () => {
    const { server, client } = await setup()
    server.queue.push('400-errors-extra-fields.http')
    await expect(client.importContactsJson({ import_data: [], list_ids: [] })).rejects.toMatchObject({
      code: 'cc_rejected',
      message: 'Constant Contact didn’t accept this request: list_ids must not be empty.',
      details: [{ key: 'contacts.api.validation.error', message: 'list_ids must not be empty.' }],
    })
  })
})

describe('the same shapes from the local Constant Contact', () => {
  it('an HTML 502, then an empty 503 asking to wait a second: waited for, then carried on', async () => {
    const ctx = await connectedAccount()
    closeLater(ctx.close)
    const client = await ctx.account.client()
    const match = { path: '/contact_lists' }
    ctx.sim.control.inject({ kind: 'server_error', status: 502, body: 'html', match })
    ctx.sim.control.inject({ kind: 'server_error', status: 503, body: 'empty', retryAfter: '1', match })
    const started = Date.now()
    expect((await client.getLists()).lists?.length).toBeGreaterThan(0)
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(
      ctx.sim.control
        .requests()
        .slice(-3)
        .map((r) => r.status),
    ).toEqual([502, 503, 200])
  })

  it('a sign-in granted without campaign_data: the 403 is explained as that missing permission', async () => {
    const ctx = await connectedAccount()
    closeLater(ctx.close)
    // An older sign-in (or one narrowed on the consent page) that never got the campaigns scope.
    const oauth = createOAuthClient({ authBase: ctx.sim.authBase, clientId: 'test-client-id', gate: testTokenGate() })
    const pkce = createPkce()
    const receiver = await startLoopbackReceiver({ state: 'st' })
    await playBrowser(
      oauth.authorizeUrl({
        redirectUri: receiver.redirectUri,
        state: 'st',
        codeChallenge: pkce.challenge,
        scopes: ['contact_data', 'account_read', 'offline_access'],
      }),
    )
    const narrow = await oauth.exchangeCode({
      code: await receiver.code,
      redirectUri: receiver.redirectUri,
      codeVerifier: pkce.verifier,
    })
    const credentials = memoryCredentials()
    const secrets = new SecretStore(credentials)
    const endpoint = { kind: 'custom', apiBase: ctx.sim.apiBase, authBase: ctx.sim.authBase } as const
    await secrets.setClientId(endpoint, 'test-client-id')
    await secrets.setTokens(endpoint, narrow)
    await secrets.setConnection({ endpoint })
    const account = createAccountService({
      credentials,
      openBrowser: () => {},
      retry: FAST_RETRY,
      limiter: testLimiter(),
      tokenGate: testTokenGate(),
    })
    closeLater(() => account.close())
    const client = await account.client()
    expect((await client.getLists()).lists?.length).toBeGreaterThan(0) // what it may do still works
    await expect(client.getEmailCampaigns()).rejects.toMatchObject({
      code: 'cc_not_allowed',
      hint: expect.stringContaining('allow Splitsend to see, change and send your email campaigns'),
    })
  })
})
