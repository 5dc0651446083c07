import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { previewDocument, PREVIEW_POLICY } from '../../../renderer/src/features/send/email-preview'
import { localInputValue, scheduleTimeFromLocal } from '../../../renderer/src/features/send/words'

// "Schedule for" is typed in the person's own zone and must reach Constant Contact as the same moment in UTC.
describe('the Send step’s schedule time', () => {
  const originalZone = process.env.TZ
  beforeEach(() => {
    process.env.TZ = 'America/New_York'
  })
  afterEach(() => {
    process.env.TZ = originalZone
  })
  const now = new Date('2099-01-01T00:00:00Z')

  it('reads the typed time in the person’s zone, daylight saving included', () => {
    expect(scheduleTimeFromLocal('2099-06-01T09:30', now)).toEqual({ utc: '2099-06-01T13:30:00.000Z' }) // EDT, UTC−4
    expect(scheduleTimeFromLocal('2099-12-01T09:30', now)).toEqual({ utc: '2099-12-01T14:30:00.000Z' }) // EST, UTC−5
  })

  it('refuses a time in the past, a time within the next minute, and anything that is not a date and time', () => {
    expect(scheduleTimeFromLocal('2098-12-31T18:00', now)).toHaveProperty('problem')
    expect(scheduleTimeFromLocal('2098-12-31T19:00', now)).toHaveProperty('problem') // exactly now (19:00 EST = 00:00 UTC)
    expect(scheduleTimeFromLocal('2098-12-31T19:05', now)).toEqual({ utc: '2099-01-01T00:05:00.000Z' })
    for (const bad of ['', 'tomorrow', '2099-06-01', '2099-06-01 09:30', '2099-13-01T09:30'])
      expect(scheduleTimeFromLocal(bad, now)).toHaveProperty('problem')
  })

  it('fills the input with a moment as the person’s local time', () => {
    expect(localInputValue(new Date('2099-06-01T13:30:00Z'))).toBe('2099-06-01T09:30')
    expect(scheduleTimeFromLocal(localInputValue(new Date('2099-06-01T13:30:00Z')), now)).toEqual({
      utc: '2099-06-01T13:30:00.000Z',
    })
  })
})

describe('the campaign preview document', () => {
  it('puts its own no-network policy before anything of the email', () => {
    const doc = previewDocument(
      '<html><head><link rel="stylesheet" href="https://x.example/a.css"></head><body><img src="https://x.example/p.gif"></body></html>',
    )
    const policyAt = doc.indexOf(`content="${PREVIEW_POLICY}"`)
    expect(policyAt).toBeGreaterThan(0)
    expect(policyAt).toBeLessThan(doc.indexOf('<html>'))
    expect(PREVIEW_POLICY).toContain("default-src 'none'")
    expect(PREVIEW_POLICY).not.toMatch(/https?:|\*/)
  })
})
