/**
 * The time an upload has left, from what the plan expected and what is measured as it runs.
 *
 * An upload is a pipeline: the first imports are sent, then wait in Constant Contact before any
 * contact counts as done, then contacts are done at a fairly steady rate. Measuring "contacts done
 * since the start" early on counts that wait as slowness (a 3-minute upload showed "40 minutes
 * left" after 48 seconds). So the rate is measured from the first contacts done on, and is trusted
 * more the more of the upload it has seen; until then the plan's expectation (itself measured on
 * earlier uploads, see rates.ts) fills in. Paused time doesn't count.
 */
export class TimeLeft {
  private startedAt: number
  private pausedSince: number | undefined
  private pausedMs = 0
  private first: { at: number; processed: number } | undefined
  private readonly startProcessed: number

  /**
   * `expectedSeconds`: the plan's duration for the whole of `total` contacts; `processed`: contacts
   * already done when this run starts (a resumed upload).
   */
  constructor(
    private readonly expectedSeconds: number,
    private readonly total: number,
    processed: number,
    now: number,
  ) {
    this.startedAt = now
    this.startProcessed = processed
  }

  pause(now: number): void {
    this.pausedSince ??= now
  }

  resume(now: number): void {
    if (this.pausedSince === undefined) return
    this.pausedMs += now - this.pausedSince
    this.pausedSince = undefined
  }

  /** Seconds of the run so far, pauses left out. */
  activeSeconds(now: number): number {
    const paused = this.pausedMs + (this.pausedSince === undefined ? 0 : now - this.pausedSince)
    return Math.max(0, (now - this.startedAt - paused) / 1000)
  }

  /** Seconds left with `processed` contacts done now; undefined while it can't be told. */
  estimate(processed: number, now: number): number | undefined {
    if (processed >= this.total) return 0
    const active = this.activeSeconds(now)
    const left = this.total - processed
    // What the plan expects of the contacts still to do (a resumed upload has fewer).
    const expectedRate = this.total / Math.max(1, this.expectedSeconds)
    if (processed > this.startProcessed && !this.first) this.first = { at: active, processed }
    if (!this.first) {
      const expectedLeft = this.expectedSeconds * (left / this.total) - active
      // Past the plan's time with nothing done yet: too early to say.
      return expectedLeft > 0 ? Math.ceil(expectedLeft) : undefined
    }
    // The plan's rate for what was left when the first contacts were done: its time then less the
    // wait already over (a plan that was too quick has no time left: then its rate over the whole).
    const planLeft = this.expectedSeconds * ((this.total - this.startProcessed) / this.total) - this.first.at
    const planRate = planLeft > 0 ? (this.total - this.first.processed) / planLeft : expectedRate
    const measuredFor = active - this.first.at
    const measured = processed - this.first.processed
    if (measuredFor < 3 || measured <= 0) return Math.ceil(left / planRate)
    const measuredRate = measured / measuredFor
    // The share of the upload measured decides how far the measurement is trusted over the plan:
    // half at a tenth of the contacts, three quarters at three tenths.
    const seen = measured / this.total
    const trust = seen / (seen + 0.1)
    const rate = trust * measuredRate + (1 - trust) * planRate
    return Math.max(1, Math.ceil(left / rate))
  }
}
