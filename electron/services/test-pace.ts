/**
 * The tests' pace: how fast the local Constant Contact works and how often the client may ask it,
 * for the unit tests (test/unit/pace.ts) and for the web bridge under the browser tests
 * (electron/web/test-pace.ts, only when SPLITSEND_TEST_PACE says so). Constant Contact's real limits
 * are kept where a test is about them (client.test.ts, "the shared rate limiter", at the real 4 a
 * second); everywhere else the same code runs at these settings, so pacing and polling are still
 * exercised but never waited out. Nothing in the desktop app imports this.
 */
import type { SpeedProfile } from './cc-simulator/activities'
import { createRateLimiter, type RateLimiter } from './constant-contact/rate-limiter'
import type { PollTiming } from './upload/poll-schedule'

/** Requests a second, on both sides (the client's limiter and the local Constant Contact's count): 4, 50 times over. */
export const TEST_REQUESTS_PER_SECOND = 200

export function testLimiter(): RateLimiter {
  return createRateLimiter({ perWindow: TEST_REQUESTS_PER_SECOND, windowMs: 1000 })
}

/** Token requests a second (Constant Contact allows "about one"; the same limiter paces them). */
export const TEST_TOKEN_REQUESTS_PER_SECOND = 50

export function testTokenGate(): RateLimiter {
  return createRateLimiter({ perWindow: TEST_TOKEN_REQUESTS_PER_SECOND, windowMs: 1000 })
}

/**
 * How fast the local Constant Contact works through imports, and how often the engine checks on
 * them: both ten times the `fast` speed and the default schedule, so an activity still takes about
 * as many status checks as it would for a person (the progress test counts them).
 */
export const TEST_SPEED: SpeedProfile = {
  startDelayMs: 10,
  itemsPerSecond: 500_000,
  minDurationMs: 40,
  sendDurationMs: 30,
}
export const TEST_POLL: PollTiming = { minMs: 100, firstMinMs: 30, maxMs: 6_000 }
