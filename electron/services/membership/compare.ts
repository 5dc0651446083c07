import { createHash } from 'node:crypto'
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import {
  MembershipComparisonSchema,
  SAMPLE_SIZE,
  type LeaveReason,
  type ListMovement,
  type MemberSample,
  type MembershipComparison,
} from '../../../shared/membership/schemas'
import type { GroupKey } from '../../../shared/prepare/types'
import { writeFileAtomic } from '../files/atomic-write'
import { openGroupFile } from '../upload/group-file'
import { GROUP_KEYS } from '../upload/types'
import { comparableAddress, forEachExportMember } from './export-members'
import { LEAVING_HEADER, MEMBERSHIP_FILES, membershipDir } from './files'

/**
 * Compares each list's members (its export) with the file's two groups, by the address Prepare
 * normalises, and writes, per list and reason, the contacts that would leave it.
 *
 * A million-contact file against two half-million-member lists must not need a million-entry table
 * in memory, so this is a partitioned join: every address of the groups and of the exports is first
 * written to one of K bucket files by a hash of the address, then each bucket — about
 * {@link ENTRIES_PER_BUCKET} addresses — is joined on its own. Memory stays that of one bucket
 * whatever the size. Each address's fate depends only on its own entries, so the counts and the
 * contacts in each file are the same for any K; their order (and so which ones are samples) follows
 * the buckets, the same on every run.
 */
export const ENTRIES_PER_BUCKET = 100_000
/** A generous guess of an export row's size, to choose the number of buckets before reading it. */
const EXPORT_BYTES_PER_ROW_GUESS = 40
const GROUP_READ_RECORDS = 5_000
const WRITE_BUFFER_CHARS = 256 * 1024

export interface CompareList {
  listId: string
  listName: string
  /** The saved export (absolute path) and its SHA-256; absent for a list still to be created (no members). */
  export?: { path: string; sha256: string }
  exportedAt: string
}

export interface CompareInput {
  jobDir: string
  /** The lists of the upload, by the group that goes to each. */
  lists: Partial<Record<GroupKey, CompareList>>
  /** Tests only: a smaller bucket size, so small data goes through several buckets. */
  entriesPerBucket?: number
}

const LeavingFileSchema = z.object({ file: z.string(), sha256: z.string(), count: z.number().int().nonnegative() })
export type LeavingFile = z.infer<typeof LeavingFileSchema>

/** `membership/comparison.json`: the comparison, what it was made from, and the files it wrote. */
export const ComparisonRecordSchema = z.object({
  version: z.literal(1),
  comparison: MembershipComparisonSchema,
  lists: z.object({
    '0': z
      .object({
        listId: z.string(),
        exportSha256: z.string().nullable(),
        leaving: z.object({ moved: LeavingFileSchema, not_in_file: LeavingFileSchema }),
      })
      .optional(),
    '1': z
      .object({
        listId: z.string(),
        exportSha256: z.string().nullable(),
        leaving: z.object({ moved: LeavingFileSchema, not_in_file: LeavingFileSchema }),
      })
      .optional(),
  }),
  /** Records in each group file when compared: a job prepared again no longer matches. */
  groups: z.object({ '0': z.number(), '1': z.number() }),
})
export type ComparisonRecord = z.infer<typeof ComparisonRecordSchema>

export async function compareMembership(input: CompareInput): Promise<ComparisonRecord> {
  const dir = membershipDir(input.jobDir)
  const bucketDir = join(input.jobDir, MEMBERSHIP_FILES.buckets)
  rmSync(bucketDir, { recursive: true, force: true })
  mkdirSync(bucketDir, { recursive: true, mode: 0o700 })
  try {
    const groupCounts = groupRecordCounts(input.jobDir)
    const estimate =
      groupCounts['0'] +
      groupCounts['1'] +
      Object.values(input.lists).reduce(
        (n, l) => n + (l?.export ? statSync(l.export.path).size / EXPORT_BYTES_PER_ROW_GUESS : 0),
        0,
      )
    const buckets = new BucketFiles(
      bucketDir,
      Math.max(1, Math.ceil(estimate / (input.entriesPerBucket ?? ENTRIES_PER_BUCKET))),
    )
    partitionGroups(input.jobDir, buckets)
    for (const group of GROUP_KEYS) {
      const list = input.lists[group]
      if (list?.export) await partitionExport(list, group, buckets)
    }
    buckets.close()

    const tally = new Tally(input)
    for (let k = 0; k < buckets.count; k++) tally.joinBucket(buckets.read(k))
    const leaving = tally.closeFiles()
    const record: ComparisonRecord = {
      version: 1,
      comparison: tally.comparison(),
      lists: {},
      groups: groupCounts,
    }
    for (const group of GROUP_KEYS) {
      const list = input.lists[group]
      if (!list) continue
      record.lists[group] = { listId: list.listId, exportSha256: list.export?.sha256 ?? null, leaving: leaving[group]! }
    }
    await writeFileAtomic(join(dir, 'comparison.json'), `${JSON.stringify(record, null, 2)}\n`)
    return record
  } finally {
    rmSync(bucketDir, { recursive: true, force: true })
  }
}

