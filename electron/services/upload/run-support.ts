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

function isPausedSignal(error: unknown): boolean {
  return error instanceof PausedSignal || (error as { name?: string })?.name === 'PausedSignal'
}

/** A run's loop sleeps until something happens (a send ended, a check came back) or until `ms` have passed. */
class Waker {
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
function untilNextCheck(
  following: Iterable<{ polling: boolean; nextPollAt: number }>,
  paused: boolean,
  now: number,
  maxMs = 60_000,
): number {
  let until = maxMs
  if (!paused) for (const f of following) if (!f.polling) until = Math.min(until, Math.max(0, f.nextPollAt - now))
  return until
}

/** Something sent and now followed with status checks until it ends. */
export interface Followed {
  polling: boolean
  nextPollAt: number
}

/** What a run does with one item of its loop; the loop decides when. */
export interface FollowSteps<Q, F extends Followed> {
  /**
   * Sends one queued item (never two at once): it ends followed (put in `following`), queued again,
   * or settled without a request. A rejection stops the run.
   */
  send(item: Q): Promise<void>
  /** One status check of a followed item; it removes the item from `following` once it has ended. */
  poll(followed: F): Promise<void>
}

/**
 * The loop of a run that sends activities and follows them (the upload's imports, the membership
 * step's removals): one send at a time while fewer than `maxInFlight` are followed, every status
 * check that is due, and sleep until something happens. Pausing and cancelling stop the status
 * checks under way (their requests see {@link PausedSignal}); sends already made keep going in
 * Constant Contact.
 */
export class FollowLoop<Q, F extends Followed> {
  readonly queue: Q[] = []
  readonly following = new Map<string, F>()
  private sending = false
  private fatal: unknown
  private pausedFlag = false
  private cancelledFlag = false
  private abort = new AbortController()
  private readonly waker: Waker

  constructor(
    private readonly steps: FollowSteps<Q, F>,
    private readonly maxInFlight: number,
    private readonly timers: Timers = realTimers,
  ) {
    this.waker = new Waker(timers)
  }

  get paused(): boolean {
    return this.pausedFlag
  }

  get cancelled(): boolean {
    return this.cancelledFlag
  }

  /** For the requests of status checks: aborted on pause, cancel and at the end of a loop. */
  get signal(): AbortSignal {
    return this.abort.signal
  }

  /** Sends the queue (when `send`) and follows everything sent until nothing is left or the run is cancelled. */
  async run(send = true): Promise<void> {
    for (;;) {
      if (this.fatal) throw this.fatal
      if (this.cancelledFlag) break
      if (!this.pausedFlag) {
        this.startDuePolls()
        if (send) this.startNextSend()
      }
      if (!this.sending && (this.queue.length === 0 || !send) && this.following.size === 0) break
      await this.sleep()
    }
    await this.settle()
    if (this.fatal) throw this.fatal
  }

  pause(): void {
    this.pausedFlag = true
    this.abort.abort(new PausedSignal())
    this.wake()
  }

  resume(): void {
    this.pausedFlag = false
    this.abort = new AbortController()
    for (const f of this.following.values()) f.nextPollAt = this.timers.now()
    this.wake()
  }

  cancel(): void {
    this.cancelledFlag = true
    this.abort.abort(new PausedSignal())
    this.wake()
  }

  /** The run has ended: a pause no longer stands (its last progress says "finished"). */
  endPause(): void {
    this.pausedFlag = false
  }

  /** Waits for the send in progress and the status checks to stop (those under way are aborted). */
  async settle(): Promise<void> {
    this.abort.abort(new PausedSignal())
    while (this.sending || [...this.following.values()].some((f) => f.polling)) await this.sleep(50)
    this.abort = new AbortController()
  }

  wake(): void {
    this.waker.wake()
  }

  private startNextSend(): void {
    if (this.sending || this.queue.length === 0 || this.following.size >= Math.max(1, this.maxInFlight)) return
    const item = this.queue.shift()!
    this.sending = true
    this.steps
      .send(item)
      .catch((error: unknown) => {
        this.fatal ??= error
      })
      .finally(() => {
        this.sending = false
        this.wake()
      })
  }

  private startDuePolls(): void {
    const now = this.timers.now()
    for (const f of this.following.values()) {
      if (f.polling || f.nextPollAt > now) continue
      f.polling = true
      this.steps
        .poll(f)
        .catch((error: unknown) => {
          if (!isPausedSignal(error)) this.fatal ??= error
        })
        .finally(() => {
          f.polling = false
          this.wake()
        })
    }
  }

  private sleep(maxMs?: number): Promise<void> {
    return this.waker.sleep(untilNextCheck(this.following.values(), this.pausedFlag, this.timers.now(), maxMs))
  }
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
