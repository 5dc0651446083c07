import type { Timers } from '../../electron/services/constant-contact/timers'

interface Pending {
  due: number
  callback: () => void
  cancelReal?: () => void
}

/** A Timers' `sleep` made of its `after`, rejecting as node:timers/promises does when aborted. */
function sleepOn(after: Timers['after']): Timers['sleep'] {
  return (ms, signal) => {
    if (signal?.aborted) return Promise.reject(new DOMException('The operation was aborted', 'AbortError'))
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        cancel()
        reject(new DOMException('The operation was aborted', 'AbortError'))
      }
      const cancel = after(ms, () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      })
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }
}

/** Lets everything that is ready run: promise continuations, and I/O and timers already due. */
export async function settle(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve))
}

/**
 * Time that passes only when the test says so. `advance` runs each wait that falls due, in order,
 * letting what it starts run before the next (so a wait set up by a finished wait is honoured too).
 */
export function manualClock(start = 1_700_000_000_000): Timers & {
  advance(ms: number): Promise<void>
  /** Waits scheduled and not yet due. */
  readonly pending: number
} {
  let now = start
  const pending: Pending[] = []
  const take = (limit: number): Pending | undefined => {
    let next: Pending | undefined
    for (const p of pending) if (p.due <= limit && (!next || p.due < next.due)) next = p
    if (next) pending.splice(pending.indexOf(next), 1)
    return next
  }
  const after: Timers['after'] = (ms, callback) => {
    const entry = { due: now + Math.max(0, ms), callback }
    pending.push(entry)
    return () => {
      const index = pending.indexOf(entry)
      if (index >= 0) pending.splice(index, 1)
    }
  }
  return {
    now: () => now,
    after,
    sleep: sleepOn(after),
    async advance(ms) {
      const until = now + ms
      await settle()
      for (let next = take(until); next; next = take(until)) {
        now = next.due
        next.callback()
        await settle()
      }
      now = until
    },
    get pending() {
      return pending.length
    },
  }
}

/**
 * Real time that the test can also jump forward: waits end when their time comes, as usual, or at
 * once when a jump passes their end. For code that talks to a real server while the test checks
 * what it does (or doesn't do) over a long stretch of its own time.
 */
export function jumpingClock(): Timers & { jump(ms: number): Promise<void> } {
  let offset = 0
  const pending: Pending[] = []
  const now = (): number => performance.timeOrigin + performance.now() + offset
  const firstDue = (): Pending | undefined => pending.filter((p) => p.due <= now()).sort((a, b) => a.due - b.due)[0]
  const fire = (entry: Pending): void => {
    const index = pending.indexOf(entry)
    if (index < 0) return
    pending.splice(index, 1)
    entry.cancelReal?.()
    entry.callback()
  }
  const after: Timers['after'] = (ms, callback) => {
    const entry: Pending = { due: now() + Math.max(0, ms), callback }
    const timer = setTimeout(() => fire(entry), ms)
    entry.cancelReal = () => clearTimeout(timer)
    pending.push(entry)
    return () => {
      const index = pending.indexOf(entry)
      if (index >= 0) pending.splice(index, 1)
      clearTimeout(timer)
    }
  }
  return {
    now,
    after,
    sleep: sleepOn(after),
    async jump(ms) {
      offset += ms
      await settle()
      for (let next = firstDue(); next; next = firstDue()) {
        fire(next)
        await settle()
      }
    },
  }
}
