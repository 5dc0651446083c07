/**
 * `npm run bench:practice` — the practice account after a 1,000,000-contact upload, before and after
 * its compact state (a benchmark, not a test). Prints, side by side in one run:
 *   - the saved state's size, and how long writing it takes (the "before" write is the one the
 *     earlier local Constant Contact made: the whole state as one JSON document);
 *   - how long a local Constant Contact takes to start on that state, and its memory (resident set)
 *     once started and at its highest after the Send step's checks;
 *   - the Send step's checks (`preflight`, with its both-lists check exporting both lists) and the
 *     list look-up with member counts the Connect and Upload screens make;
 * each with the ratio after/before.
 * "Before" is the local Constant Contact as it was before the compact state (commit
 * BENCH_BEFORE_REF, default below): its sources are extracted to a temporary folder and run as
 * `splitsend simulator`, like "after", each in its own process, both from the TypeScript sources.
 *
 * The state is built by the local Constant Contact's own import code, as an upload makes it: two
 * lists, imports of 40,000 contacts (email, first and last name, city) worked through 1,000 contacts
 * a second of its clock (as the practice account's speed), a both-lists check (an export of each
 * list) and a send of one practice campaign to one list. BENCH_ROWS changes the contact count,
 * BENCH_CHECKS the number of both-lists checks (at 2, the one JSON document is longer than the
 * longest string JavaScript can make: the earlier store could not write it at all).
 */
import { execSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { ActivityEngine, SPEEDS } from '../../electron/services/cc-simulator/activities'
import { startSend, advanceCampaigns } from '../../electron/services/cc-simulator/api-emails'
import { createClock } from '../../electron/services/cc-simulator/clock'
import { seedData } from '../../electron/services/cc-simulator/seed'
import type { ImportItem, SimData } from '../../electron/services/cc-simulator/records'
import { SimStore } from '../../electron/services/cc-simulator/store'
import { benchAccount, signInToSimulator } from './bench-account'
import { printSideBySide } from './compare'
import { writeFileAtomically } from '../../electron/services/files/atomic-file'
import { fixedUploadOutcomes, preflight } from '../../electron/services/send/index'
import { seededRandom } from './seeded-random'
import { startSimulatorProcess } from './simulator-process'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
/** Both-lists checks made while practising (each exports both lists, kept 10 days). */
const CHECKS = Number(process.env.BENCH_CHECKS ?? 1)
/** The last commit before the compact state. */
const BEFORE_REF = process.env.BENCH_BEFORE_REF ?? '3e3413f59c5aa69cccec1cc04626aacd92207b67'
const ROOT = join(import.meta.dirname, '..', '..')
const CAMPAIGN = 'Practice message X: spring update'
const LIST_NAMES = ['Uses the app: no', 'Uses the app: yes'] as const

const work = mkdtempSync(join(tmpdir(), 'splitsend-bench-practice-'))
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`
const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`

/** The practice account as an upload of `rows` contacts, two both-lists checks and a send leave it. */
function practisedState(rows: number): SimData {
  const clock = createClock()
  const store = new SimStore(seedData('practice', clock.now()))
  const engine = new ActivityEngine(store, clock, SPEEDS.instant)
  const lists = LIST_NAMES.map((name) => {
    const at = new Date(clock.now()).toISOString()
    const list = { list_id: randomUUID(), name, favorite: false, created_at: at, updated_at: at }
    store.addList(list)
    return list
  })
  const rnd = seededRandom(42)
  const pick = (values: string[]): string => values[Math.floor(rnd() * values.length)]!
  const FIRST = ['Anna', 'Bruno', 'Chloé', 'David', 'Emma', 'François', 'Greta', 'Hugo', 'Inès', 'Jonas']
  const LAST = ['Smith', 'Müller', 'García', 'Rossi', 'Dubois', 'Jansen', 'Nowak', 'Silva', "O'Brien", 'Lindqvist']
  const CITY = ['Paris', 'Berlin', 'Madrid', 'Rome', 'Amsterdam', 'Lisbon', 'Vienna', 'Zürich', 'New York', 'Toronto']
  const batches: ImportItem[][] = [[], []]
  const runImport = (group: number): void => {
    if (!batches[group]!.length) return
    engine.create('json_import', batches[group]!, [lists[group]!.list_id])
    batches[group] = []
    // 1,000 contacts a second of the simulator's clock, as the practice account works.
    while (engine.advance(1_000)) clock.advance(1_000)
    engine.advance()
  }
  for (let i = 0; i < rows; i++) {
    const group = rnd() < 0.5 ? 0 : 1
    batches[group]!.push({
      email: `person${i}@example${i % 97}.com`,
      first_name: pick(FIRST),
      last_name: pick(LAST),
      city: pick(CITY),
    })
    if (batches[group]!.length === 40_000) runImport(group)
  }
  runImport(0)
  runImport(1)
  for (let check = 0; check < CHECKS; check++) {
    for (const list of lists) {
      const ids = store.data.contacts.filter((c) => c.lists.includes(list.list_id)).map((c) => c.contact_id)
      const activity = engine.create('contact_export', ids, [])
      activity.export = { contact_ids: ids, fields: ['email_address', 'first_name', 'last_name'] }
      engine.advance()
    }
    clock.advance(60_000)
  }
  const campaign = store.data.campaigns.find((c) => c.name === CAMPAIGN)!
  const primary = store.campaignActivities.get(
    campaign.activity_ids.find((a) => a.role === 'primary_email')!.campaign_activity_id,
  )!
  primary.contact_list_ids = [lists[0]!.list_id]
  startSend(store, primary, clock.now(), 0)
  advanceCampaigns(store, clock.now(), 0)
  return store.data
}

/** The earlier sources, from git, with this checkout's node_modules. */
function beforeCheckout(): string {
  const dir = join(work, 'before-sources')
  mkdirSync(dir)
  execSync(`git -C ${JSON.stringify(ROOT)} archive ${BEFORE_REF} | tar -x -C ${JSON.stringify(dir)}`)
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'))
  return dir
}

function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) * 1024
  return { rss: kb('VmRSS'), peak: kb('VmHWM') }
}

