import { describe, expect, it } from 'vitest'
import { UserFacingError } from '../../../shared/errors'
import { parseTestAddresses, sendTest } from '../../../electron/services/send/index'
import { CAMPAIGN_X, sendSetup } from './helpers'
import { closeAfterEach } from '../constant-contact/helpers'

const closeLater = closeAfterEach()

describe('test sends', () => {
  it('sends the campaign’s email to up to 5 addresses, typed with commas or spaces', async () => {
    const ctx = await sendSetup()
    closeLater(ctx.close)
    const result = await sendTest(ctx.client, {
      campaignId: ctx.x,
      addresses: 'me@office.example, boss@office.example;me@office.example',
      personalMessage: ' Please check ',
    })
    expect(result).toMatchObject({
      campaignId: ctx.x,
      campaignName: CAMPAIGN_X,
      sentTo: ['me@office.example', 'boss@office.example'],
    })
    expect(ctx.sim.control.testSends()).toEqual([
      {
        campaign_activity_id: ctx.activityOf(ctx.x),
        email_addresses: ['me@office.example', 'boss@office.example'],
        personal_message: 'Please check',
        sent_at: expect.any(String),
      },
    ])
    // A test is not a send: nothing in the send record, the campaign still a draft.
    expect(ctx.sim.control.campaignActivity(ctx.activityOf(ctx.x))).toMatchObject({
      current_status: 'DRAFT',
      send_history: [],
    })
  })

  it('refuses more than 5 addresses, none, or something that isn’t an address, before asking Constant Contact', () => {
    expect(() => parseTestAddresses('a@x.co,b@x.co,c@x.co,d@x.co,e@x.co,f@x.co')).toThrow(
      'A test can go to at most 5 addresses at a time; you entered 6.',
    )
    expect(() => parseTestAddresses(' , ')).toThrow('Enter at least one email address to send the test to.')
    expect(() => parseTestAddresses(['me@office.example', 'my office'])).toThrow('“my office” is not an email address.')
    expect(parseTestAddresses(['A@x.co', 'a@x.co', 'b@x.co'])).toEqual(['A@x.co', 'b@x.co'])
  })

  it('explains the daily limit of 50 test emails when it is reached', async () => {
    const ctx = await sendSetup()
    closeLater(ctx.close)
    const five = (n: number) => Array.from({ length: 5 }, (_, i) => `t${n}-${i}@office.example`)
    for (let n = 0; n < 10; n++) await sendTest(ctx.client, { campaignId: ctx.x, addresses: five(n) })
    let refusal: unknown
    try {
      await sendTest(ctx.client, { campaignId: ctx.y, addresses: ['one.more@office.example'] })
    } catch (error) {
      refusal = error
    }
    expect(refusal).toBeInstanceOf(UserFacingError)
    expect((refusal as UserFacingError).code).toBe('test_send_daily_limit')
    expect((refusal as UserFacingError).message).toBe(
      'Constant Contact allows 50 test emails a day for the whole account, and today’s are used up (each address counts as one).',
    )
    expect((refusal as UserFacingError).hint).toMatch(/Test again tomorrow/)
    expect(ctx.sim.control.testSends().reduce((n, t) => n + t.email_addresses.length, 0)).toBe(50)
  })
})
