import { CC_LIMITS } from './limits'
import { realTimers, type Timers } from './timers'

/**
 * Lets at most `perWindow` requests start in any `windowMs` span, first come first served.
 *
 * Constant Contact counts requests when they arrive, not when Splitsend decides to send them, so each
 * slot is held for the window plus a small margin that absorbs the difference in travel time between
 * two requests. Every Constant Contact call in the process goes through one instance
 * ({@link sharedRateLimiter}); tests pass their own.
 */
export interface RateLimiter {
  /** Resolves when the caller may send one request; rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void>
  /**
   * After a 429 "throttled": holds every caller back until `ms` from now. Requests arrived closer
   * together than they were started, so each slot is also held a little longer — until
   * {@link MARGIN_RELAX_GRANTS} slots in a row went by without another "throttled": the spread in
   * travel time that caused it is most often a passing moment (a busy computer), and a longer margin
   * kept for the rest of a long run slows every later request.
   */
  pauseFor(ms: number): void
  /** Requests waiting for a slot, for progress displays. */
  readonly waiting: number
}

export interface RateLimiterOptions {
  perWindow?: number
  windowMs?: number
  /** Extra time each slot is held, for the spread in request travel time. */
  marginMs?: number
  timers?: Timers
}

const DEFAULT_LIMITER_MARGIN_MS = 60
/** Added to the margin by each 429 "throttled", up to {@link MAX_LIMITER_MARGIN_MS}. */
const MARGIN_STEP_MS = 40
const MAX_LIMITER_MARGIN_MS = 250
/** Slots granted since the last "throttled" after which the margin steps back down (to no less than it started). */
const MARGIN_RELAX_GRANTS = 40

export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const perWindow = options.perWindow ?? CC_LIMITS.requestsPerSecond
  const windowMs = options.windowMs ?? 1000
  const baseMargin = options.marginMs ?? DEFAULT_LIMITER_MARGIN_MS
  let margin = baseMargin
  let span = windowMs + margin
  let grantsSinceThrottled = 0
  const timers = options.timers ?? realTimers
  /** Start times of the most recent grants, oldest first; never longer than perWindow. */
  const granted: number[] = []
  const queue: Array<{
    resolve: () => void
    reject: (e: unknown) => void
    signal?: AbortSignal
    onAbort?: () => void
  }> = []
  let pausedUntil = 0
  /** Cancels the wait for the next free slot, while one is scheduled. */
  let cancelWait: (() => void) | undefined

  const nextFreeAt = (): number => {
    const windowFree = granted.length < perWindow ? 0 : granted[granted.length - perWindow]! + span
    return Math.max(windowFree, pausedUntil)
  }

  const pump = (): void => {
    if (cancelWait) return
    while (queue.length) {
      const t = timers.now()
      const freeAt = nextFreeAt()
      if (freeAt > t) {
        cancelWait = timers.after(Math.ceil(freeAt - t), () => {
          cancelWait = undefined
          pump()
        })
        return
      }
      const waiter = queue.shift()!
      if (margin > baseMargin && ++grantsSinceThrottled >= MARGIN_RELAX_GRANTS) {
        grantsSinceThrottled = 0
        margin = Math.max(baseMargin, margin - MARGIN_STEP_MS)
        span = windowMs + margin
      }
      granted.push(t)
      if (granted.length > perWindow) granted.shift()
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort)
      waiter.resolve()
    }
  }

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason)
      return new Promise<void>((resolve, reject) => {
        const waiter: (typeof queue)[number] = { resolve, reject, signal }
        if (signal) {
          waiter.onAbort = () => {
            const index = queue.indexOf(waiter)
            if (index >= 0) queue.splice(index, 1)
            reject(signal.reason)
          }
          signal.addEventListener('abort', waiter.onAbort, { once: true })
        }
        queue.push(waiter)
        pump()
      })
    },
    pauseFor(ms) {
      pausedUntil = Math.max(pausedUntil, timers.now() + ms)
      margin = Math.max(margin, Math.min(MAX_LIMITER_MARGIN_MS, margin + MARGIN_STEP_MS))
      span = windowMs + margin
      grantsSinceThrottled = 0
      cancelWait?.()
      cancelWait = undefined
      pump()
    },
    get waiting() {
      return queue.length
    },
  }
}

let shared: RateLimiter | undefined

/** The one limiter every Constant Contact call in this process shares (desktop app and command alike). */
export function sharedRateLimiter(): RateLimiter {
  shared ??= createRateLimiter()
  return shared
}

/**
 * Replaces the process's shared limiter (undefined: back to Constant Contact's 4 a second on next
 * use). Only for a process that talks to nothing but a local Constant Contact set to another pace:
 * the tests, which run the command at their own pace.
 */
export function replaceSharedRateLimiter(limiter: RateLimiter | undefined): void {
  shared = limiter
}
