/** The local Constant Contact's sense of time: real time plus an offset tests can move forward. */
export interface Clock {
  now(): number
  advance(ms: number): void
  readonly offsetMs: number
}

export function createClock(offsetMs = 0): Clock {
  let offset = offsetMs
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms
    },
    get offsetMs() {
      return offset
    },
  }
}
