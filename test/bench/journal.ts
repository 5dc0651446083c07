/**
 * `npm run bench:journal` — what reading a job's journals costs the thread that reads them (the
 * Electron main process reads them for the Jobs view, an upload's status and the busy check), for a
 * job of 1,000,000 contacts that Constant Contact refused every one of: the worst case for the
 * entries that say which contacts were not added (a benchmark, not a test).
 *
 * Side by side in one run, the same upload written two ways:
 *   - list: which records weren't added as a list of offsets (`members_checked`, up to 7 bytes a
 *     contact: what the upload wrote before the bitmap, and what old job folders still hold);
 *   - bitmap: the `not_on_list` bitmap over each activity's records (what the upload writes now).
 * For each: the journal's size, the time to read it through its schema at once (a worker, the
 * command) and the longest stall a concurrent timer sees while it is read in pieces (the main
 * process), the time to replay it (median of 7), and the time the report (in its worker) takes to
 * look every record up. Then the same with every other contact refused, where ranges of offsets
 * would be at their largest. Last, the membership journal of the same number of contacts leaving
 * their lists (one removal per 500, each journaled), which grows with them: its plan written both
 * ways (every removal listed, as before; per leaving file, as now), its lines parsed unchecked (the
 * reader before the schemas), read through the schema and replayed at once, and in pieces: the
 * longest stall and the whole read. Each comparison is printed as a side-by-side table, its last
 * column the ratio now/before. BENCH_ROWS changes the count.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { JOURNAL_FILE, loadJournal, readJournal } from '../../electron/services/upload/journal'
import { replayJournal } from '../../electron/services/upload/journal-state'
import { MAX_ERROR_LINES_KEPT } from '../../electron/services/upload/journal'
import { planBatches, planRemovals } from '../../electron/services/membership/batches'
import { MEMBERSHIP_JOURNAL } from '../../electron/services/membership/files'
import type { ComparisonRecord } from '../../electron/services/membership/compare'
import { loadMembershipState, readMembershipState } from '../../electron/services/membership/run'
import type { PlannedActivity } from '../../electron/services/upload/plan'
import { writeUploadJournal } from '../unit/report/fixtures'
import { median, medianBy, printSideBySide } from './compare'

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000)
const work = mkdtempSync(join(tmpdir(), 'splitsend-bench-journal-'))

const summary = {
  groups: { '0': Math.ceil(ROWS / 2), '1': Math.floor(ROWS / 2) },
  groupNames: { '0': 'Flag: no', '1': 'Flag: yes' },
  source: { fileName: 'contacts.csv' },
}

const every = (a: PlannedActivity): number[] => Array.from({ length: a.count }, (_, i) => i)
const everyOther = (a: PlannedActivity): number[] => every(a).filter((i) => i % 2 === 0)
// As many error lines as the journal keeps, each naming a contact as the local Constant Contact does.
const errors = (a: PlannedActivity): string[] =>
  Array.from(
    { length: Math.min(a.count, MAX_ERROR_LINES_KEPT) },
    (_, i) => `person${a.first + i}@example.com: had unsubscribed before; not added.`,
  )

function timed(work: () => unknown, runs = 7): number {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    work()
    times.push(performance.now() - start)
  }
  return median(times)
}

interface UploadFigures {
  bytes: number
  membersBytes: number
  read: number
  longestStall: number
  replay: number
  lookUps: number
  found: number
}

async function measure(
  name: string,
  notAdded: (a: PlannedActivity) => number[],
  as: 'list' | 'bitmap',
): Promise<UploadFigures> {
  const jobDir = join(work, `${name}-${as}`)
  mkdirSync(jobDir)
  writeUploadJournal(jobDir, summary, { notAdded, errors, notOnListAs: as })
  const bytes = statSync(join(jobDir, JOURNAL_FILE)).size
  const entries = readJournal(jobDir)!
  const membersBytes = entries
    .filter((e) => e.type === 'members_checked' || e.type === 'not_on_list')
    .reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)) + 1, 0)
  const read = timed(() => readJournal(jobDir))
  const pieces = await medianStalls(() => loadJournal(jobDir))
  const replay = timed(() => replayJournal(entries))
  let found = 0
  const lookUps = timed(() => {
    // What the report does for each row: replay, then ask each activity about each of its records.
    found = 0
    for (const a of replayJournal(entries).activities.values())
      for (let i = 0; i < a.planned.count; i++) if (a.membersChecked?.notOnList.has(i)) found++
  }, 3)
  return { bytes, membersBytes, read, longestStall: pieces.longest, replay, lookUps, found }
}

const kb = (n: number): string => `${(n / 1024).toLocaleString('en-US', { maximumFractionDigits: 0 })} KB`
const ms = (n: number): string => `${n.toFixed(1)} ms`

/** The longest the thread went without a turn of its event loop while `work` ran, and how long `work` took. */
async function stalls(work: () => Promise<unknown>): Promise<{ longest: number; total: number }> {
  let longest = 0
  let last = performance.now()
  let running = true
  const tick = (): void => {
    const now = performance.now()
    longest = Math.max(longest, now - last)
    last = now
    if (running) setImmediate(tick)
  }
  setImmediate(tick)
  const start = performance.now()
  await work()
  const total = performance.now() - start
  running = false
  longest = Math.max(longest, performance.now() - last)
  return { longest, total }
}

/** The median run of `runs` by its longest stall. */
async function medianStalls(work: () => Promise<unknown>, runs = 7): Promise<{ longest: number; total: number }> {
  const results: Array<{ longest: number; total: number }> = []
  for (let i = 0; i < runs; i++) results.push(await stalls(work))
  return medianBy(results, (r) => r.longest)
}

