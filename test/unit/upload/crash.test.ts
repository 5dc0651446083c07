import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../../../electron/services/cc-simulator/index'
import { JOURNAL_FILE } from '../../../electron/services/upload/index'
import { createAccountService } from '../../../electron/services/account/index'
import { createCredentialStore } from '../../../electron/services/credentials'
import { playBrowser } from '../constant-contact/helpers'
import { TEST_REQUESTS_PER_SECOND, TEST_SPEED } from '../pace'
import { bundleForNode } from '../bundle'
import { privateKeychain } from '../keychain'
import { preparedJob, readReportCsv, sorted, tempDir, withValues, type PreparedJob } from './helpers'

/**
 * Crash safety: the upload command is killed (SIGKILL: no clean-up at all) at many points of a run
 * — after each kind of journal entry (before each call to Constant Contact), right after an import
 * was accepted but before its ID is recorded, and right after a status arrived — then run again on
 * the same folder. In the end each list must hold exactly the expected contacts, no list may exist
 * twice, and report.csv must give every row of the file exactly one outcome.
 *
 * The kill points run a few at a time, each on a copy of the job and lists of its own.
 *
 * Needs the OS keychain: run under `bash test/with-keychain.sh npx vitest run test/unit/upload`.
 */
privateKeychain()
let command: string // cli-entry.ts, bundled
let sim: RunningSimulator
const dataDir = tempDir('crash-data')