/** Records in each prepared group file. */
export function groupRecordCounts(jobDir: string): Record<GroupKey, number> {
  const counts = { '0': 0, '1': 0 }
  for (const group of GROUP_KEYS) {
    const file = openGroupFile(jobDir, group)
    counts[group] = file.count
    file.close()
  }
  return counts
}

// ---- partitioning ------------------------------------------------------------------------------

/** A group's address: `["G", group, address, name]`. A list member: `["E", list, key, contactId, email, name]`. */
type BucketEntry = ['G', GroupKey, string, string] | ['E', GroupKey, string, string, string, string]

class BucketFiles {
  private readonly fds: number[] = []
  private readonly buffers: string[][] = []
  private readonly sizes: number[] = []

  constructor(
    private readonly dir: string,
    readonly count: number,
  ) {
    for (let k = 0; k < count; k++) {
      this.fds.push(openSync(this.path(k), 'w', 0o600))
      this.buffers.push([])
      this.sizes.push(0)
    }
  }

  private path(k: number): string {
    return join(this.dir, `bucket-${k}.jsonl`)
  }

  add(key: string, entry: BucketEntry): void {
    const k = this.count === 1 ? 0 : hashOf(key) % this.count
    const line = `${JSON.stringify(entry)}\n`
    this.buffers[k]!.push(line)
    this.sizes[k]! += line.length
    if (this.sizes[k]! >= WRITE_BUFFER_CHARS) this.flush(k)
  }

  private flush(k: number): void {
    if (this.buffers[k]!.length === 0) return
    writeSync(this.fds[k]!, this.buffers[k]!.join(''))
    this.buffers[k] = []
    this.sizes[k] = 0
  }

  close(): void {
    for (let k = 0; k < this.count; k++) {
      this.flush(k)
      closeSync(this.fds[k]!)
    }
  }

  read(k: number): BucketEntry[] {
    const lines = readFileSync(this.path(k), 'utf8').split('\n')
    const entries: BucketEntry[] = []
    for (const line of lines) if (line) entries.push(JSON.parse(line) as BucketEntry)
    rmSync(this.path(k))
    return entries
  }
}

/** FNV-1a over the address's UTF-16 code units (the same family as the Prepare address table's hash). */
function hashOf(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  return h >>> 0
}

function partitionGroups(jobDir: string, buckets: BucketFiles): void {
  for (const group of GROUP_KEYS) {
    const file = openGroupFile(jobDir, group)
    try {
      const first = file.header.indexOf('first_name')
      const last = file.header.indexOf('last_name')
      for (let at = 0; at < file.count; at += GROUP_READ_RECORDS) {
        for (const record of file.read(at, Math.min(GROUP_READ_RECORDS, file.count - at))) {
          const address = comparableAddress(record[0] ?? '')
          const name = [first, last]
            .filter((i) => i >= 0)
            .map((i) => record[i] ?? '')
            .filter(Boolean)
            .join(' ')
          buckets.add(address, ['G', group, address, name])
        }
      }
    } finally {
      file.close()
    }
  }
}

async function partitionExport(list: CompareList, group: GroupKey, buckets: BucketFiles): Promise<void> {
  await forEachExportMember(list.export!.path, list.listName, (m) => {
    // A member without an address (an SMS-only contact) can't be in the file; keyed by its ID so
    // two of them stay two.
    const key = m.address || `id:${m.contactId}`
    buckets.add(key, ['E', group, key, m.contactId, m.email, m.name])
  })
}

// ---- joining ---------------------------------------------------------------------------------

interface Member {
  contactId: string
  email: string
  name: string
}

interface Joined {
  group?: GroupKey
  /** The name in the file (for the sample of contacts the upload adds). */
  fileName?: string
  address: string
  on: Partial<Record<GroupKey, Member>>
}

class Tally {
  private readonly movements = new Map<GroupKey, ListMovement>()
  private readonly writers = new Map<string, LeavingWriter>()
  private readonly onBoth = { now: 0, add: 0, move: 0, match: 0, sample: [] as MemberSample[] }

  constructor(private readonly input: CompareInput) {
    for (const group of GROUP_KEYS) {
      const list = input.lists[group]
      if (!list) continue
      this.movements.set(group, {
        group,
        listId: list.listId,
        members: 0,
        staying: 0,
        added: 0,
        movedOut: 0,
        notInFile: 0,
        samples: { added: [], movedOut: [], notInFile: [] },
        exportedAt: list.exportedAt,
      })
      for (const reason of ['moved', 'not_in_file'] as const)
        this.writers.set(`${group}/${reason}`, new LeavingWriter(input.jobDir, group, reason))
    }
  }

