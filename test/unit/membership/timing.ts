/** Timings for the membership tests (no vitest import: the crash tests' child process uses them too). */

/** Status checks: Constant Contact's speed in these tests is a fraction of a second. */
export const FAST_POLL = { minMs: 40, firstMinMs: 20, maxMs: 400 }

/** The local Constant Contact's speed for these tests: activities take tens of milliseconds, yet are seen running. */
export const TEST_SPEED = { startDelayMs: 20, itemsPerSecond: 200_000, minDurationMs: 60, sendDurationMs: 50 }
