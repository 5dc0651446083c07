import { realTimers, type Timers } from '../constant-contact/timers'

/**
 * What the runs that follow Constant Contact activities share (the upload's imports, the membership
 * step's removals): their loop's sleep and wake-up, throttled progress, and the signal that stops a
 * status check on pause or cancel.
 */

/** Raised inside status checks that were stopped by a pause or cancel; never escapes a run. */
export class PausedSignal extends Error {
  constructor() {
    super('paused')
    this.name = 'PausedSignal'
  }
}

export function isPausedSignal(error: unknown): boolean {
  return error instanceof PausedSignal || (error as { name?: string })?.name === 'PausedSignal'
}

/** A run's loop sleeps until something happens (a send ended, a check came back) or until `ms` have passed. */
export class Waker {
  private wakeUp: (() => void) | undefined
  private cancelTimer: (() => void) | undefined

  constructor(private readonly timers: Timers = realTimers) {}

  sleep(ms: number): Promise<void> {
    return new Promise((resolveWait) => {
      this.wakeUp = resolveWait
      this.cancelTimer = this.timers.after(ms, () => this.wake())
    })
  }

  wake(): void {
    this.cancelTimer?.()
    this.cancelTimer = undefined
    const wake = this.wakeUp
    this.wakeUp = undefined
    wake?.()
  }
}

/** The wait until the earliest of the next status checks due (none sooner than now, none later than `maxMs`). */
export function untilNextCheck(
  following: Iterable<{ polling: boolean; nextPollAt: number }>,
  paused: boolean,
  now: number,
  maxMs = 60_000,
): number {
  let until = maxMs
  if (!paused) for (const f of following) if (!f.polling) until = Math.min(until, Math.max(0, f.nextPollAt - now))
  return until
}

/** Sends a fresh snapshot at most about ten times a second; `emit(true)` sends at once. */
export class ThrottledProgress<T> {
  private timer: ReturnType<typeof setTimeout> | undefined
  private last = 0

  constructor(
    private readonly send: ((progress: T) => void) | undefined,
    private readonly snapshot: () => T,
  ) {}

  emit(now = false): void {
    const send = this.send
    if (!send) return
    const fire = (): void => {
      this.timer = undefined
      this.last = Date.now()
      send(this.snapshot())
    }
    if (now || Date.now() - this.last >= 100) {
      if (this.timer) clearTimeout(this.timer)
      fire()
    } else this.timer ??= setTimeout(fire, 100 - (Date.now() - this.last))
  }

  /** Drops a snapshot still waiting to be sent (the run has ended and sends its last one itself). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }
}

/** What the one who starts a run holds: its controls, its progress and how it ends. */
export interface RunHandle<P, R> {
  pause(): void
  resume(): void
  /** Sends nothing more; what was sent keeps going in Constant Contact. Run it again to continue. */
  cancel(): void
  readonly paused: boolean
  progress(): P
  /** Never rejects: a problem ends the run `stopped`, with its error. */
  done: Promise<R>
}

export function runHandle<P, R>(
  runner: { pause(): void; resume(): void; cancel(): void; readonly isPaused: boolean; snapshot(): P },
  done: Promise<R>,
): RunHandle<P, R> {
  return {
    pause: () => runner.pause(),
    resume: () => runner.resume(),
    cancel: () => runner.cancel(),
    get paused() {
      return runner.isPaused
    },
    progress: () => runner.snapshot(),
    done,
  }
}
