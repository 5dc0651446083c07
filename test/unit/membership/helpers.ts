import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Papa from 'papaparse'
import { prepareJob } from '../../../electron/services/prepare/pass'
import type { CcClient } from '../../../electron/services/constant-contact/client'
import type { ComparisonRecord } from '../../../electron/services/membership/compare'
import { planUpload, startUpload } from '../../../electron/services/upload/index'
import type { RunningSimulator } from '../../../electron/services/cc-simulator/index'
import type { GroupKey } from '../../../shared/ids'
import { seededRandom } from '../../bench/seeded-random'
import { tempDir } from '../upload/helpers'
import { connectedAccount, FAST_RETRY } from '../constant-contact/helpers'
import { TEST_POLL, TEST_SPEED } from '../pace'

export { TEST_POLL, TEST_SPEED } from '../pace'

/** One month's file: addresses per group (as Prepare normalises them), and the folder it was prepared into. */
export interface Month {
  dir: string
  groups: Record<GroupKey, string[]>
}

/**
 * Month 1 and month 2 of the same customers: `contacts` people with a 0/1 flag; in month 2 a share
 * `flip` have the other flag, a share `leave` are gone, and `join` new people appear. Addresses are
 * written in mixed case in month 2, so the comparison must use Prepare's normalised address.
 */
export async function twoMonths(spec: {
  contacts: number
  flip: number
  leave: number
  join?: number
  seed?: number
  tag?: string
}): Promise<{ month1: Month; month2: Month; flipped: string[]; left: string[] }> {
  const rnd = seededRandom(spec.seed ?? 7)
  const tag = spec.tag ?? 'm'
  const people = Array.from({ length: spec.contacts }, (_, i) => ({
    email: `${tag}${i}@example.com`,
    flag: (rnd() < 0.5 ? '0' : '1') as GroupKey,
    first: `First${i}`,
    last: `Last${i}`,
  }))
  const month1 = await prepareMonth(people, `${tag}-1`)
  const flipped: string[] = []
  const left: string[] = []
  const next: typeof people = []
  for (const p of people) {
    const r = rnd()
    if (r < spec.leave) {
      left.push(p.email)
      continue
    }
    if (r < spec.leave + spec.flip) {
      flipped.push(p.email)
      next.push({ ...p, email: p.email.toUpperCase(), flag: p.flag === '0' ? '1' : '0' })
    } else next.push(p)
  }
  for (let i = 0; i < Math.round(spec.contacts * (spec.join ?? 0)); i++)
    next.push({ email: `${tag}-new${i}@example.com`, flag: rnd() < 0.5 ? '0' : '1', first: `New${i}`, last: 'Person' })
  const month2 = await prepareMonth(next, `${tag}-2`)
  return { month1, month2, flipped, left }
}

async function prepareMonth(
  people: Array<{ email: string; flag: GroupKey; first: string; last: string }>,
  label: string,
): Promise<Month> {
  const source = join(tempDir(`source-${label}`), 'contacts.csv')
  writeFileSync(
    source,
    Papa.unparse(
      [['Email', 'Flag', 'First Name', 'Last Name'], ...people.map((p) => [p.email, p.flag, p.first, p.last])],
      {
        newline: '\r\n',
      },
    ),
  )
  const dir = tempDir(`job-${label}`)
  await prepareJob(
    source,
    {
      mapping: {
        emailColumn: 0,
        flagColumn: 1,
        fields: [
          { column: 2, target: { kind: 'field', field: 'first_name' } },
          { column: 3, target: { kind: 'field', field: 'last_name' } },
        ],
      },
      headerRow: 1,
      delimiter: ',',
      encoding: 'utf-8',
    },
    dir,
  )
  const groups: Record<GroupKey, string[]> = { '0': [], '1': [] }
  for (const p of people) groups[p.flag].push(p.email.toLowerCase())
  return { dir, groups }
}

/** Uploads a month into two lists (by name, created if missing); returns their IDs. */
export async function uploadMonth(
  client: CcClient,
  month: Month,
  names: [string, string],
): Promise<Record<GroupKey, string>> {
  const plan = await planUpload(month.dir, client, {
    lists: { '0': { kind: 'name', name: names[0] }, '1': { kind: 'name', name: names[1] } },
    createLists: true,
    createCustomFields: false,
  })
  if (plan.blockers.length) throw new Error(plan.blockers.join(' '))
  const result = await startUpload(month.dir, client, { plan }, { poll: TEST_POLL }).done
  if (result.outcome !== 'all_added') throw new Error(`upload ended ${result.outcome}: ${JSON.stringify(result.error)}`)
  const lists = (await client.getLists({ limit: 1000 })).lists!
  return {
    '0': lists.find((l) => l.name === names[0])!.list_id!,
    '1': lists.find((l) => l.name === names[1])!.list_id!,
  }
}

/** A list's members (lower-cased addresses), sorted, straight from the local Constant Contact. */
export function members(sim: RunningSimulator, listId: string): string[] {
  return sim.control
    .listMembers(listId)
    .map((e) => e.toLowerCase())
    .sort()
}

/** remove_list_memberships activities the local Constant Contact received, oldest first. */
export function removalActivities(sim: RunningSimulator): Array<{ id: string; items: number; lists: string[] }> {
  return sim.control
    .snapshot()
    .activities.filter((a) => a.kind === 'remove_list_memberships')
    .map((a) => ({ id: a.activity_id, items: a.counts.items_total_count ?? 0, lists: a.list_ids }))
}

export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort()
}

/**
 * One account signed in to a local Constant Contact at the tests' speed, with fast limits (the
 * 4-a-second limit has its own real-speed tests), for a whole test file.
 */
export async function fastAccount(): Promise<Awaited<ReturnType<typeof connectedAccount>> & { client: CcClient }> {
  const ctx = await connectedAccount(
    { speed: TEST_SPEED, seed: 'empty' },
    { retry: { ...FAST_RETRY, maxQueueWaitMs: 2_000 } },
  )
  return { ...ctx, client: await ctx.account.client() }
}

/** A comparison whose only leavers are `count` contacts moved off list 0, in the leaving file `file`. */
export function movedOffListZero(file: string, count: number): ComparisonRecord {
  return {
    version: 1,
    comparison: { comparedAt: '', lists: [], onBoth: { now: 0, add: 0, move: 0, match: 0, sample: [] } },
    lists: {
      '0': {
        listId: 'list-0',
        exportSha256: 'x',
        leaving: { moved: { file, sha256: '', count }, not_in_file: { file: '', sha256: '', count: 0 } },
      },
    },
    groups: { '0': 1, '1': 1 },
  }
}
