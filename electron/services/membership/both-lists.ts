import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { MemberSampleSchema, type MemberSample } from '../../../shared/membership/schemas'
import type { GroupKey } from '../../../shared/ids'
import type { CcClient } from '../constant-contact/client'
import { writeJsonAtomically } from '../files/atomic-file'
import { SEND_JOURNAL_FILE } from '../send/journal'
import { JOURNAL_FILE } from '../upload/journal'
import { GROUP_KEYS } from '../../../shared/ids'
import { compareLists, type CompareListsOptions } from './compare-lists'
import { MEMBERSHIP_FILES, MEMBERSHIP_JOURNAL, membershipDir } from './files'
import type { ExportOptions } from './export-list'
import type { MembershipChoice } from './run'

/**
 * The Send step's check that nobody is on both lists (who would get both messages): from the
 * lists' latest export when nothing has changed them since, otherwise from a fresh one. The answer
 * is kept in `membership/both-lists.json`, with the person's "send anyway" for it.
 */
const BothListsSchema = z.object({
  checkedAt: z.string(),
  lists: z.object({ '0': z.string(), '1': z.string() }),
  /** Each list's size when checked: a list whose size changed since is checked again. */
  members: z.object({ '0': z.number(), '1': z.number() }),
  onBoth: z.number(),
  /** Those of them in a group of the file: "move them now" takes each off the other group's list. */
  movable: z.object({ '0': z.number(), '1': z.number() }),
  sample: z.array(MemberSampleSchema),
  /** The person chose to send anyway, for this finding. */
  sendAnyway: z.boolean().optional(),
  /** What "move them now" took off each list (kept by later findings of the same lists, so the check can say it). */
  moved: z.array(z.object({ listName: z.string(), removed: z.number() })).optional(),
})
export type BothListsFinding = z.infer<typeof BothListsSchema>

/** A finding stands this long at most, even when nothing seems to have changed. */
const FINDING_TRUST_MS = 60 * 60_000

export interface BothListsLists {
  '0': { listId: string; listName: string }
  '1': { listId: string; listName: string }
}

export type BothListsOptions = Pick<ExportOptions, 'poll' | 'signal'> & Pick<CompareListsOptions, 'comparison'>

const checking = new Map<string, Promise<BothListsFinding>>()

/**
 * Who is on both lists now. Both groups' preflights ask at once: one check per job at a time.
 */
export function checkBothLists(
  jobDir: string,
  client: CcClient,
  lists: BothListsLists,
  options: BothListsOptions = {},
): Promise<BothListsFinding> {
  const dir = resolve(jobDir)
  let pending = checking.get(dir)
  if (!pending) {
    pending = check(dir, client, lists, options).finally(() => checking.delete(dir))
    checking.set(dir, pending)
  }
  return pending
}

async function check(
  jobDir: string,
  client: CcClient,
  lists: BothListsLists,
  options: BothListsOptions,
): Promise<BothListsFinding> {
  const members = { '0': 0, '1': 0 }
  for (const group of GROUP_KEYS)
    members[group] =
      (await client.getList(lists[group].listId, { include_membership_count: 'all' }, callOf(options)))
        .membership_count ?? -1
  const saved = readFinding(jobDir)
  if (saved && stillStands(jobDir, saved, lists, members)) return saved
  const record = await compareLists(
    jobDir,
    client,
    { '0': lists['0'], '1': lists['1'] },
    { ...options, trustMs: 0, tag: 'check', listsOnly: true },
  )
  const movement = (g: GroupKey) => record.comparison.lists.find((l) => l.group === g)
  const finding: BothListsFinding = {
    checkedAt: new Date().toISOString(),
    lists: { '0': lists['0'].listId, '1': lists['1'].listId },
    members: { '0': movement('0')?.members ?? 0, '1': movement('1')?.members ?? 0 },
    onBoth: record.comparison.onBoth.now,
    movable: { '0': movement('0')?.movedOut ?? 0, '1': movement('1')?.movedOut ?? 0 },
    sample: bothSample(record.comparison.lists, record.comparison.onBoth.sample),
    ...(saved?.moved && GROUP_KEYS.every((g) => saved.lists[g] === lists[g].listId) ? { moved: saved.moved } : {}),
  }
  membershipDir(jobDir)
  writeJsonAtomically(join(jobDir, MEMBERSHIP_FILES.bothLists), finding)
  return finding
}

/**
 * The saved finding stands when it is of these lists, their sizes are the same, nothing this job
 * records (upload, removals, sends) happened after it, and it is under an hour old.
 */
function stillStands(
  jobDir: string,
  saved: BothListsFinding,
  lists: BothListsLists,
  members: Record<GroupKey, number>,
): boolean {
  const at = Date.parse(saved.checkedAt)
  if (!(Date.now() - at < FINDING_TRUST_MS)) return false
  if (GROUP_KEYS.some((g) => saved.lists[g] !== lists[g].listId || saved.members[g] !== members[g])) return false
  for (const journal of [JOURNAL_FILE, MEMBERSHIP_JOURNAL, SEND_JOURNAL_FILE]) {
    const path = join(jobDir, journal)
    if (existsSync(path) && statSync(path).mtimeMs > at) return false
  }
  return true
}

function readFinding(jobDir: string): BothListsFinding | undefined {
  try {
    const parsed = BothListsSchema.safeParse(JSON.parse(readFileSync(join(jobDir, MEMBERSHIP_FILES.bothLists), 'utf8')))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/** Records the person's "send anyway" for the finding they saw (a later finding asks again). */
export function sendAnywayOnBothLists(jobDir: string, checkedAt: string): void {
  const saved = readFinding(resolve(jobDir))
  if (!saved || saved.checkedAt !== checkedAt) return
  writeJsonAtomically(join(resolve(jobDir), MEMBERSHIP_FILES.bothLists), { ...saved, sendAnyway: true })
}

/** Records what "move them now" took off each list, for the checks that follow. */
export function recordMovedNow(jobDir: string, lists: ReadonlyArray<{ listName: string; removed: number }>): void {
  const saved = readFinding(resolve(jobDir))
  const moved = lists.filter((l) => l.removed > 0).map(({ listName, removed }) => ({ listName, removed }))
  if (!saved || moved.length === 0) return
  writeJsonAtomically(join(resolve(jobDir), MEMBERSHIP_FILES.bothLists), { ...saved, moved })
}

/** "Move them now": the removals of "move", confirmed for the number the finding showed. */
export function moveNowChoice(lists: BothListsLists, finding: BothListsFinding): MembershipChoice {
  return {
    policy: 'move',
    lists: { '0': lists['0'], '1': lists['1'] },
    confirmed: {
      '0': { movedOut: finding.movable['0'], notInFile: 0 },
      '1': { movedOut: finding.movable['1'], notInFile: 0 },
    },
  }
}

/**
 * A few of the contacts on both lists: those in the file (after the upload, a member of a list who
 * is in the other group is on both), then those in neither group.
 */
function bothSample(
  lists: ReadonlyArray<{ samples: { movedOut: MemberSample[] } }>,
  inNeither: readonly MemberSample[],
): MemberSample[] {
  const seen = new Set<string>()
  const sample: MemberSample[] = []
  for (const s of [...lists.flatMap((l) => l.samples.movedOut), ...inNeither])
    if (!seen.has(s.email) && sample.length < 5) {
      seen.add(s.email)
      sample.push(s)
    }
  return sample
}

function callOf(options: BothListsOptions): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {}
}