interface RunFigures {
  startMs: number
  rssAfterStart: number
  peakAfterChecks: number
  listsMs: number
  preflightMs: number
  secondPreflightMs: number
  membersNow: number | undefined
}

/** Starts a local Constant Contact on `dataDir` (from `root`'s sources), then runs the Send step's checks. */
async function measure(root: string | undefined, dataDir: string): Promise<RunFigures> {
  let t = performance.now()
  const sim = await startSimulatorProcess({ ...(root ? { root } : {}), dataDir, sources: true })
  const startMs = performance.now() - t
  const rssAfterStart = memoryOf(sim.pid).rss
  const account = benchAccount()
  try {
    await signInToSimulator(account, sim)
    const client = await account.client()
    await sleep(1_200) // the sign-in's requests leave the rate window

    t = performance.now()
    const lists = (await client.getLists({ limit: 1000, include_membership_count: 'all' })).lists ?? []
    const listsMs = performance.now() - t
    const outcomes = LIST_NAMES.map((name, group) => {
      const list = lists.find((l) => l.name === name)
      if (!list) throw new Error(`No list "${name}" in ${lists.map((l) => l.name).join(', ')} (${dataDir})`)
      return {
        group: String(group) as '0' | '1',
        listId: list.list_id!,
        listName: name,
        contactsAdded: list.membership_count ?? 0,
        finished: true,
      }
    })
    const campaignId = (await client.getEmailCampaigns()).campaigns!.find((c) => c.name === CAMPAIGN)!.campaign_id!
    const jobDir = mkdtempSync(join(work, 'job-'))
    // The comparison in this thread: in its worker (512 MB at most) the both-lists check of two
    // 500,000-contact lists runs out of memory when run from the sources (tsx), before and after alike.
    const options = { uploads: fixedUploadOutcomes(outcomes), bothLists: { comparison: 'here' as const } }
    await sleep(1_200)
    t = performance.now()
    const result = await preflight(jobDir, client, '0', campaignId, options)
    const preflightMs = performance.now() - t
    await sleep(1_200)
    t = performance.now()
    await preflight(jobDir, client, '1', campaignId, options)
    const secondPreflightMs = performance.now() - t
    return {
      startMs,
      rssAfterStart,
      peakAfterChecks: memoryOf(sim.pid).peak,
      listsMs,
      preflightMs,
      secondPreflightMs,
      membersNow: result.list?.membersNow,
    }
  } finally {
    await account.close()
    await sim.stop()
  }
}

