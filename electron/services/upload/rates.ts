/**
 * How long uploads take, as measured. Constant Contact documents no import speed, so every upload
 * that runs from start to end without a pause is measured (contacts, seconds), per account, and
 * kept in Splitsend's data folder (`upload-speeds.json`); a plan's duration comes from those
 * measurements, and until there are any, from a starting guess.
 *
 * The model is a fixed part (finding the lists, the first import's wait) plus a time per contact:
 * `seconds = fixed + contacts × perContact`, fitted to the measurements (see {@link fit}). Only the
 * last few measurements count, so a change in the service's speed shows soon.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import { writeJsonAtomically } from '../files/atomic-file'
import { parseJsonAs } from '../files/json-text'

/** The file in Splitsend's data folder that keeps the measurements. */
export const UPLOAD_SPEEDS_FILE = 'upload-speeds.json'

const UploadMeasurementSchema = z.object({
  contacts: z.number().int().nonnegative(),
  seconds: z.number().positive().finite(),
  at: z.string(),
})
type UploadMeasurement = z.infer<typeof UploadMeasurementSchema>

/**
 * `upload-speeds.json`. An account whose measurements are damaged loses them (its estimates go back
 * to the guess) rather than every account losing theirs, or a damaged number making an estimate
 * of "NaN seconds".
 */
const UploadSpeedsFileSchema = z.object({
  accounts: z.record(z.string(), z.array(UploadMeasurementSchema).catch([])),
})

/** What an account's uploads have measured, for one plan and one run. */
export interface AccountSpeed {
  /** The expected duration of an upload of `contacts`, in seconds. */
  estimateSeconds(contacts: number): number
  /** A whole upload that ran from start to end. */
  record(measurement: { contacts: number; seconds: number }): void
}

export interface UploadRates {
  /** The measurements of one account (`real`, `practice`, or a custom address). */
  forAccount(account: string): AccountSpeed
}

/** Measurements kept per account. */
const KEPT = 8
/** Runs this small say little about speed, and much about waiting: not measured. */
const MIN_CONTACTS = 100

interface Guess {
  fixedSeconds: number
  secondsPerContact: number
}

/**
 * Until an account has a measurement. The practice account's is what `npm run bench:estimates`
 * measured of it on a 1,000,000-row file (3 min 13 s); Constant Contact's own is a cautious guess
 * (no published figure), replaced by the first measured upload.
 */
const STARTING_GUESS: Record<string, Guess> = {
  practice: { fixedSeconds: 15, secondsPerContact: 178 / 1_000_000 },
  default: { fixedSeconds: 20, secondsPerContact: 1 / 2_000 },
}

/** The expected duration from a model, in whole seconds. */
function secondsOf(model: Guess, contacts: number): number {
  return Math.max(1, Math.ceil(model.fixedSeconds + contacts * model.secondsPerContact))
}

/** The starting guess alone, where nothing is measured (the command run without a data folder, tests). */
export function guessedSpeed(account = 'default'): AccountSpeed {
  const guess = STARTING_GUESS[account] ?? STARTING_GUESS.default!
  return { estimateSeconds: (contacts) => secondsOf(guess, contacts), record: () => {} }
}

export function createUploadRates(file: string): UploadRates {
  const read = (): Record<string, UploadMeasurement[]> => {
    try {
      return parseJsonAs(UploadSpeedsFileSchema, readFileSync(file, 'utf8'))?.accounts ?? {}
    } catch {
      return {} // none yet, or unreadable: start from the guesses
    }
  }
  return {
    forAccount(account) {
      return {
        estimateSeconds(contacts) {
          return secondsOf(fit(read()[account] ?? [], STARTING_GUESS[account] ?? STARTING_GUESS.default!), contacts)
        },
        record({ contacts, seconds }) {
          if (contacts < MIN_CONTACTS || !(seconds > 0)) return
          const accounts = read()
          const kept = [...(accounts[account] ?? []), { contacts, seconds, at: new Date().toISOString() }]
          accounts[account] = kept.slice(-KEPT)
          try {
            mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
            writeJsonAtomically(file, { version: 1, accounts })
          } catch {
            // A measurement that can't be kept only makes the next estimate less good.
          }
        },
      }
    },
  }
}

/** Sizes at which the starting guess counts as a (light) measurement, so one small upload can't stand for every size. */
const GUESS_SIZES = [10_000, 100_000]

/**
 * The fixed part and the time per contact that fit best (weighted least squares): the measured
 * uploads, and the starting guess as two light points. One upload then sets the level near its
 * own size, and the guess still says how the time grows with size until uploads of other sizes
 * are measured; a few measurements outweigh the guess.
 */
export function fit(measurements: readonly Pick<UploadMeasurement, 'contacts' | 'seconds'>[], guess: Guess): Guess {
  const measured = measurements.filter((m) => m.contacts >= MIN_CONTACTS && m.seconds > 0)
  // The guess weighs less with every measurement.
  const guessWeight = 1 / (1 + measured.length) ** 2
  const points = [
    ...GUESS_SIZES.map((x) => ({ x, y: guess.fixedSeconds + x * guess.secondsPerContact, w: guessWeight })),
    ...measured.map((m) => ({ x: m.contacts, y: m.seconds, w: 1 })),
  ]
  const weight = points.reduce((s, p) => s + p.w, 0)
  const meanX = points.reduce((s, p) => s + p.w * p.x, 0) / weight
  const meanY = points.reduce((s, p) => s + p.w * p.y, 0) / weight
  const spread = points.reduce((s, p) => s + p.w * (p.x - meanX) ** 2, 0)
  const slope = points.reduce((s, p) => s + p.w * (p.x - meanX) * (p.y - meanY), 0) / spread
  const secondsPerContact = Math.max(guess.secondsPerContact / 20, slope)
  return { fixedSeconds: Math.max(0, meanY - secondsPerContact * meanX), secondsPerContact }
}

/** The key an account's measurements are kept under. */
export function accountSpeedKey(account: { endpoint: 'real' | 'practice' | 'custom'; apiBase?: string }): string {
  return account.endpoint === 'custom' ? `custom ${account.apiBase ?? ''}` : account.endpoint
}
