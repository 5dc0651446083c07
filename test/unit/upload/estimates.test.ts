import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createUploadRates, fit, guessedSpeed } from '../../../electron/services/upload/rates'
import { TimeLeft } from '../../../electron/services/upload/time-left'
import { tempDir } from './helpers'

describe('the upload’s expected duration', () => {
  it('comes from what earlier uploads of the same account measured, kept in the data folder', () => {
    const file = join(tempDir('speeds'), 'upload-speeds.json')
    const rates = createUploadRates(file)
    const practice = rates.forAccount('practice')
    const guessed = practice.estimateSeconds(1_000_000)
    // Measured: 1,000,000 contacts in 100 s, twice as fast as the guess.
    practice.record({ contacts: 1_000_000, seconds: 100 })
    practice.record({ contacts: 1_000_000, seconds: 100 })
    const measured = createUploadRates(file).forAccount('practice').estimateSeconds(1_000_000)
    expect(guessed).toBeGreaterThan(150)
    expect(measured).toBeGreaterThanOrEqual(95)
    expect(measured).toBeLessThanOrEqual(110)
    // Each account has its own measurements.
    expect(rates.forAccount('real').estimateSeconds(1_000_000)).toBe(guessedSpeed().estimateSeconds(1_000_000))
    expect(JSON.parse(readFileSync(file, 'utf8')).accounts.practice).toHaveLength(2)
  })

  it('goes back to the guess for an account whose measurements are damaged, keeping the others', () => {
    const file = join(tempDir('speeds'), 'upload-speeds.json')
    const measured = { contacts: 1_000_000, seconds: 100, at: '2026-01-01T00:00:00.000Z' }
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        accounts: { practice: [measured, measured], real: [{ contacts: 'many', seconds: null }] },
      }),
    )
    const rates = createUploadRates(file)
    expect(rates.forAccount('real').estimateSeconds(1_000_000)).toBe(guessedSpeed().estimateSeconds(1_000_000))
    expect(rates.forAccount('practice').estimateSeconds(1_000_000)).toBeLessThanOrEqual(110)
    // A measurement recorded after that is kept in a file that reads back whole.
    rates.forAccount('real').record({ contacts: 1_000, seconds: 30 })
    expect(JSON.parse(readFileSync(file, 'utf8')).accounts).toEqual({
      practice: [measured, measured],
      real: [{ contacts: 1_000, seconds: 30, at: expect.any(String) }],
    })

    for (const damaged of ['{"accounts": ', '[1, 2]', '{"accounts": {"real": {"contacts": 5}}}']) {
      writeFileSync(file, damaged)
      expect(createUploadRates(file).forAccount('real').estimateSeconds(50_000)).toBe(
        guessedSpeed().estimateSeconds(50_000),
      )
    }
  })

  it('fits a fixed part and a time per contact; one small upload does not stand for every size', () => {
    const guess = { fixedSeconds: 15, secondsPerContact: 1 / 5_000 }
    // A small upload took 10 s: small uploads are about 10 s, a big one still grows with its size.
    const afterSmall = fit([{ contacts: 1_000, seconds: 10 }], guess)
    const seconds = (model: typeof guess, contacts: number) => model.fixedSeconds + contacts * model.secondsPerContact
    expect(seconds(afterSmall, 1_000)).toBeGreaterThan(8)
    expect(seconds(afterSmall, 1_000)).toBeLessThan(15)
    expect(seconds(afterSmall, 1_000_000)).toBeGreaterThan(150)
    expect(seconds(afterSmall, 1_000_000)).toBeLessThan(260)
    // Uploads of two sizes outweigh the guess: 30 s + 1 ms a contact.
    const measured = [10_000, 200_000, 10_000, 200_000].map((contacts) => ({ contacts, seconds: 30 + contacts / 1000 }))
    const both = fit(measured, guess)
    expect(seconds(both, 1_000_000)).toBeGreaterThan(900)
    expect(seconds(both, 1_000_000)).toBeLessThan(1_100)
  })
})

describe('the time left while uploading', () => {
  /**
   * An upload of 1,000,000 contacts that waits 40 s before the first contacts are done, then does
   * 6,000 a second; the plan expected 190 s (its true length is 40 + 167 = 207 s).
   */
  function simulate(expected: number) {
    const total = 1_000_000
    const left = new TimeLeft(expected, total, 0, 0)
    const predictions: Array<{ at: number; endsAt: number | undefined }> = []
    for (let at = 5; at <= 200; at += 5) {
      const processed = at < 40 ? 0 : Math.min(total, (at - 40) * 6_000)
      const eta = left.estimate(processed, at * 1000)
      predictions.push({ at, endsAt: eta === undefined ? undefined : at + eta })
    }
    return predictions
  }

  it('is not thrown off by the wait before the first contacts are done', () => {
    for (const { at, endsAt } of simulate(190)) {
      expect(endsAt, `at ${at} s`).toBeDefined()
      // Within a fifth of the true end all along (the naive "done so far over time so far" said 10 times as long).
      expect(Math.abs(endsAt! - 207) / 207, `at ${at} s`).toBeLessThan(0.2)
    }
  })

  it('gets better as the work goes on, even when the plan was far off', () => {
    const predictions = simulate(600)
    const errorAt = (at: number) => Math.abs(predictions.find((p) => p.at === at)!.endsAt! - 207) / 207
    expect(errorAt(60)).toBeGreaterThan(errorAt(120))
    expect(errorAt(120)).toBeLessThan(0.25)
    expect(errorAt(180)).toBeLessThan(0.1)
  })

  it('leaves paused time out', () => {
    const left = new TimeLeft(100, 1_000, 0, 0)
    left.pause(10_000)
    left.resume(70_000)
    expect(left.activeSeconds(80_000)).toBe(20)
    expect(left.estimate(0, 80_000)).toBe(80)
  })
})
