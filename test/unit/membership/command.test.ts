import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../../electron/cli/splitsend'
import type { AccountService } from '../../../electron/services/account/index'
import type { RunningSimulator } from '../../../electron/services/cc-simulator/index'
import type { CcClient } from '../../../electron/services/constant-contact/client'
import { JOURNAL_FILE } from '../../../electron/services/upload/index'
import { signedInCommandAccount } from '../command-account'
import { privateKeychain } from '../keychain'
import { readReportCsv } from '../upload/helpers'
import { members, removalActivities, sortedUnique, twoMonths } from './helpers'

/**
 * `splitsend upload --membership move|match|add [--dry-run]` against the local Constant Contact,
 * with the sign-in in the (test) keychain, as a person runs it every month.
 */
privateKeychain()
const inKeychainSession = process.env.SPLITSEND_IN_KEYCHAIN_SESSION === '1'

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) })
  return { code, stdout, stderr }
}

describe.skipIf(!inKeychainSession)('the upload command with --membership', () => {
  let sim: RunningSimulator
  let client: CcClient
  let endpointArgs: string[]
  let closeAccount: () => Promise<void>

  beforeAll(async () => {
    // At the tests' pace: this is about the membership choices, not Constant Contact's 4 a second
    // (client.test.ts keeps that at real speed).
    let account: AccountService
    ;({
      sim,
      account,
      endpointArgs,
      close: closeAccount,
    } = await signedInCommandAccount('membership-command-test', {
      seed: 'empty',
    }))
    client = await account.client()
  }, 60_000)

  afterAll(async () => {
    await closeAccount?.()
  })

  it('prints the plan with --dry-run and changes nothing; then moves the customers whose flag changed', async () => {
    const { month1, month2 } = await twoMonths({ contacts: 300, flip: 0.1, leave: 0.05, tag: 'cmd-' })
    const lists = ['--list-0', 'Command zero', '--list-1', 'Command one', '--create-lists']
    const first = await run('upload', month1.dir, ...lists, ...endpointArgs)
    expect(first.code, first.stderr).toBe(0)
    const ids = Object.fromEntries(
      (await client.getLists({ limit: 100 })).lists!.map((l) => [l.name, l.list_id!]),
    ) as Record<string, string>
    const before = { '0': members(sim, ids['Command zero']!), '1': members(sim, ids['Command one']!) }

    const requests = sim.control.requests().length
    const dry = await run('upload', month2.dir, ...lists, '--membership', 'move', '--dry-run', ...endpointArgs)
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toContain('Move customers whose flag changed (--membership move)')
    expect(dry.stdout).toMatch(
      /“Command zero” \(for [^)]+\) has \d+ contacts now; the upload adds \d+\. \d+ contacts on it are in the other group of this file and move out\./,
    )
    expect(dry.stdout).toContain('Leaving it, for example:')
    expect(dry.stdout).toContain('never deletes or unsubscribes')
    expect(dry.stdout).toContain('Dry run: nothing was changed in Constant Contact.')
    // Only reads: the lists, the custom fields, the newest activity, the exports; no import, no removal.
    // (A loaded machine may see an export's POST throttled and sent again: harmless, an export changes nothing.)
    const posted = sim.control
      .requests()
      .slice(requests)
      .filter((r) => r.method === 'POST' && r.status >= 200 && r.status < 300)
      .map((r) => r.path)
    expect(new Set(posted)).toEqual(new Set(['/activities/contact_exports']))
    expect(posted.length).toBeGreaterThanOrEqual(2)
    expect(existsSync(join(month2.dir, JOURNAL_FILE))).toBe(false)

    const wrong = await run('upload', month2.dir, ...lists, '--membership', 'sideways', ...endpointArgs)
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('--membership must be add, move or match')

    const removalsBefore = removalActivities(sim).length
    const real = await run('upload', month2.dir, ...lists, '--membership', 'move', ...endpointArgs)
    expect(real.code, real.stderr).toBe(0)
    expect(real.stdout).toMatch(/Off “Command zero”: \d+ of \d+ contacts removed\./)
    expect(removalActivities(sim).length).toBeGreaterThan(removalsBefore)
    for (const [g, other] of [
      ['0', '1'],
      ['1', '0'],
    ] as const) {
      const id = ids[g === '0' ? 'Command zero' : 'Command one']!
      const leaving = new Set(month2.groups[other])
      expect(members(sim, id)).toEqual(sortedUnique([...before[g].filter((e) => !leaving.has(e)), ...month2.groups[g]]))
    }

    // The report: per list what moved out, and in report.csv each contact taken off and why.
    const html = readFileSync(join(month2.dir, 'report.html'), 'utf8')
    expect(html).toContain('Lists that match the file')
    expect(html).toContain('Moved out')
    const removed = readReportCsv(month2.dir).rows.filter((r) => r.Status === 'Removed from the list')
    const moved = before['0'].filter((e) => month2.groups['1'].includes(e)).length
    const movedToo = before['1'].filter((e) => month2.groups['0'].includes(e)).length
    expect(removed).toHaveLength(moved + movedToo)
    expect(removed[0]).toMatchObject({ Row: '', Outcome: 'Removed from the list' })
    expect(removed[0]!.Details).toMatch(/in this file \(its flag changed\)/)

    // Run again with another choice: refused, nothing sent.
    const again = await run('upload', month2.dir, ...lists, '--membership', 'match', ...endpointArgs)
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('started with --membership move')
  }, 120_000)
})
