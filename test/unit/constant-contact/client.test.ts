import { describe, expect, it } from 'vitest'
import { ConstantContactError, parseErrorBody } from '../../../electron/services/constant-contact/errors'
import { createRateLimiter } from '../../../electron/services/constant-contact/rate-limiter'
import type { Timers } from '../../../electron/services/constant-contact/timers'
import {
  createTransport,
  DEFAULT_RETRY_POLICY,
  type CcEvent,
} from '../../../electron/services/constant-contact/transport'
import { manualClock } from '../clock'
import { connectedAccount, maxInAnyWindow, connectedAccountPerTest } from './helpers'

const connectAccount = connectedAccountPerTest()

async function setup(options: Parameters<typeof connectedAccount>[1] = {}) {
  const events: CcEvent[] = []
  const ctx = await connectAccount({ speed: 'fast' }, { onEvent: (e) => events.push(e), ...options })
  const client = await ctx.account.client()
  const lists = (await client.getLists()).lists!
  return { ...ctx, client, events, listId: lists[0]!.list_id }
}

describe('the shared rate limiter', () => {
  it('keeps to 4 requests a second under concurrent load, at the real pace, as Constant Contact counts them', async () => {
    // The one test at Constant Contact's real 4 a second, on both sides; every other test runs faster.
    const { sim, client } = await setup({ limiter: createRateLimiter() })
    // Count from the simulator's own log, not by time: the set-up's last request can land in the same millisecond.
    const before = sim.control.requests().length
    const calls = 16
    await Promise.all(Array.from({ length: calls }, (_, i) => (i % 2 ? client.getLists() : client.getEmailCampaigns())))
    const log = sim.control.requests().slice(before)
    const accepted = log.filter((r) => r.status === 200)
    expect(accepted).toHaveLength(calls)
    expect(maxInAnyWindow(accepted.map((r) => r.at))).toBeLessThanOrEqual(4)
    // Paced, not sent at once and retried: 16 requests at 4 a second span three full seconds…
    expect(accepted.at(-1)!.at - accepted[0]!.at).toBeGreaterThanOrEqual(3_000)
    // …and at most two were early (a limiter allowing 100 a second had 64 refused). A slot is held
    // 60 ms past its second for the spread in travel time; on a machine busy enough to hold a
    // request back longer (the local Constant Contact notes a request's arrival when its process
    // gets to it: two were seen at load 15), it refuses the next one as throttled, and the client
    // waits and holds every slot longer for a while.
    expect(log.filter((r) => r.status === 429).length).toBeLessThanOrEqual(2)
    expect(log).toHaveLength(accepted.length + log.filter((r) => r.status === 429).length)
  })

  it('is not needlessly slow: 4 requests at once, then 4 more as soon as each slot is free again', async () => {
    const clock = manualClock()
    const limiter = createRateLimiter({ timers: clock })
    const start = clock.now()
    const grantedAt: number[] = []
    const all = Promise.all(
      Array.from({ length: 12 }, () => limiter.acquire().then(() => grantedAt.push(clock.now() - start))),
    )
    await clock.advance(5_000)
    // A slot is held one second plus the margin for the spread in travel time (60 ms).
    expect(grantedAt).toEqual([0, 0, 0, 0, 1060, 1060, 1060, 1060, 2120, 2120, 2120, 2120])
    await all
  })

  it('lets a waiting caller give up', async () => {
    const limiter = createRateLimiter({ perWindow: 1, windowMs: 1000, marginMs: 0, timers: manualClock() })
    await limiter.acquire()
    const controller = new AbortController()
    const waiting = limiter.acquire(controller.signal)
    controller.abort(new Error('paused'))
    await expect(waiting).rejects.toThrow('paused')
    expect(limiter.waiting).toBe(0)
  })

  it('holds each slot a little longer after Constant Contact said "throttled", up to a bound', async () => {
    const clock = manualClock()
    const limiter = createRateLimiter({ perWindow: 1, windowMs: 100, marginMs: 0, timers: clock })
    const gapToNextSlot = async (): Promise<number> => {
      await clock.advance(1_000) // the previous slot is long free
      await limiter.acquire()
      const from = clock.now()
      let grantedAt = Number.NaN
      const next = limiter.acquire().then(() => (grantedAt = clock.now()))
      await clock.advance(1_000)
      await next
      return grantedAt - from
    }
    expect(await gapToNextSlot()).toBe(100)
    limiter.pauseFor(0) // a "throttled" answer, with no pause: only the margin changes
    expect(await gapToNextSlot()).toBe(140) // window + 40 ms
    for (let i = 0; i < 10; i++) limiter.pauseFor(0)
    expect(await gapToNextSlot()).toBe(350) // window + at most 250 ms
  })

  it('steps the longer margin back down once 40 slots in a row went by without "throttled"', async () => {
    const clock = manualClock()
    const limiter = createRateLimiter({ perWindow: 1, windowMs: 100, marginMs: 20, timers: clock })
    const gaps: number[] = []
    let last = clock.now()
    limiter.pauseFor(0)
    limiter.pauseFor(0) // margin 20 + 80 ms
    const all = Promise.all(
      Array.from({ length: 125 }, () =>
        limiter.acquire().then(() => {
          gaps.push(clock.now() - last)
          last = clock.now()
        }),
      ),
    )
    await clock.advance(30_000)
    await all
    // Two "throttled": each slot held 100 + 20 + 80 ms; 40 slots later 40 ms less, 40 more and it
    // is back to the 20 ms it started with, and no lower.
    const runs = gaps.slice(1).reduce<Array<[number, number]>>((r, g) => {
      if (r.at(-1)?.[0] === g) r.at(-1)![1]++
      else r.push([g, 1])
      return r
    }, [])
    expect(runs).toEqual([
      [200, 39],
      [160, 40],
      [120, 45],
    ])
  })
})

