import { comparableAddress, forEachExportMember } from '../membership/export-members'
import type { GroupFile } from './group-file'
import { encodeRecordSet } from './record-set'

/**
 * Which of an import's contacts Constant Contact didn't put on the list, found in the body worker
 * (./body-worker.ts) from the group file and, when the import's error lines don't name them all,
 * the list's export: both grow with the job and the list, so the run's thread (the Electron main
 * process) gets only each import's `not_on_list` bitmap (./record-set.ts).
 */

/** An import's planned records: `count` records of a group from `first`. */
export interface RecordRun {
  first: number
  count: number
}

/** Records read from a group file at a time. */
const BLOCK_RECORDS = 5_000

/**
 * The records of `run` whose addresses its error lines name, as a bitmap — when they are at least
 * the `missing` contacts Constant Contact's counts say weren't added; otherwise null (the list's
 * export has to say which).
 */
export function namedInErrors(
  file: GroupFile,
  run: RecordRun,
  errors: readonly string[],
  missing: number,
): string | null {
  const named = new Set<string>()
  for (const line of errors) for (const match of line.matchAll(ADDRESS_IN_TEXT)) named.add(comparableAddress(match[0]))
  const offsets: number[] = []
  if (named.size > 0)
    forEachAddress(file, run, (address, offset) => {
      if (named.has(address)) offsets.push(offset)
    })
  return offsets.length >= missing ? encodeRecordSet(offsets, run.count) : null
}

/** An email address inside an error line of an import (here, and for report.csv's details). */
export const ADDRESS_IN_TEXT = /[^\s"'<>(),;:]+@[^\s"'<>(),;:]+[^\s"'<>(),;:.]/g

/**
 * For each run, the bitmap of its records that aren't active members of the list, read from the
 * list's export at `exportPath` (streamed). Only the runs' addresses are held, never the list's —
 * at most `maxRecords` of them at once: past that the runs are taken a part at a time, the export
 * read again for each part (a list may have millions of members, and a job's every import may
 * have reported contacts it didn't add).
 *
 * "Active": unsubscribed people never get the list's emails, so they count as not added. The
 * export is asked for with `status: active`; a row whose email permission column says the contact
 * unsubscribed is left out too, so the answer is the same if Constant Contact ignored the status.
 */
export async function notActiveMembers(
  file: GroupFile,
  runs: readonly RecordRun[],
  exportPath: string,
  listName: string,
  maxRecords = MAX_RECORDS_AT_ONCE,
): Promise<string[]> {
  const bitmaps: string[] = []
  for (let at = 0; at < runs.length;) {
    let records = runs[at]!.count
    let end = at + 1
    while (end < runs.length && records + runs[end]!.count <= maxRecords) records += runs[end++]!.count
    bitmaps.push(...(await notActiveAmong(file, runs.slice(at, end), exportPath, listName)))
    at = end
  }
  return bitmaps
}

/** Records whose addresses are held at once: about 20 MB of the body worker's 256. */
const MAX_RECORDS_AT_ONCE = 200_000

/** {@link notActiveMembers} for runs whose addresses are held together. */
async function notActiveAmong(
  file: GroupFile,
  runs: readonly RecordRun[],
  exportPath: string,
  listName: string,
): Promise<string[]> {
  const starts: number[] = []
  let total = 0
  for (const run of runs) {
    starts.push(total)
    total += run.count
  }
  // Each address's position among all the runs' records: Prepare wrote each address once in a group.
  const position = new Map<string, number>()
  runs.forEach((run, r) => forEachAddress(file, run, (address, offset) => position.set(address, starts[r]! + offset)))
  const member = new Uint8Array(total)
  await forEachExportMember(exportPath, listName, (m) => {
    if (m.unsubscribed) return
    const at = position.get(m.address)
    if (at !== undefined) member[at] = 1
  })
  return runs.map((run, r) => {
    const notOnList: number[] = []
    for (let i = 0; i < run.count; i++) if (!member[starts[r]! + i]) notOnList.push(i)
    return encodeRecordSet(notOnList, run.count)
  })
}

/** Each record's address (compared as the export's are) and its offset in the run, a block at a time. */
function forEachAddress(file: GroupFile, run: RecordRun, each: (address: string, offset: number) => void): void {
  for (let at = 0; at < run.count; at += BLOCK_RECORDS) {
    const records = file.read(run.first + at, Math.min(BLOCK_RECORDS, run.count - at))
    records.forEach((cells, i) => each(comparableAddress(cells[0] ?? ''), at + i))
  }
}