function cli(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [command, ...args], {
      // Read now: the private keychain's address is set before the first test.
      env: { ...process.env, SPLITSEND_DATA_DIR: dataDir, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

const endpointArgs = (): string[] => ['--api-base', sim.apiBase, '--auth-base', sim.authBase]

/** The command's arguments to upload a job folder to two new lists, "<lists> zero" and "<lists> one". */
const uploadArgs = (dir: string, lists: string): string[] => [
  'upload',
  dir,
  '--list-0',
  `${lists} zero`,
  '--list-1',
  `${lists} one`,
  '--create-lists',
  ...endpointArgs(),
  '--json',
]

beforeAll(async () => {
  command = await bundleForNode(join(import.meta.dirname, 'cli-entry.ts'))
  sim = await startSimulator({ autoApprove: true, speed: TEST_SPEED, seed: 'empty' })
  sim.control.setLimits({ requestsPerSecond: TEST_REQUESTS_PER_SECOND }) // the command runs at the tests' pace (cli-entry.ts)
  // Sign in once, into the real (test) keychain the child processes read; the local Constant Contact
  // approves by itself, and playBrowser follows its redirect.
  const account = createAccountService({
    credentials: createCredentialStore(),
    openBrowser: async (url) => void (await playBrowser(url)),
  })
  const endpoint = { apiBase: sim.apiBase, authBase: sim.authBase }
  await account.saveApiKey('crash-test', endpoint)
  await account.connect({ mode: 'browser', endpoint })
  await account.close()
  // A job for each kill point, made here (a concurrent test can't make its own folders): 2m − 1 + m
  // contacts in activities of at most m — three activities (0-1 of m, 0-2 of m − 1, 1-1 of m) —
  // plus two rows left out. Each kill point has its own m, three apart: the kill points run at the
  // same time on one account, and a restart looks for its lost send among imports of n or n + 1
  // contacts; another job's import of the same size at the same moment can't be told apart from
  // it (the upload then stops and asks, rightly), so no two kill points share a size.
  for (const [k, point] of KILL_POINTS.entries()) {
    const m = 3 + 3 * k
    jobs.set(point, { job: await preparedJob({ group0: 2 * m - 1, group1: m, problems: 2, tag: `crash${k}-` }), m })
  }
  // And for the splits (one at a time): a first name Constant Contact refuses in group 0's first activity.
  for (const point of SPLIT_POINTS) {
    const job = await preparedJob({ group0: 5, group1: 3, problems: 2, tag: `split${point.replace(':', '')}-` })
    withValues(job.dir, '0', { 1: { first_name: 'L'.repeat(51) } })
    splitJobs.set(point, job)
  }
})

afterAll(async () => {
  await sim?.close()
})

// 18 journal entries in a full run: plan, run_started, 2 × (list_intent, list_ready), plan (sizes
// with the real list IDs), anchor, 3 × (submit_intent, submitted, finished), completed.
const KILL_POINTS = [
  ...Array.from({ length: 18 }, (_, i) => `journal:${i + 1}`),
  'after_post:1',
  'after_post:2',
  'after_post:3',
  'after_poll:1',
  'after_poll:2',
  'after_poll:3',
]

const jobs = new Map<string, { job: PreparedJob; m: number }>()

// A refused import of 3 contacts: plan, run_started, 2 × (list_intent, list_ready), plan, anchor,
// then submit_intent (9) and split (10) of 0-1, and the halves' entries from 11 on.
const SPLIT_POINTS = ['journal:10', 'journal:12']
const splitJobs = new Map<string, PreparedJob>()

describe.concurrent('an upload killed at any point and run again', () => {
  it.for(KILL_POINTS)(
    'ends with exact lists and one outcome per row (killed at %s)',
    { timeout: 60_000 },
    async (point, { expect }) => {
      const { job: template, m } = jobs.get(point)!
      const dir = template.dir
      const tag = point.replace(':', '-')
      const args = uploadArgs(dir, `Crash ${tag}`)

      const size = { SPLITSEND_TEST_IMPORT_MAX_CONTACTS: String(m) }
      const killed = await cli(args, { ...size, SPLITSEND_TEST_KILL_AT: point })
      expect(killed.signal, `${killed.stdout}\n${killed.stderr}`).toBe('SIGKILL')

      const resumed = await cli(args, size)
      expect(resumed.code, `${resumed.stdout}\n${resumed.stderr}`).toBe(0)
      const result = JSON.parse(resumed.stdout.trim().split('\n').at(-1)!) as { type: string; outcome: string }
      expect(result).toMatchObject({ type: 'result', outcome: 'all_added' })

      const lists = sim.control.snapshot().lists
      for (const [group, name] of [
        ['0', `Crash ${tag} zero`],
        ['1', `Crash ${tag} one`],
      ] as const) {
        const matching = lists.filter((l) => l.name === name)
        expect(matching).toHaveLength(1) // never a second list
        expect(sorted(sim.control.listMembers(matching[0]!.list_id))).toEqual(sorted(template.emails[group]))
      }

      const report = readReportCsv(dir)
      expect(report.rows).toHaveLength(template.summary.rows)
      expect(new Set(report.rows.map((r) => r.Row)).size).toBe(template.summary.rows)
      expect(report.rows.filter((r) => r.Status === 'Added to the list')).toHaveLength(3 * m - 1)
      expect(report.rows.filter((r) => r.Status === 'Left out')).toHaveLength(2)

      // Each planned activity finished once for good, and was never sent again after that.
      const journal = readFileSync(join(dir, JOURNAL_FILE), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
      const finished = journal.filter((e) => e.type === 'finished' && e.state !== 'lost')
      expect(finished.map((e) => e.activity).sort()).toEqual(['0-1', '0-2', '1-1'])
      for (const f of finished) {
        const later = journal.slice(journal.indexOf(f) + 1)
        expect(later.filter((e) => e.type === 'submit_intent' && e.activity === f.activity)).toEqual([])
      }
      const lost = journal.filter((e) => e.type === 'finished' && e.state === 'lost')
      for (const entry of lost)
        expect(journal).toContainEqual(
          expect.objectContaining({ type: 'reconciled', activity: entry.activity, verify: true }),
        )
      // Constant Contact got one import per planned activity: a send whose answer was cut off was
      // looked up, not sent blindly again. Only an import called lost above was sent once more.
      const listIds = new Set(lists.filter((l) => l.name.startsWith(`Crash ${tag} `)).map((l) => l.list_id))
      const imports = sim.control
        .snapshot()
        .activities.filter((a) => a.kind === 'json_import' && a.list_ids.some((id) => listIds.has(id)))
      expect(imports.length).toBeGreaterThanOrEqual(3)
      expect(imports.length).toBeLessThanOrEqual(3 + lost.length)
    },
  )
})

describe('an upload killed while it splits an import Constant Contact refused, and run again', () => {
  it.for(SPLIT_POINTS)(
    'sends each half once and reports the refused contact alone (killed at %s)',
    { timeout: 60_000 },
    async (point, { expect }) => {
      const template = splitJobs.get(point)!
      const dir = template.dir
      const tag = point.replace(':', '-')
      const args = uploadArgs(dir, `Split ${tag}`)
      const killed = await cli(args, { SPLITSEND_TEST_IMPORT_MAX_CONTACTS: '3', SPLITSEND_TEST_KILL_AT: point })
      expect(killed.signal, `${killed.stdout}\n${killed.stderr}`).toBe('SIGKILL')
      const resumed = await cli(args, { SPLITSEND_TEST_IMPORT_MAX_CONTACTS: '3' })
      expect(resumed.code, `${resumed.stdout}\n${resumed.stderr}`).toBe(3) // finished, one contact not added

      const refused = template.emails['0'][1]!
      const zero = sim.control.snapshot().lists.filter((l) => l.name === `Split ${tag} zero`)
      expect(zero).toHaveLength(1)
      expect(sorted(sim.control.listMembers(zero[0]!.list_id))).toEqual(
        sorted(template.emails['0'].filter((e) => e !== refused)),
      )
      const report = readReportCsv(dir)
      expect(report.rows).toHaveLength(template.summary.rows)
      expect(report.rows.filter((r) => r.Status === 'Added to the list')).toHaveLength(7)
      expect(report.rows.find((r) => r.Status === 'Not added')).toMatchObject({
        Email: refused,
        Outcome: 'Not added: Constant Contact refused this contact',
      })
      const journal = readFileSync(join(dir, JOURNAL_FILE), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>)
      const finished = journal.filter((e) => e.type === 'finished').map((e) => e.activity)
      expect(new Set(finished).size).toBe(finished.length) // nothing finished twice
    },
  )
})