describe('429 answers', () => {
  it('waits and retries after "throttled"', async () => {
    const { sim, client, events } = await setup()
    sim.control.inject({ kind: 'throttle', times: 2 })
    await expect(client.getLists()).resolves.toHaveProperty('lists')
    expect(events.filter((e) => e.type === 'retry' && e.reason === 'throttled')).toHaveLength(2)
    expect(
      sim.control
        .requests()
        .filter((r) => r.path === '/contact_lists')
        .map((r) => r.status),
    ).toEqual([
      200, // the set-up's
      429,
      429,
      200,
    ])
  })

  it('holds every request back for the pause after "throttled"', async () => {
    const clock = manualClock()
    const { send, attempts } = scriptedTransport([throttled, ok, ok], clock)
    const first = send()
    await clock.advance(0)
    expect(attempts()).toBe(1) // the 429; its retry waits
    const second = send() // so does a request that comes after it
    await clock.advance(DEFAULT_RETRY_POLICY.throttledPauseMs - 1)
    expect(attempts()).toBe(1)
    await clock.advance(1)
    await Promise.all([first, second])
    expect(attempts()).toBe(3)
  })

  it('stops with the daily-allowance message on "quota_exceeded"', async () => {
    const { sim, client } = await setup()
    sim.control.setDailyUsage(10_000)
    const error = (await client.getLists().catch((e: unknown) => e)) as ConstantContactError
    expect(error).toBeInstanceOf(ConstantContactError)
    expect(error.code).toBe('cc_daily_limit')
    expect(error.message).toContain('daily allowance of 10,000 requests')
    expect(error.hint).toContain('midnight UTC')
    expect(error.hint).toMatch(/resume the work then/)
    const resumeAt = error.resumeAt!
    expect(resumeAt.getUTCHours() + resumeAt.getUTCMinutes() + resumeAt.getUTCSeconds()).toBe(0)
    expect(resumeAt.getTime()).toBeGreaterThan(Date.now())
    expect(resumeAt.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600_000)
    // Only one request was spent on finding out.
    expect(sim.control.requests().filter((r) => r.errorKey === 'quota_exceeded')).toHaveLength(1)
  })

  it('waits for activities to finish when 1,000 are queued', async () => {
    const { sim, client, events, listId } = await setup()
    sim.control.setLimits({ queuedActivities: 1 }) // stands in for 1,000, to keep the test short
    const first = await client.importContactsJson({ import_data: [{ email: 'q1@example.com' }], list_ids: [listId] })
    const second = await client.importContactsJson({ import_data: [{ email: 'q2@example.com' }], list_ids: [listId] })
    expect(second.activity_id).not.toBe(first.activity_id)
    expect(events.some((e) => e.type === 'retry' && e.reason === 'activity_queue_full')).toBe(true)
    const refused = sim.control
      .requests()
      .filter((r) => r.status === 429 && r.path === '/activities/contacts_json_import')
    expect(refused.length).toBeGreaterThanOrEqual(1)
  })
})

