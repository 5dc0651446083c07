import { setTimeout as delay } from 'node:timers/promises'

/**
 * Time as the Constant Contact client, its rate limiter and the upload engine see it: the real clock,
 * unless a test hands in one it moves itself, so that a wait (a rate-limit slot, a retry's backoff,
 * the next status check) is checked without being waited out.
 */
export interface Timers {
  /** Milliseconds since the epoch. */
  now(): number
  /** Calls `callback` once, `ms` from now. The returned function cancels it. */
  after(ms: number, callback: () => void): () => void
  /** Resolves `ms` from now; rejects if `signal` aborts first (callers decide by `signal.aborted`). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const realTimers: Timers = {
  // Monotonic, unlike Date.now(): a wait never stretches or shrinks when the system clock is set.
  now: () => performance.timeOrigin + performance.now(),
  after(ms, callback) {
    const timer = setTimeout(callback, ms)
    return () => clearTimeout(timer)
  },
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
}
