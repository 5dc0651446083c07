import { describe, expect, it } from 'vitest'
import { CONSTANT_CONTACT_POLL_TIMING, PollSchedule } from '../../../electron/services/upload/poll-schedule'

const at = (ms: number): string => new Date(Date.UTC(2026, 10, 27) + ms).toISOString()

describe('when to check an activity again', () => {
  it('checks a first activity after a second, then as soon as finished ones say the next will be done', () => {
    const schedule = new PollSchedule(CONSTANT_CONTACT_POLL_TIMING)
    expect(schedule.firstDelay(40_000)).toBe(1_000)
    // 40,000 contacts took 2 s from creation to completion: 20 a millisecond.
    schedule.learn(40_000, { created_at: at(0), completed_at: at(2_000) })
    expect(schedule.firstDelay(40_000)).toBe(2_000)
    expect(schedule.firstDelay(10_000)).toBe(500)
    expect(schedule.firstDelay(100)).toBe(300) // never sooner
    expect(schedule.firstDelay(10_000_000)).toBe(60_000) // never later
  })

  it('spaces later checks by the progress Constant Contact reports, or doubles the wait before it starts', () => {
    const schedule = new PollSchedule(CONSTANT_CONTACT_POLL_TIMING)
    // 40 % after 10 s of processing: done in about 15 s more.
    expect(
      schedule.nextDelay({ state: 'processing', percent_done: 40, started_at: at(0), updated_at: at(10_000) }, 1_000),
    ).toBe(15_000)
    expect(schedule.nextDelay({ state: 'initialized', percent_done: 0 }, 1_000)).toBe(2_000)
    expect(schedule.nextDelay({ state: 'initialized', percent_done: 0 }, 40_000)).toBe(60_000)
    // A later check never comes sooner than a second after the last.
    expect(
      schedule.nextDelay({ state: 'processing', percent_done: 99, started_at: at(0), updated_at: at(990) }, 1_000),
    ).toBe(1_000)
  })
})
