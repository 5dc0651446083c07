import { describe, expect, it } from 'vitest'
import { FollowLoop, PausedSignal, type Followed } from '../../../electron/services/upload/run-support'
import { manualClock, settle } from '../clock'

/**
 * The loop the upload and the membership step share: one send at a time, never more followed than
 * allowed, each followed until its checks say it ended; pause, resume, cancel, and a failure.
 */
interface Item extends Followed {
  id: number
  checks: number
}

function setUp(maxInFlight: number, checksToEnd = 2) {
  const clock = manualClock()
  const log = { sends: 0, sendingAtOnce: 0, mostSendingAtOnce: 0, mostFollowed: 0, polls: 0, ended: [] as number[] }
  const loop: FollowLoop<number, Item> = new FollowLoop<number, Item>(
    {
      send: async (id) => {
        log.sendingAtOnce++
        log.mostSendingAtOnce = Math.max(log.mostSendingAtOnce, log.sendingAtOnce)
        await clock.sleep(10)
        log.sendingAtOnce--
        log.sends++
        loop.following.set(String(id), { id, checks: 0, polling: false, nextPollAt: clock.now() + 100 })
        log.mostFollowed = Math.max(log.mostFollowed, loop.following.size)
      },
      poll: async (f) => {
        log.polls++
        await clock.sleep(5, loop.signal).catch(() => {
          throw new PausedSignal()
        })
        if (++f.checks >= checksToEnd) {
          loop.following.delete(String(f.id))
          log.ended.push(f.id)
        } else f.nextPollAt = clock.now() + 100
      },
    },
    maxInFlight,
    clock,
  )
  return { clock, log, loop }
}

const NEVER = new Promise<never>(() => {})

/** Moves the clock until the run ends (or `ms` have passed), letting every ready continuation run. */
async function drive(clock: ReturnType<typeof manualClock>, run: Promise<unknown>, ms = 10_000): Promise<boolean> {
  let over = false
  void run.then(
    () => (over = true),
    () => (over = true),
  )
  for (let t = 0; t < ms && !over; t += 5) {
    await clock.advance(5)
    await settle()
  }
  return over
}

describe('the follow loop', () => {
  it('sends one at a time, never follows more than allowed, and follows each until it ends', async () => {
    const { clock, log, loop } = setUp(2)
    loop.queue.push(1, 2, 3, 4, 5)
    expect(await drive(clock, loop.run())).toBe(true)
    expect(log.sends).toBe(5)
    expect(log.mostSendingAtOnce).toBe(1)
    expect(log.mostFollowed).toBe(2)
    expect([...log.ended].sort()).toEqual([1, 2, 3, 4, 5])
    expect(loop.following.size).toBe(0)
  })

  it('sends and checks nothing while paused, and continues where it was on resume', async () => {
    const { clock, log, loop } = setUp(5)
    loop.queue.push(1, 2, 3, 4, 5)
    const run = loop.run()
    while (log.sends < 1) await drive(clock, NEVER, 5)
    loop.pause()
    const signal = loop.signal
    expect(signal.aborted).toBe(true)
    await drive(clock, NEVER, 10) // a send already under way ends
    const before = { sends: log.sends, polls: log.polls, ended: log.ended.length }
    expect(await drive(clock, run, 2_000)).toBe(false)
    expect({ sends: log.sends, polls: log.polls, ended: log.ended.length }).toEqual(before)
    loop.resume()
    expect(loop.signal.aborted).toBe(false)
    expect(await drive(clock, run)).toBe(true)
    expect(log.sends).toBe(5)
    expect([...log.ended].sort()).toEqual([1, 2, 3, 4, 5])
  })

  it('ends on a cancel without sending the rest, and a failed send ends the run with its error', async () => {
    const cancelled = setUp(1)
    cancelled.loop.queue.push(1, 2, 3)
    const run = cancelled.loop.run()
    while (cancelled.log.sends < 1) await drive(cancelled.clock, NEVER, 5)
    cancelled.loop.cancel()
    expect(await drive(cancelled.clock, run)).toBe(true)
    expect(cancelled.log.sends).toBe(1)
    expect(cancelled.loop.queue).toEqual([2, 3])

    const clock = manualClock()
    const failing = new FollowLoop<number, Item>(
      { send: () => Promise.reject(new Error('refused')), poll: () => Promise.resolve() },
      4,
      clock,
    )
    failing.queue.push(1)
    const failed = failing.run()
    failed.catch(() => undefined)
    await drive(clock, failed)
    await expect(failed).rejects.toThrow('refused')
  })
})