describe('server errors and broken connections', () => {
  it('retries a burst of 5xx with backoff and succeeds', async () => {
    const { sim, client, events } = await setup()
    sim.control.inject({ kind: 'server_error', status: 500, times: 3 })
    await expect(client.getLists()).resolves.toHaveProperty('lists')
    const waits = events
      .filter((e) => e.type === 'retry' && e.reason === 'server_error')
      .map((e) => (e as { waitMs: number }).waitMs)
    expect(waits).toHaveLength(3)
  })

  it('waits out the backoff between tries, doubling each time', async () => {
    const clock = manualClock()
    // Half-way jitter: each wait is three quarters of its step (1 s, then 2 s).
    const { send, attempts } = scriptedTransport([unavailable, unavailable, ok], clock)
    const answer = send()
    for (const [wait, triesAfter] of [
      [749, 1],
      [1, 2],
      [1_499, 2],
      [1, 3],
    ] as const) {
      await clock.advance(wait)
      expect(attempts()).toBe(triesAfter)
    }
    await expect(answer).resolves.toMatchObject({ status: 200 })
  })

  it('gives up after a bounded number of tries with a plain message', async () => {
    const { sim, client } = await setup()
    sim.control.inject({ kind: 'server_error', status: 503, times: 50 })
    const error = await client.getLists().catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'cc_unavailable',
      message: 'Constant Contact isn’t answering properly right now.',
    })
    expect(sim.control.requests().filter((r) => r.status === 503)).toHaveLength(5)
  })

  it('retries a read whose connection dropped', async () => {
    const { sim, client } = await setup()
    sim.control.inject({ kind: 'drop_connection', times: 2, match: { path: '/emails' } })
    await expect(client.getEmailCampaigns()).resolves.toHaveProperty('campaigns')
    expect(
      sim.control
        .requests()
        .filter((r) => r.path === '/emails')
        .map((r) => r.status),
    ).toEqual([0, 0, 200])
  })

  it('retries a slow answer that times out', async () => {
    const { sim, client } = await setup({ retry: { baseDelayMs: 10, maxDelayMs: 40, requestTimeoutMs: 300 } })
    sim.control.inject({ kind: 'slow', delayMs: 1_000, match: { path: '/contact_lists' } })
    await expect(client.getLists()).resolves.toHaveProperty('lists')
  })

  it('never repeats a send whose answer was lost: it says so, and exactly one send happened', async () => {
    const { sim, client, listId } = await setup()
    const campaign = (await client.getEmailCampaigns()).campaigns![0]!
    const primary = (await client.getEmailCampaign(campaign.campaign_id!)).campaign_activities!.find(
      (a) => a.role === 'primary_email',
    )!
    const activity = await client.getEmailCampaignActivity(primary.campaign_activity_id!)
    await client.updateEmailCampaignActivity(primary.campaign_activity_id!, { ...activity, contact_list_ids: [listId] })
    sim.control.inject({
      kind: 'drop_connection',
      when: 'after_handling',
      match: { method: 'POST', path: /\/schedules$/ },
    })
    const error = await client
      .scheduleEmailCampaignActivity(primary.campaign_activity_id!, '0')
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'cc_outcome_unknown' })
    const history = await client.getSendHistory(primary.campaign_activity_id!)
    expect(history).toHaveLength(1)
    expect(sim.control.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/schedules'))).toHaveLength(1)
  })

  it('repeats an import whose answer was lost by default, and never when the caller asks it not to', async () => {
    const { sim, client, listId } = await setup()
    const imports = () =>
      sim.control.requests().filter((r) => r.method === 'POST' && r.path === '/activities/contacts_json_import')
    sim.control.inject({
      kind: 'drop_connection',
      when: 'after_handling',
      match: { path: '/activities/contacts_json_import' },
    })
    await expect(
      client.importContactsJson({ import_data: [{ email: 'a@example.com' }], list_ids: [listId] }),
    ).resolves.toHaveProperty('activity_id')
    expect(imports().map((r) => r.status)).toEqual([0, 201])

    sim.control.inject({
      kind: 'drop_connection',
      when: 'after_handling',
      match: { path: '/activities/contacts_json_import' },
    })
    const error = await client
      .importContactsJson({ import_data: [{ email: 'b@example.com' }], list_ids: [listId] }, { repeatable: false })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'cc_outcome_unknown' })
    expect(imports().map((r) => r.status)).toEqual([0, 201, 0])

    // A 503 comes from the front door before any work: still tried again.
    sim.control.inject({ kind: 'server_error', status: 503, match: { path: '/activities/contacts_json_import' } })
    await expect(
      client.importContactsJson(
        { import_data: [{ email: 'c@example.com' }], list_ids: [listId] },
        { repeatable: false },
      ),
    ).resolves.toHaveProperty('activity_id')
    // An explicit `undefined` keeps the default.
    sim.control.inject({
      kind: 'drop_connection',
      when: 'after_handling',
      match: { path: '/activities/contacts_json_import' },
    })
    await expect(
      client.importContactsJson(
        { import_data: [{ email: 'd@example.com' }], list_ids: [listId] },
        { repeatable: undefined },
      ),
    ).resolves.toHaveProperty('activity_id')
  })
})

