/**
 * Crash points for the crash-safety tests, and nothing else: `SPLITSEND_TEST_KILL_AT=<point>:<n>`
 * makes the process kill itself (SIGKILL: no clean-up, no flush, like a power cut or a force quit)
 * the nth time it passes `<point>`. Points: `journal` (an entry is on disk), `after_post` (an
 * import was accepted, before the journal knows its ID), `after_poll` (an activity's status
 * arrived, before it is recorded). Unset, this does nothing.
 */
export type CrashPoint = 'journal' | 'after_post' | 'after_poll'

const setting = parse(process.env.SPLITSEND_TEST_KILL_AT)
const seen = new Map<CrashPoint, number>()

export function crashPoint(point: CrashPoint): void {
  if (!setting || setting.point !== point) return
  const count = (seen.get(point) ?? 0) + 1
  seen.set(point, count)
  if (count === setting.n) process.kill(process.pid, 'SIGKILL')
}

function parse(value: string | undefined): { point: CrashPoint; n: number } | undefined {
  const match = /^(journal|after_post|after_poll):(\d+)$/.exec(value ?? '')
  return match ? { point: match[1] as CrashPoint, n: Number(match[2]) } : undefined
}

/**
 * Tests only: `SPLITSEND_TEST_IMPORT_MAX_CONTACTS=n` plans activities of at most n contacts, so a
 * crash test gets several activities from a small file. Unset: Constant Contact's real limits.
 */
export function testImportMaxContacts(): number | undefined {
  const value = Number(process.env.SPLITSEND_TEST_IMPORT_MAX_CONTACTS ?? '')
  return Number.isInteger(value) && value > 0 ? value : undefined
}
