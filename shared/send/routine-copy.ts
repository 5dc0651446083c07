/**
 * The routine's rule for a campaign Constant Contact won't send to the group's list as it is (last
 * month's, sent before and not re-addressable): a routine's run — the command's and the app's —
 * sends a dated copy of it instead, by itself (electron/services/routines/send-groups.ts).
 */
import type { PreflightResult } from './schemas'

/** A routine's run sends a dated copy instead of the campaign checked. */
export function routineSendsCopy(preflight: Pick<PreflightResult, 'copy'>): boolean {
  return preflight.copy?.possible === true
}

/**
 * Whether a routine's run can send: every check passes, or only the campaign's own state stops it
 * and a copy goes instead (the copy is checked again before it is sent).
 */
export function routineCanSend(preflight: Pick<PreflightResult, 'copy' | 'checks'>): boolean {
  const copy = routineSendsCopy(preflight)
  return preflight.checks.every((c) => c.result !== 'blocked' || (copy && c.id === 'campaign_status'))
}