describe('plain-language errors', () => {
  it('403 for a user who may not change contacts', async () => {
    const { sim, client, listId } = await setup()
    sim.control.setUserRole('campaign_creator')
    const error = await client
      .importContactsJson({ import_data: [{ email: 'x@example.com' }], list_ids: [listId] })
      .catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'cc_not_allowed',
      status: 403,
      message: 'This Constant Contact user isn’t allowed to change contacts or lists.',
    })
    expect((error as ConstantContactError).hint).toMatch(/Ask the account owner/)
    // Campaign work is still allowed for that role.
    await expect(client.getEmailCampaigns()).resolves.toHaveProperty('campaigns')
  })

  it('404, 409 and 400 say what happened', async () => {
    const { client } = await setup()
    await expect(client.getList('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'cc_not_found',
      message: expect.stringContaining('couldn’t find that contact list'),
    })
    await expect(client.createList({ name: 'Newsletter' })).rejects.toMatchObject({ code: 'cc_conflict', status: 409 })
    await expect(
      client.sendTestEmail((await firstPrimary(client)).campaign_activity_id!, {
        email_addresses: ['a@x.co', 'b@x.co', 'c@x.co', 'd@x.co', 'e@x.co', 'f@x.co'],
      }),
    ).rejects.toMatchObject({
      code: 'cc_rejected',
      message: 'Constant Contact didn’t accept this request: A test can go to at most 5 addresses.',
    })
  })

  it('find-or-create never makes a second list', async () => {
    const { client } = await setup()
    const first = await client.findOrCreateList({ name: 'Group 0' })
    const again = await client.findOrCreateList({ name: 'Group 0' })
    expect(first.created).toBe(true)
    expect(again).toEqual({ list: expect.objectContaining({ list_id: first.list.list_id }), created: false })
  })

  it('reads error bodies as arrays, single objects and OAuth errors', () => {
    expect(
      parseErrorBody([
        { error_key: 'a', error_message: 'A' },
        { error_key: 'b', error_message: 'B' },
      ]),
    ).toEqual([
      { key: 'a', message: 'A' },
      { key: 'b', message: 'B' },
    ])
    expect(parseErrorBody({ error_key: 'throttled', error_message: 'Too Many Requests' })).toEqual([
      { key: 'throttled', message: 'Too Many Requests' },
    ])
    expect(parseErrorBody({ error: 'invalid_grant', error_description: 'expired' })).toEqual([
      { key: 'invalid_grant', message: 'expired' },
    ])
    expect(parseErrorBody('<html>gateway</html>')).toEqual([])
  })
})

async function firstPrimary(client: Awaited<ReturnType<typeof setup>>['client']) {
  const campaign = (await client.getEmailCampaigns()).campaigns![0]!
  return (await client.getEmailCampaign(campaign.campaign_id!)).campaign_activities!.find(
    (a) => a.role === 'primary_email',
  )!
}

/**
 * The transport with no network: each request gets the next scripted answer. Its limiter (at the
 * real 4 a second) and its waits between tries run on `clock`.
 */
function scriptedTransport(answers: Array<() => Response>, clock: Timers) {
  let calls = 0
  const transport = createTransport({
    apiBase: 'https://api.example.test/v3',
    tokens: { accessToken: async () => 'token', renewAfterRejection: async () => 'token' },
    limiter: createRateLimiter({ timers: clock }),
    timers: clock,
    random: () => 0.5,
    fetch: (async () => answers[calls++]!()) as typeof fetch,
  })
  return {
    send: () => transport({ method: 'GET', path: '/contact_lists', area: 'contacts', repeatable: true }),
    attempts: () => calls,
  }
}

const ok = (): Response => Response.json({ lists: [] })
const unavailable = (): Response => new Response('', { status: 503 })
const throttled = (): Response =>
  Response.json({ error_key: 'throttled', error_message: 'Too Many Requests' }, { status: 429 })
