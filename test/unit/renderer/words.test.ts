import { describe, expect, it } from 'vitest'
import { campaignOptions, SKIP } from '../../../renderer/src/features/send/send-plan'
import { preflightVerdict } from '../../../renderer/src/features/send/words'
import { activityCounts } from '../../../renderer/src/features/upload/words'

const counts = (person_count: number) => ({
  items_total_count: 1_000,
  person_count,
  error_count: 0,
  correctable_count: 0,
  cannot_add_to_list_count: 0,
})

describe('an import’s counts on the Upload step', () => {
  it('says "waiting" for the contacts not added until Constant Contact has finished the import', () => {
    // Constant Contact reports 320 done of 1,000 while it is still working: 680 are not "not added".
    expect(activityCounts({ state: 'processing', contacts: 1_000, counts: counts(320) })).toEqual({
      added: '320 so far',
      notAdded: 'waiting',
    })
    expect(activityCounts({ state: 'sending', contacts: 1_000 })).toEqual({ added: '—', notAdded: 'waiting' })
  })

  it('gives the final counts once the import has finished', () => {
    expect(activityCounts({ state: 'completed', contacts: 1_000, counts: counts(990) })).toEqual({
      added: '990',
      notAdded: '10',
    })
    expect(activityCounts({ state: 'rejected', contacts: 1_000 })).toEqual({ added: '0', notAdded: '1,000' })
  })
})

describe('the Send step’s words', () => {
  it('offers the campaigns first and not sending last', () => {
    const options = campaignOptions([
      { campaignId: 'c2', name: 'Spring update', selectable: true },
      { campaignId: 'c1', name: 'Sent last year', selectable: false },
    ])
    expect(options.map((o) => o.value)).toEqual(['c2', 'c1', SKIP])
    expect(options[1]!.disabled).toBe(true)
  })

  it('never says every check passed above a check that asks to be read', () => {
    expect(preflightVerdict([{ result: 'ok' }, { result: 'ok' }])).toBe('Every check passed: this can be sent.')
    expect(preflightVerdict([{ result: 'ok' }, { result: 'note' }])).toBe(
      'Nothing stops the send, but one check asks you to read it first.',
    )
    expect(preflightVerdict([{ result: 'note' }, { result: 'blocked' }])).toBe(
      '1 check stops the send until it is fixed.',
    )
  })
})
