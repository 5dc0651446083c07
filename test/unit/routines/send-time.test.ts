import { describe, expect, it } from 'vitest'
import { nextTimeOfDay, routineSendTime } from '../../../shared/routines/send-time'
import type { Routine } from '../../../shared/routines/schema'

// A routine sends "now" or at a time of day: the command's run sends then, and the Send step of the
// app's run starts with that time filled in — one rule for both.
const local = (y: number, m: number, d: number, h: number, min: number, s = 0) => new Date(y, m - 1, d, h, min, s)

describe('a routine’s send at a time of day', () => {
  it('is today when the time is at least 15 minutes ahead, else tomorrow (also across a month’s end)', () => {
    expect(nextTimeOfDay('09:30', local(2099, 6, 1, 8, 0))).toEqual(local(2099, 6, 1, 9, 30))
    expect(nextTimeOfDay('09:30', local(2099, 6, 1, 9, 15))).toEqual(local(2099, 6, 1, 9, 30))
    expect(nextTimeOfDay('09:30', local(2099, 6, 1, 9, 15, 1))).toEqual(local(2099, 6, 2, 9, 30))
    expect(nextTimeOfDay('07:30', local(2099, 6, 1, 8, 0))).toEqual(local(2099, 6, 2, 7, 30))
    expect(nextTimeOfDay('09:30', local(2099, 6, 30, 18, 0))).toEqual(local(2099, 7, 1, 9, 30))
  })
})

describe('the time of the app’s routine run', () => {
  const at = (sendAt: string, group: '0' | '1' = '0'): Pick<Routine, 'sending'> => {
    const other = group === '0' ? '1' : '0'
    return {
      sending: {
        [group]: { send: true, campaign: { id: 'c', name: 'C' }, sendAt, testAddresses: [] },
        [other]: { send: false },
      } as Routine['sending'],
    }
  }

  it('is now when the routine sends now, or sends nothing', () => {
    expect(routineSendTime(at('now'), local(2099, 6, 1, 8, 0))).toBeNull()
    expect(routineSendTime({ sending: { '0': { send: false }, '1': { send: false } } }, new Date())).toBeNull()
  })

  it('is the time of day of the group that sends at one, the next time it comes', () => {
    expect(routineSendTime(at('09:30', '1'), local(2099, 6, 1, 8, 0))).toEqual(local(2099, 6, 1, 9, 30))
    expect(routineSendTime(at('09:30'), local(2099, 6, 1, 9, 20))).toEqual(local(2099, 6, 2, 9, 30))
  })
})
