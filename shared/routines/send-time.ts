/**
 * When a routine's send goes out: "now", or the next time the clock shows the routine's time of day
 * (this computer's zone). One rule for the command's run (electron/services/routines/run.ts) and the
 * app's Send step of a routine's run (which starts with this time filled in).
 */
import type { Routine } from './schema'

/**
 * How far ahead a time of day must be to be today's: a run's upload, or the person's look at the
 * Send step, comes between choosing the time and Constant Contact getting it, and Constant
 * Contact refuses a time that has passed.
 */
const SEND_TIME_MARGIN_MS = 15 * 60_000

/** The next time the clock shows `at` (HH:MM) at least {@link SEND_TIME_MARGIN_MS} ahead: today, or tomorrow. */
export function nextTimeOfDay(at: string, now: Date): Date {
  const [hours, minutes] = at.split(':').map(Number)
  const next = new Date(now)
  next.setHours(hours!, minutes!, 0, 0)
  if (next.getTime() - now.getTime() < SEND_TIME_MARGIN_MS) next.setDate(next.getDate() + 1)
  return next
}

/**
 * When a routine's run sends, for the app's one time for the run: null for "now" (or no send), else
 * the time of day of the first group that sends at one, the next time it comes.
 */
export function routineSendTime(routine: Pick<Routine, 'sending'>, now: Date): Date | null {
  const at = (['0', '1'] as const)
    .map((g) => routine.sending[g])
    .flatMap((s) => (s.send && s.sendAt !== 'now' ? [s.sendAt] : []))[0]
  return at ? nextTimeOfDay(at, now) : null
}
