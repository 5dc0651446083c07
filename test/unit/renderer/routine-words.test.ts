import { describe, expect, it } from 'vitest'
import { routineSendTime } from '../../../renderer/src/features/routines/words'
import { sampleRoutine } from '../routines/helpers'

// A routine sends "now" or at a time of day; the Send step of its run starts with that time filled in.
describe('a routine run’s send time', () => {
  const at = (sendAt: string, group: '0' | '1' = '0') => {
    const other = group === '0' ? '1' : '0'
    return {
      sending: {
        [group]: { send: true, campaign: { id: 'c', name: 'C' }, sendAt, testAddresses: [] },
        [other]: { send: false },
      } as ReturnType<typeof sampleRoutine>['sending'],
    }
  }
  const local = (y: number, m: number, d: number, h: number, min: number) => new Date(y, m - 1, d, h, min)

  it('is now when the routine sends now, or sends nothing', () => {
    expect(routineSendTime(at('now'), local(2099, 6, 1, 8, 0))).toBeNull()
    expect(routineSendTime({ sending: { '0': { send: false }, '1': { send: false } } }, new Date())).toBeNull()
  })

  it('is today at the routine’s time when that is still ahead, else tomorrow', () => {
    expect(routineSendTime(at('09:30', '1'), local(2099, 6, 1, 8, 0))).toEqual(local(2099, 6, 1, 9, 30))
    // Less than 15 minutes ahead, or past: tomorrow (also across a month's end).
    expect(routineSendTime(at('09:30'), local(2099, 6, 1, 9, 20))).toEqual(local(2099, 6, 2, 9, 30))
    expect(routineSendTime(at('09:30'), local(2099, 6, 30, 18, 0))).toEqual(local(2099, 7, 1, 9, 30))
  })
})