/**
 * A finished membership step that took every one of ROWS contacts off a list ("match"), its plan
 * written two ways: every removal listed (`batches`, as plans were written before) and per leaving
 * file (`removals`, as now).
 */
function writeMembershipJournal(jobDir: string, planAs: 'batches' | 'removals'): number {
  const leaving = (group: string, reason: string) => ({
    file: `membership/list-${group}-${reason}.csv`,
    sha256: '0'.repeat(64),
    count: Math.round(ROWS / 4),
  })
  const list = (group: string) => ({
    listId: `${group.repeat(8)}-1111-4111-8111-111111111111`,
    leaving: { moved: leaving(group, 'moved'), not_in_file: leaving(group, 'not-in-file') },
  })
  const record = { lists: { '0': list('0'), '1': list('1') } } as unknown as ComparisonRecord
  const batches = planBatches(record, 'match', 1)
  const removals = planAs === 'batches' ? { batches } : { removals: planRemovals(record, 'match') }
  const at = new Date().toISOString()
  const entries: object[] = [
    { type: 'choice', at, policy: 'match', lists: {} },
    { type: 'plan', at, generation: 1, policy: 'match', lists: {}, ...removals },
    { type: 'run_started', at },
  ]
  batches.forEach((b, i) => {
    const activityId = `bbbbbbbb-0000-4000-8000-${String(i).padStart(12, '0')}`
    const counts = { items_total_count: b.count, items_completed_count: b.count }
    entries.push(
      { type: 'remove_intent', at, batch: b.id, attempt: 1 },
      { type: 'remove_submitted', at, batch: b.id, attempt: 1, activityId, createdAt: at },
      {
        type: 'remove_finished',
        at,
        batch: b.id,
        attempt: 1,
        activityId,
        createdAt: at,
        state: 'completed',
        counts,
        errors: [],
      },
    )
  })
  entries.push({ type: 'completed', at })
  writeFileSync(join(jobDir, MEMBERSHIP_JOURNAL), entries.map((e) => `${JSON.stringify(e)}\n`).join(''))
  return batches.length
}

interface MembershipFigures {
  bytes: number
  unchecked: { longest: number; total: number }
  atOnce: { longest: number; total: number }
  inPieces: { longest: number; total: number }
}

/** The membership journal with its plan written `planAs`, read on the thread that serves the person: at once (before), in pieces (now). */
async function measureMembership(planAs: 'batches' | 'removals'): Promise<MembershipFigures & { removals: number }> {
  const jobDir = join(work, `membership-${planAs}`)
  mkdirSync(jobDir)
  const removals = writeMembershipJournal(jobDir, planAs)
  const path = join(jobDir, MEMBERSHIP_JOURNAL)
  // What the reader did before the schemas: every line parsed and trusted as it is.
  const unchecked = await medianStalls(async () =>
    readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as unknown),
  )
  const atOnce = await medianStalls(async () => readMembershipState(jobDir))
  const inPieces = await medianStalls(() => loadMembershipState(jobDir))
  return { bytes: statSync(path).size, unchecked, atOnce, inPieces, removals }
}

async function main(): Promise<void> {
  console.log(
    `Upload journal of ${ROWS.toLocaleString('en-US')} contacts, every activity finished; which contacts weren't added written as a list of offsets (before) and as a bitmap (now)`,
  )
  for (const [name, notAdded] of [
    ['all refused', every],
    ['every other refused', everyOther],
  ] as const) {
    const list = await measure(name, notAdded, 'list')
    const bitmap = await measure(name, notAdded, 'bitmap')
    console.log(`\n${name}`)
    printSideBySide(['before: list', 'now: bitmap'], 'now/before', [
      { label: 'journal', values: [list.bytes, bitmap.bytes], show: kb },
      { label: '  of which not added', values: [list.membersBytes, bitmap.membersBytes], show: kb },
      { label: 'read + check (median of 7)', values: [list.read, bitmap.read], show: ms },
      { label: 'in pieces: longest stall', values: [list.longestStall, bitmap.longestStall], show: ms },
      { label: 'replay (median of 7)', values: [list.replay, bitmap.replay], show: ms },
      { label: 'report look-ups (median of 3)', values: [list.lookUps, bitmap.lookUps], show: ms },
      { label: 'not added', values: [list.found, bitmap.found], show: (n) => n.toLocaleString('en-US') },
    ])
  }

  console.log(
    `\nMembership journal, ${ROWS.toLocaleString('en-US')} contacts taken off their lists (median of 7); its plan written with every removal listed (before) and per leaving file (now)`,
  )
  const batches = await measureMembership('batches')
  const removals = await measureMembership('removals')
  const stall = (pick: (f: MembershipFigures) => { longest: number; total: number }, label: string) => [
    { label: `${label}: longest stall`, values: [pick(batches).longest, pick(removals).longest] as const, show: ms },
    { label: `${label}: total`, values: [pick(batches).total, pick(removals).total] as const, show: ms },
  ]
  printSideBySide(['before: batches', 'now: removals'], 'now/before', [
    { label: 'journal', values: [batches.bytes, removals.bytes], show: kb },
    ...stall((f) => f.unchecked, 'parsed unchecked'),
    ...stall((f) => f.atOnce, 'at once'),
    ...stall((f) => f.inPieces, 'in pieces'),
  ])
  console.log(
    `  (${removals.removals.toLocaleString('en-US')} removals; "parsed unchecked": JSON.parse alone, as lines were read before the schemas; the others check and replay too)`,
  )
}

try {
  await main()
} finally {
  rmSync(work, { recursive: true, force: true })
}
