import { spawn } from 'node:child_process'
import { cpSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../../electron/services/cc-simulator/index'
import { createAccountService } from '../../../electron/services/account/index'
import { createCredentialStore } from '../../../electron/services/credentials'
import type { CcClient } from '../../../electron/services/constant-contact/client'
import { compareLists, MEMBERSHIP_JOURNAL, type MembershipChoice } from '../../../electron/services/membership/index'
import type { MembershipResult } from '../../../shared/membership/schemas'
import { batchesOf, type PlanEntry } from '../../../electron/services/membership/journal-state'
import { seededRandom } from '../../bench/seeded-random'
import { bundleForNode } from '../bundle'
import { playBrowser } from '../constant-contact/helpers'
import { privateKeychain } from '../keychain'
import { TEST_REQUESTS_PER_SECOND, testLimiter } from '../pace'
import { tempDir } from '../upload/helpers'
import {
  TEST_POLL,
  members,
  removalActivities,
  sortedUnique,
  TEST_SPEED,
  twoMonths,
  uploadMonth,
  type Month,
} from './helpers'

/**
 * Crash safety of the removals: the membership step, in a child process, is killed (SIGKILL: no
 * clean-up at all) at five random points — after a journal entry is on disk, right after a removal
 * was accepted but before its ID was recorded, right after a status arrived — and run again on the
 * same folder. Each time the lists must end exactly as an uninterrupted run leaves them ("match":
 * each list equals its group), and Constant Contact must have received exactly one removal per
 * planned removal: nobody is removed twice, nobody is missed.
 *
 * Needs the OS keychain (a private one for this file): run under `bash test/with-keychain.sh npx vitest run test/unit/membership`.
 */
privateKeychain()
let childEntry: string
const BATCH = 10
let sim: RunningSimulator
let client: CcClient
let months: { month1: Month; month2: Month }
let closeAccount: () => Promise<void>

beforeAll(async () => {
  childEntry = await bundleForNode(join(import.meta.dirname, 'membership-child.ts'))
  sim = await startSimulator({ autoApprove: true, speed: TEST_SPEED, seed: 'empty' })
  sim.control.setLimits({ requestsPerSecond: TEST_REQUESTS_PER_SECOND })
  // Signed in once, into the (test) keychain the child processes read.
  const account = createAccountService({
    credentials: createCredentialStore(),
    openBrowser: async (url) => void (await playBrowser(url)),
    limiter: testLimiter(),
  })
  const endpoint = { apiBase: sim.apiBase, authBase: sim.authBase }
  await account.saveApiKey('membership-crash', endpoint)
  await account.connect({ mode: 'browser', endpoint })
  client = await account.client()
  closeAccount = () => account.close()
  months = await twoMonths({ contacts: 600, flip: 0.07, leave: 0.03, tag: 'crash-', seed: 3 })
}, 60_000)

afterAll(async () => {
  await closeAccount?.()
  await sim?.close()
})

function child(
  input: object,
  killAt?: string,
): Promise<{ signal: NodeJS.Signals | null; result?: MembershipResult; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [childEntry, JSON.stringify(input)], {
      env: { ...process.env, SPLITSEND_TEST_KILL_AT: killAt ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    proc.on('error', reject)
    proc.on('close', (_code, signal) => {
      const line = stdout.trim().split('\n').at(-1)
      resolve({ signal, stderr, ...(line ? { result: JSON.parse(line) as MembershipResult } : {}) })
    })
  })
}

/**
 * Five kill points: after a journal entry (three times), after a removal was accepted, after a
 * status arrived; which one of each kind is drawn from a seeded generator (the same on every run).
 */
function killPoints(): string[] {
  const rnd = seededRandom(13)
  const pick = (max: number): number => 1 + Math.floor(rnd() * max)
  return [
    `journal:${pick(8)}`,
    `after_post:${pick(6)}`,
    `journal:${8 + pick(8)}`,
    `after_poll:${pick(6)}`,
    `journal:${16 + pick(8)}`,
  ]
}

let run = 0
describe('the removals killed at a random point and run again', () => {
  it.each(killPoints())(
    'end with each list equal to its group, one removal per planned removal (killed at %s)',
    async (point) => {
      run++
      const names: [string, string] = [`Crash ${run} zero`, `Crash ${run} one`]
      const month1 = tempDir('crash-m1')
      const month2 = tempDir('crash-m2')
      cpSync(months.month1.dir, month1, { recursive: true })
      cpSync(months.month2.dir, month2, { recursive: true })
      const ids = await uploadMonth(client, { ...months.month1, dir: month1 }, names)
      const record = await compareLists(
        month2,
        client,
        { '0': { listId: ids['0'], listName: names[0] }, '1': { listId: ids['1'], listName: names[1] } },
        { poll: TEST_POLL, comparison: 'here' },
      )
      await uploadMonth(client, { ...months.month2, dir: month2 }, names)
      const confirmed: MembershipChoice['confirmed'] = {}
      for (const l of record.comparison.lists) confirmed[l.group] = { movedOut: l.movedOut, notInFile: l.notInFile }
      const choice: MembershipChoice = {
        policy: 'match',
        lists: { '0': { listId: ids['0'], listName: names[0] }, '1': { listId: ids['1'], listName: names[1] } },
        confirmed,
      }
      const removalsBefore = removalActivities(sim).length

      const killed = await child({ jobDir: month2, choice, batchSize: BATCH }, point)
      expect(killed.signal, `${killed.stderr}\n${JSON.stringify(killed.result)}`).toBe('SIGKILL')
      const resumed = await child({ jobDir: month2, choice, batchSize: BATCH })
      expect(resumed.result?.outcome, `${resumed.stderr}\n${JSON.stringify(resumed.result)}`).toBe('done')

      expect(members(sim, ids['0'])).toEqual(sortedUnique(months.month2.groups['0']))
      expect(members(sim, ids['1'])).toEqual(sortedUnique(months.month2.groups['1']))
      const plan = readFileSync(join(month2, MEMBERSHIP_JOURNAL), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string } & PlanEntry)
        .filter((e) => e.type === 'plan')
      expect(plan).toHaveLength(1)
      expect(removalActivities(sim).length - removalsBefore).toBe(batchesOf(plan[0]!).length)
    },
    60_000,
  )
})
