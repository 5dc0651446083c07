/**
 * Faults a test can ask the local Constant Contact to inject into API calls (/v3). Each fault applies
 * to the next `times` matching requests (default 1), in the order they were added.
 */
export type Fault =
  /** Answers only after `delayMs`. */
  | { kind: 'slow'; delayMs: number; times?: number; match?: FaultMatch }
  /**
   * Answers with a 5xx instead of doing the work (a burst when `times` > 1): Constant Contact's
   * JSON error array, or — `body` — a gateway's HTML page or no body at all; `retryAfter` adds that
   * header (seconds or an HTTP date).
   */
  | {
      kind: 'server_error'
      status?: 500 | 502 | 503 | 504
      body?: 'json' | 'html' | 'empty'
      retryAfter?: string
      times?: number
      match?: FaultMatch
    }
  /**
   * Closes the connection without an answer: `before_handling` does nothing, `after_handling` does
   * the work first (the answer is lost on the way back).
   */
  | { kind: 'drop_connection'; when?: 'before_handling' | 'after_handling'; times?: number; match?: FaultMatch }
  /** Answers 429 "throttled" as if the per-second limit had been hit. */
  | { kind: 'throttle'; times?: number; match?: FaultMatch }
  /** A file answer (an export) breaks off after `afterBytes`: the connection closes mid-body. */
  | { kind: 'cut_body'; afterBytes: number; times?: number; match?: FaultMatch }
  /** Refuses the request as invalid (default 400, Constant Contact's error array), doing nothing. */
  | { kind: 'refuse'; status?: 400 | 404 | 409; times?: number; match?: FaultMatch }

interface FaultMatch {
  method?: string
  /** A path under /v3 (exact, e.g. `/activities/contacts_json_import`) or a pattern. */
  path?: string | RegExp
}

interface ActiveFault {
  fault: Fault
  remaining: number
}

export class FaultPlan {
  private readonly active: ActiveFault[] = []

  add(fault: Fault): void {
    this.active.push({ fault, remaining: fault.times ?? 1 })
  }

  clear(): void {
    this.active.length = 0
  }

  /** Takes the faults that apply to this request (at most one of each kind), using them up. */
  take(method: string, path: string): Fault[] {
    const taken: Fault[] = []
    const kinds = new Set<string>()
    for (const entry of this.active) {
      if (entry.remaining <= 0 || kinds.has(entry.fault.kind) || !matches(entry.fault.match, method, path)) continue
      entry.remaining--
      kinds.add(entry.fault.kind)
      taken.push(entry.fault)
    }
    for (let i = this.active.length - 1; i >= 0; i--) if (this.active[i]!.remaining <= 0) this.active.splice(i, 1)
    return taken
  }

  get pending(): number {
    return this.active.reduce((n, f) => n + f.remaining, 0)
  }
}

function matches(match: FaultMatch | undefined, method: string, path: string): boolean {
  if (!match) return true
  if (match.method && match.method.toUpperCase() !== method) return false
  if (match.path === undefined) return true
  return typeof match.path === 'string' ? match.path === path : match.path.test(path)
}