  joinBucket(entries: BucketEntry[]): void {
    const joined = new Map<string, Joined>()
    for (const entry of entries) {
      const key = entry[2]
      let j = joined.get(key)
      if (!j) {
        j = { address: key, on: {} }
        joined.set(key, j)
      }
      if (entry[0] === 'G') {
        j.group = entry[1]
        j.fileName = entry[3]
      } else {
        j.on[entry[1]] ??= { contactId: entry[3], email: entry[4], name: entry[5] }
      }
    }
    for (const j of joined.values()) this.classify(j)
  }

  private classify(j: Joined): void {
    for (const [list, movement] of this.movements) {
      const member = j.on[list]
      if (!member) {
        if (j.group === list) {
          movement.added++
          addSample(movement.samples.added, { email: j.address, name: j.fileName })
        }
        continue
      }
      movement.members++
      if (j.group === list) {
        movement.staying++
        continue
      }
      const reason: LeaveReason = j.group === undefined ? 'not_in_file' : 'moved'
      if (reason === 'moved') {
        movement.movedOut++
        addSample(movement.samples.movedOut, member)
      } else {
        movement.notInFile++
        addSample(movement.samples.notInFile, member)
      }
      this.writers.get(`${list}/${reason}`)!.add(member)
    }
    this.countBoth(j)
  }

  /** Who is on both lists now and after the upload with each choice ("match" leaves nobody on both). */
  private countBoth(j: Joined): void {
    if (this.movements.size < 2) return
    const on0 = j.on['0'] !== undefined
    const on1 = j.on['1'] !== undefined
    const group: GroupKey | undefined = j.group
    if (on0 && on1) this.onBoth.now++
    if ((on0 || group === '0') && (on1 || group === '1')) this.onBoth.add++
    // "move" takes the other group's contacts off each list; the file's own group is added to it.
    const stays0 = (on0 && group !== '1') || group === '0'
    const stays1 = (on1 && group !== '0') || group === '1'
    if (stays0 && stays1) {
      this.onBoth.move++
      addSample(this.onBoth.sample, j.on['0'] ?? j.on['1']!)
    }
  }

  closeFiles(): Partial<Record<GroupKey, Record<LeaveReason, LeavingFile>>> {
    const files: Partial<Record<GroupKey, Record<LeaveReason, LeavingFile>>> = {}
    for (const group of this.movements.keys()) {
      files[group] = {
        moved: this.writers.get(`${group}/moved`)!.close(),
        not_in_file: this.writers.get(`${group}/not_in_file`)!.close(),
      }
    }
    return files
  }

  comparison(): MembershipComparison {
    return {
      comparedAt: new Date().toISOString(),
      lists: [...this.movements.values()],
      onBoth: this.onBoth,
    }
  }
}

function addSample(samples: MemberSample[], who: { email: string; name?: string | undefined }): void {
  if (samples.length >= SAMPLE_SIZE) return
  samples.push(who.name ? { email: who.email, name: who.name } : { email: who.email })
}

/** One leaving file: `contact_id,email_address,name`, written in pieces, hashed as written, flushed at the end. */
class LeavingWriter {
  private readonly fd: number
  private readonly hash = createHash('sha256')
  private buffer: string[] = []
  private size = 0
  private count = 0
  readonly file: string

  constructor(jobDir: string, group: GroupKey, reason: LeaveReason) {
    this.file = MEMBERSHIP_FILES.leaving(group, reason)
    this.fd = openSync(join(jobDir, this.file), 'w', 0o600)
    this.write(`${LEAVING_HEADER.join(',')}\r\n`)
  }

  add(member: Member): void {
    this.write(`${csvCell(member.contactId)},${csvCell(member.email)},${csvCell(member.name)}\r\n`)
    this.count++
  }

  private write(text: string): void {
    this.buffer.push(text)
    this.size += text.length
    if (this.size >= WRITE_BUFFER_CHARS) this.flush()
  }

  private flush(): void {
    if (!this.buffer.length) return
    const bytes = Buffer.from(this.buffer.join(''), 'utf8')
    this.hash.update(bytes)
    writeSync(this.fd, bytes)
    this.buffer = []
    this.size = 0
  }

  close(): LeavingFile {
    this.flush()
    fsyncSync(this.fd)
    closeSync(this.fd)
    return { file: this.file, sha256: this.hash.digest('hex'), count: this.count }
  }
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

/** The saved comparison, when there is one and it reads. */
export function readComparison(jobDir: string): ComparisonRecord | undefined {
  try {
    const parsed = ComparisonRecordSchema.safeParse(
      JSON.parse(readFileSync(join(jobDir, MEMBERSHIP_FILES.comparison), 'utf8')),
    )
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