async function main(): Promise<void> {
  let t = performance.now()
  const data = practisedState(ROWS)
  console.log(
    `Practice account with ${data.contacts.length.toLocaleString('en-US')} contacts built in ${seconds(performance.now() - t)}.`,
  )
  const beforeDir = join(work, 'before-state')
  const afterDir = join(work, 'after-state')
  mkdirSync(beforeDir, { mode: 0o700 })

  // Before: the whole state as one JSON document (what the earlier store's flush wrote).
  t = performance.now()
  try {
    writeFileAtomically(join(beforeDir, 'cc-simulator-state.json'), JSON.stringify(data))
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    throw new Error(
      `Before, this state can't be written at all (${error.message}: one JSON document over 512 MB); measure with fewer BENCH_CHECKS or BENCH_ROWS.`,
      { cause: error },
    )
  }
  const beforeWriteMs = performance.now() - t
  const afterStore = new SimStore(data, afterDir)
  afterStore.changed()
  t = performance.now()
  afterStore.flush()
  const afterWriteMs = performance.now() - t
  // Saves while practising: during an upload (an import of 40,000 new contacts), and after a list
  // change of 100 contacts spread over the whole account (the lines they are in are encoded again).
  const engine = new ActivityEngine(afterStore, createClock(), SPEEDS.instant)
  const newcomers = Array.from({ length: 40_000 }, (_, i) => ({ email: `newcomer${i}@example.org` }))
  engine.create('json_import', newcomers, [data.lists[1]!.list_id])
  engine.advance()
  t = performance.now()
  afterStore.flush()
  const afterImportMs = performance.now() - t
  const spread = data.contacts.filter((_, i) => i % 10_000 === 5).map((c) => c.contact_id)
  engine.create('add_list_memberships', spread, [data.lists[0]!.list_id])
  engine.advance()
  t = performance.now()
  afterStore.flush()
  const afterChangeMs = performance.now() - t
  const beforeBytes = statSync(join(beforeDir, 'cc-simulator-state.json')).size
  const afterBytes = statSync(join(afterDir, 'cc-simulator-state.jsonl')).size

  const beforeRoot = beforeCheckout()
  console.log('Measuring before…')
  const before = await measure(beforeRoot, beforeDir)
  console.log('Measuring after…')
  const after = await measure(undefined, afterDir)
  if (before.membersNow !== after.membersNow)
    throw new Error(`The two disagree on the list's members: ${before.membersNow} vs ${after.membersNow}`)

  console.log(`\nBefore: ${BEFORE_REF.slice(0, 12)} (one JSON document); after: this checkout (compact state).`)
  const worst = Math.max(afterImportMs, afterChangeMs)
  const figures: Array<[string, keyof RunFigures, (n: number) => string]> = [
    ['Starting on it (process start to ready)', 'startMs', seconds],
    ['Memory once started (resident)', 'rssAfterStart', megabytes],
    ['Memory at its highest, after the checks', 'peakAfterChecks', megabytes],
    ['Lists with member counts (Connect, Upload)', 'listsMs', seconds],
    ['Send step’s checks, group 0 (both lists exported)', 'preflightMs', seconds],
    ['Send step’s checks, group 1 (finding kept)', 'secondPreflightMs', seconds],
  ]
  printSideBySide(['before', 'after'], 'after/before', [
    { label: 'Saved state', values: [beforeBytes, afterBytes], show: megabytes },
    { label: 'Writing it whole', values: [beforeWriteMs, afterWriteMs], show: seconds },
    { label: 'A save during an upload (40,000 new)', values: [beforeWriteMs, afterImportMs], show: seconds },
    {
      label: 'A save after 100 contacts all over changed lists',
      values: [beforeWriteMs, afterChangeMs],
      show: seconds,
    },
    { label: 'Changes a crash can lose (≤ 20 saves’ time)', values: [20 * beforeWriteMs, 20 * worst], show: seconds },
    ...figures.map(([label, key, show]) => ({ label, values: [before[key], after[key]] as const, show })),
  ])
}

try {
  await main()
} catch (error) {
  console.error(error)
  process.exitCode = 1
} finally {
  rmSync(work, { recursive: true, force: true, maxRetries: 5 })
}
