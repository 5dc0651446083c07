/**
 * When to ask Constant Contact about an activity again. Each status check is one request out of 4 a
 * second and 10,000 a day, so checks are spaced by what Constant Contact's own timestamps say about
 * its speed: an activity at 40 % after 10 s of processing is checked again when it should be done,
 * not every second. Before an activity has started, the wait doubles each time. Once an activity
 * of this run has finished, its speed sets the first check of the next ones.
 */
export interface PollTiming {
  /** Never sooner than this after the previous check. */
  minMs: number
  /**
   * The first check of an activity may come this soon when this run's finished activities say it
   * will be done by then (checking at the predicted end saves waiting out {@link minMs} for the last one).
   */
  firstMinMs: number
  /** Never later, so the progress shown stays fresh. */
  maxMs: number
}

export const CONSTANT_CONTACT_POLL_TIMING: PollTiming = { minMs: 1_000, firstMinMs: 300, maxMs: 60_000 }

/** The schedule of every run that isn't given one: Constant Contact's pace, unless replaced (tests). */
export const DEFAULT_POLL_TIMING: PollTiming = { ...CONSTANT_CONTACT_POLL_TIMING }

/**
 * Replaces the process's default schedule (undefined: back to Constant Contact's). Like
 * replaceSharedRateLimiter, only for a process that talks to nothing but a local Constant Contact
 * set to another pace: the tests' commands and the web bridge at the tests' pace.
 */
export function replaceDefaultPollTiming(timing: PollTiming | undefined): void {
  Object.assign(DEFAULT_POLL_TIMING, timing ?? CONSTANT_CONTACT_POLL_TIMING)
}

export interface ActivitySnapshot {
  state?: string
  percent_done?: number
  created_at?: string
  started_at?: string
  updated_at?: string
  completed_at?: string
}

export class PollSchedule {
  /** Contacts a millisecond Constant Contact managed on finished activities of this run. */
  private learnedRate: number | undefined

  constructor(readonly timing: PollTiming = DEFAULT_POLL_TIMING) {}

  /** Wait before the first check of an activity just sent. */
  firstDelay(contacts: number): number {
    if (!this.learnedRate) return this.clamp(this.timing.minMs)
    return Math.round(Math.min(this.timing.maxMs, Math.max(this.timing.firstMinMs, contacts / this.learnedRate)))
  }

  /** Wait before the next check, given what the last one said and the wait before it. */
  nextDelay(snapshot: ActivitySnapshot, previousDelay: number): number {
    const percent = snapshot.percent_done ?? 0
    const started = Date.parse(snapshot.started_at ?? '')
    const updated = Date.parse(snapshot.updated_at ?? '')
    if (percent > 0 && percent < 100 && Number.isFinite(started) && Number.isFinite(updated) && updated > started) {
      const msPerPercent = (updated - started) / percent
      return this.clamp(msPerPercent * (100 - percent))
    }
    return this.clamp(Math.max(this.timing.minMs, previousDelay * 2))
  }

  /** Learns Constant Contact's speed from a finished activity. */
  learn(contacts: number, snapshot: ActivitySnapshot): void {
    const from = Date.parse(snapshot.created_at ?? '')
    const to = Date.parse(snapshot.completed_at ?? snapshot.updated_at ?? '')
    if (!Number.isFinite(from) || !Number.isFinite(to) || contacts <= 0) return
    this.learnedRate = contacts / Math.max(1, to - from)
  }

  private clamp(ms: number): number {
    return Math.round(Math.min(this.timing.maxMs, Math.max(this.timing.minMs, ms)))
  }
}
