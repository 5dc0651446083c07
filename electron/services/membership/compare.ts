import { createHash } from 'node:crypto'
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeSync,
} from 'node:fs'
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
import type { GroupKey } from '../../../shared/ids'
import { writeJsonAtomically } from '../files/atomic-file'
import { INDEX_ENTRY_BYTES } from '../prepare/job-files'
import { groupFileNames, groupRecordCount, openGroupFile } from '../upload/group-file'
import { GROUP_KEYS } from '../../../shared/ids'
import { comparableAddress, ExportMemberStream, forEachExportMember, type ExportMember } from './export-members'
import { LEAVING_HEADER, MEMBERSHIP_FILES, membershipDir } from './files'
import { ensurePrivateFolderSync, PRIVATE_FILE_MODE } from '../files/private'

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
const ENTRIES_PER_BUCKET = 50_000
const WRITE_BUFFER_CHARS = 256 * 1024
/** Each source's pending lines, all its buckets together: the more buckets, the smaller each one's buffer. */
const SOURCE_BUFFER_BYTES = 2 << 20
const MIN_BUCKET_BUFFER_BYTES = 8 * 1024
const MAX_BUCKET_BUFFER_BYTES = 64 * 1024

interface CompareList {
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
  /** Names this comparison's files apart from the plan's (see MEMBERSHIP_FILES). */
  tag?: string
}

const LeavingFileSchema = z.object({ file: z.string(), sha256: z.string(), count: z.number().int().nonnegative() })
type LeavingFile = z.infer<typeof LeavingFileSchema>

/** `membership/comparison.json`: the comparison, what it was made from, and the files it wrote. */
const ComparisonRecordSchema = z.object({
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

/** The lists to compare, before their exports are read (`memberCount`, when known, sizes the buckets). */
export interface ComparisonStart {
  jobDir: string
  lists: Partial<Record<GroupKey, { listId: string; listName: string; exportedAt: string; memberCount?: number }>>
  /** Tests only: a smaller bucket size, so small data goes through several buckets. */
  entriesPerBucket?: number
  /** Names this comparison's files apart from the plan's (see MEMBERSHIP_FILES). */
  tag?: string
  /** The send check: a folder without prepared files still gets the lists compared with each other. */
  listsOnly?: boolean
}

export interface ExportFile {
  path: string
  sha256: string
  exportedAt: string
}

/**
 * A comparison made in steps, so the file's side is done while Constant Contact prepares the
 * exports: the groups are partitioned when it starts, each export as it downloads (or from its
 * saved file), and the buckets are joined at the end. The groups and each export have bucket files
 * of their own, so an export whose download starts over is partitioned again from nothing.
 */
export class Comparison {
  private readonly bucketDir: string
  private readonly bucketCount: number
  private readonly groupBuckets: BucketFiles
  private readonly exportBuckets: Partial<Record<GroupKey, BucketFiles>> = {}
  private readonly streams: Partial<Record<GroupKey, ExportStream>> = {}
  private readonly groupCounts: Record<GroupKey, number>
  private readonly exports: Partial<Record<GroupKey, ExportFile>> = {}

  constructor(private readonly start: ComparisonStart) {
    membershipDir(start.jobDir)
    this.bucketDir = join(start.jobDir, MEMBERSHIP_FILES.buckets)
    rmSync(this.bucketDir, { recursive: true, force: true })
    ensurePrivateFolderSync(this.bucketDir)
    // Without the prepared files (a folder that isn't a prepared job) only the lists are compared
    // with each other — allowed for the send check alone, never for removals.
    const withoutFile = start.listsOnly === true && !existsSync(join(start.jobDir, groupFileNames('0').index))
    this.groupCounts = withoutFile ? { '0': 0, '1': 0 } : groupRecordCounts(start.jobDir)
    const fileSize = this.groupCounts['0'] + this.groupCounts['1']
    // A list whose size isn't known is taken to be as large as the whole file.
    const members = Object.values(start.lists).reduce((n, l) => n + (l?.memberCount ?? (l?.listId ? fileSize : 0)), 0)
    const perBucket = start.entriesPerBucket ?? ENTRIES_PER_BUCKET
    this.bucketCount = Math.max(1, Math.ceil((fileSize + members) / perBucket))
    this.groupBuckets = new BucketFiles(this.bucketDir, 'groups', this.bucketCount)
    if (!withoutFile) partitionGroups(start.jobDir, this.groupBuckets)
  }

  /** A list's export from nothing: its bucket files emptied (a download started over, or none streamed). */
  private freshExportBuckets(group: GroupKey): BucketFiles {
    this.exportBuckets[group]?.closeQuietly()
    const buckets = new BucketFiles(this.bucketDir, `list-${group}`, this.bucketCount)
    this.exportBuckets[group] = buckets
    return buckets
  }

  private listName(group: GroupKey): string {
    const list = this.start.lists[group]
    if (!list) throw new Error(`List ${group} is not part of this comparison`)
    return list.listName
  }

  /**
   * A list's export starts (or starts over) downloading: its pieces come through `pushExport`,
   * then `endExport`. A piece that can't be read is kept as the stream's error (see addExport).
   */
  beginExport(group: GroupKey): void {
    const buckets = this.freshExportBuckets(group)
    this.streams[group] = {
      members: new ExportMemberStream(this.listName(group), (m) => addMember(buckets, group, m)),
      ended: false,
    }
  }

  pushExport(group: GroupKey, bytes: Uint8Array): void {
    const stream = this.streams[group]
    if (!stream || stream.ended || stream.error !== undefined) return
    try {
      stream.members.push(bytes)
    } catch (error) {
      stream.error = error
    }
  }

  endExport(group: GroupKey): void {
    const stream = this.streams[group]
    if (!stream || stream.ended) return
    if (stream.error === undefined)
      try {
        stream.members.end()
      } catch (error) {
        stream.error = error
      }
    stream.ended = true
  }

  /**
   * Adds a list's saved export (several may be added at once): the file it streamed, when its
   * download went through `beginExport`…`endExport` whole; otherwise read from the file.
   */
  async addExport(group: GroupKey, file: ExportFile): Promise<void> {
    const stream = this.streams[group]
    delete this.streams[group]
    if (stream?.ended) {
      if (stream.error !== undefined) throw stream.error
    } else await partitionExport(file.path, this.listName(group), group, this.freshExportBuckets(group))
    this.exports[group] = file
  }

  /** Joins the buckets, writes the leaving files and comparison.json. */
  async finish(): Promise<ComparisonRecord> {
    try {
      const sources = [this.groupBuckets, ...GROUP_KEYS.flatMap((g) => this.exportBuckets[g] ?? [])]
      for (const buckets of sources) buckets.close()
      const input: CompareInput = {
        jobDir: this.start.jobDir,
        lists: {},
        ...(this.start.tag ? { tag: this.start.tag } : {}),
      }
      for (const group of GROUP_KEYS) {
        const list = this.start.lists[group]
        if (!list) continue
        const file = this.exports[group]
        input.lists[group] = {
          listId: list.listId,
          listName: list.listName,
          exportedAt: file?.exportedAt ?? list.exportedAt,
          ...(file ? { export: { path: file.path, sha256: file.sha256 } } : {}),
        }
      }
      const tally = new Tally(input)
      const reading = new ReadBuffer()
      for (let k = 0; k < this.bucketCount; k++) tally.joinBucket(sources.map((source) => source.lines(k, reading)))
      const leaving = tally.closeFiles()
      const record: ComparisonRecord = {
        version: 1,
        comparison: tally.comparison(),
        lists: {},
        groups: this.groupCounts,
      }
      for (const group of GROUP_KEYS) {
        const list = input.lists[group]
        if (!list) continue
        record.lists[group] = {
          listId: list.listId,
          exportSha256: list.export?.sha256 ?? null,
          leaving: leaving[group]!,
        }
      }
      writeJsonAtomically(join(this.start.jobDir, MEMBERSHIP_FILES.comparison(this.start.tag)), record, {
        syncFolder: true,
      })
      return record
    } finally {
      this.dispose()
    }
  }

  /** Removes the bucket files (also when the comparison is abandoned). */
  dispose(): void {
    this.groupBuckets.closeQuietly()
    for (const group of GROUP_KEYS) this.exportBuckets[group]?.closeQuietly()
    rmSync(this.bucketDir, { recursive: true, force: true })
  }
}

/** The whole comparison at once, from exports already saved. */
export async function compareMembership(input: CompareInput): Promise<ComparisonRecord> {
  const lists: ComparisonStart['lists'] = {}
  for (const group of GROUP_KEYS) {
    const list = input.lists[group]
    if (list) lists[group] = { listId: list.listId, listName: list.listName, exportedAt: list.exportedAt }
  }
  const comparison = new Comparison({
    jobDir: input.jobDir,
    lists,
    ...(input.entriesPerBucket ? { entriesPerBucket: input.entriesPerBucket } : {}),
    ...(input.tag ? { tag: input.tag } : {}),
  })
  try {
    for (const group of GROUP_KEYS) {
      const list = input.lists[group]
      if (list?.export) await comparison.addExport(group, { ...list.export, exportedAt: list.exportedAt })
    }
  } catch (error) {
    comparison.dispose()
    throw error
  }
  return comparison.finish()
}

/** Records in each prepared group file (the upload's thread asks: nothing is read, see groupRecordCount). */
export function groupRecordCounts(jobDir: string): Record<GroupKey, number> {
  return { '0': groupRecordCount(jobDir, '0'), '1': groupRecordCount(jobDir, '1') }
}

// ---- partitioning ------------------------------------------------------------------------------

/**
 * One line of a bucket file, tab-separated (tabs and line breaks in a name or an export's address
 * become spaces: they only ever show in samples and the report):
 * a group's address `G <group> <address> <record>`; a list member `E <list> <key> <contactId> <email> <name>`.
 */
class BucketFiles {
  private readonly fds: number[] = []
  /**
   * Each bucket's pending lines as UTF-8 in a buffer outside the JavaScript heap: a line string is
   * garbage as soon as it is copied in, so the collector never has megabytes of pending text to
   * copy and promote (measured: with string arrays, garbage collection was half the comparison).
   */
  private readonly buffers: Buffer[] = []
  private readonly used: number[] = []
  private readonly bufferBytes: number

  constructor(
    private readonly dir: string,
    private readonly source: string,
    readonly count: number,
  ) {
    const share = Math.floor(SOURCE_BUFFER_BYTES / count)
    this.bufferBytes = Math.min(MAX_BUCKET_BUFFER_BYTES, Math.max(MIN_BUCKET_BUFFER_BYTES, share))
    for (let k = 0; k < count; k++) {
      this.fds.push(openSync(this.path(k), 'w', PRIVATE_FILE_MODE))
      this.buffers.push(Buffer.allocUnsafe(this.bufferBytes))
      this.used.push(0)
    }
  }

  private path(k: number): string {
    return join(this.dir, `${this.source}-${k}.tsv`)
  }

  add(key: string, line: string): void {
    const k = this.count === 1 ? 0 : hashOf(key) % this.count
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (this.used[k]! + line.length * 3 > this.bufferBytes) this.flush(k)
    if (line.length * 3 > this.bufferBytes) writeSync(this.fds[k]!, line)
    else this.used[k]! += this.buffers[k]!.write(line, this.used[k]!)
  }

  private flush(k: number): void {
    if (this.used[k] === 0) return
    writeSync(this.fds[k]!, this.buffers[k]!, 0, this.used[k]!)
    this.used[k] = 0
  }

  private closed = false

  close(): void {
    if (this.closed) return
    this.closed = true
    for (let k = 0; k < this.count; k++) {
      this.flush(k)
      closeSync(this.fds[k]!)
    }
  }

  /** Closes and removes the files without writing what is left (abandoned, or partitioned again). */
  closeQuietly(): void {
    if (this.closed) return
    this.closed = true
    for (let k = 0; k < this.count; k++) {
      closeSync(this.fds[k]!)
      rmSync(this.path(k), { force: true })
    }
  }

  /**
   * A bucket's lines, each ended by a line break, read into `into` (the file is removed once read):
   * valid until `into` is used again.
   */
  lines(k: number, into: ReadBuffer): { read: () => Buffer } {
    return {
      read: () => {
        const path = this.path(k)
        const fd = openSync(path, 'r')
        try {
          const size = fstatSync(fd).size
          const buffer = into.atLeast(size)
          let got = 0
          for (let n = 1; got < size && n > 0; got += n) n = readSync(fd, buffer, got, size - got, got)
          return buffer.subarray(0, got)
        } finally {
          closeSync(fd)
          rmSync(path)
        }
      },
    }
  }
}

/**
 * One buffer that every bucket file is read into in turn (grown to the largest): reading each
 * into a new string or buffer of its own left megabytes per bucket for the collector, and the
 * memory grew with the number of buckets, so with the list (see ARCHITECTURE.md).
 */
class ReadBuffer {
  private buffer = Buffer.allocUnsafe(0)

  atLeast(bytes: number): Buffer {
    if (this.buffer.length < bytes) this.buffer = Buffer.allocUnsafe(Math.max(bytes, this.buffer.length * 2))
    return this.buffer
  }
}

/** FNV-1a over the address's UTF-16 code units (the same family as the Prepare address table's hash). */
function hashOf(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619)
  return h >>> 0
}

const UNSAFE = /[\t\r\n]/g
const field = (text: string): string => (UNSAFE.test(text) ? text.replace(UNSAFE, ' ') : text)

function partitionGroups(jobDir: string, buckets: BucketFiles): void {
  for (const group of GROUP_KEYS) {
    forEachGroupAddress(jobDir, group, (address, record) => {
      buckets.add(address, `G\t${group}\t${field(address)}\t${record}\n`)
    })
  }
}

/** The longest an address cell can be (Prepare accepts 80 characters; UTF-8 takes up to 4 bytes each). */
const MAX_ADDRESS_BYTES = 400
const INDEX_READ_ENTRIES = 65_536
const CSV_READ_BYTES = 1 << 20

/**
 * Each record's address of a group file, read straight from the file at the offsets its index
 * gives: the address is the first cell, which Prepare writes plain (a valid address has no comma,
 * quote or line break), so the rest of the record — names, custom fields — is never parsed.
 */
function forEachGroupAddress(jobDir: string, group: GroupKey, each: (address: string, record: number) => void): void {
  const names = groupFileNames(group)
  const indexFd = openSync(join(jobDir, names.index), 'r')
  const csvFd = openSync(join(jobDir, names.csv), 'r')
  try {
    const size = fstatSync(csvFd).size
    const entries = Buffer.allocUnsafe(INDEX_READ_ENTRIES * INDEX_ENTRY_BYTES)
    let text = Buffer.allocUnsafe(CSV_READ_BYTES)
    let textStart = 0
    let textEnd = 0
    let record = 0
    for (;;) {
      const got = readSync(indexFd, entries, 0, entries.length, record * INDEX_ENTRY_BYTES)
      const n = Math.floor(got / INDEX_ENTRY_BYTES)
      if (n === 0) return
      for (let i = 0; i < n; i++, record++) {
        const offset = entries.readDoubleLE(i * INDEX_ENTRY_BYTES)
        const need = Math.min(offset + MAX_ADDRESS_BYTES, size)
        if (offset < textStart || need > textEnd) {
          if (text.length < need - offset) text = Buffer.allocUnsafe(need - offset)
          textStart = offset
          textEnd = offset + readSync(csvFd, text, 0, text.length, offset)
        }
        let end = offset - textStart
        const stop = textEnd - textStart
        while (end < stop) {
          const c = text[end]!
          if (c === 44 /* , */ || c === 13 || c === 10) break
          end++
        }
        each(comparableAddress(text.toString('utf8', offset - textStart, end)), record)
      }
    }
  } finally {
    closeSync(indexFd)
    closeSync(csvFd)
  }
}

async function partitionExport(path: string, listName: string, group: GroupKey, buckets: BucketFiles): Promise<void> {
  await forEachExportMember(path, listName, (m) => addMember(buckets, group, m))
}

function addMember(buckets: BucketFiles, group: GroupKey, m: ExportMember): void {
  // A member without an address (an SMS-only contact) can't be in the file; keyed by its ID so
  // two of them stay two.
  const key = m.address || `id:${m.contactId}`
  buckets.add(key, `E\t${group}\t${field(key)}\t${field(m.contactId)}\t${field(m.email)}\t${field(m.name)}\n`)
}

/** An export being partitioned as it downloads. */
interface ExportStream {
  members: ExportMemberStream
  ended: boolean
  error?: unknown
}

// ---- joining ---------------------------------------------------------------------------------

interface Member {
  contactId: string
  email: string
  name: string
}

interface Joined {
  group?: GroupKey
  /** The record of the group file (its name is read for the sample of contacts the upload adds). */
  record?: number
  address: string
  /**
   * The bucket lines of its membership of list 0 and list 1 (`E <list> <key> <contactId> <email> <name>`),
   * kept as read: their fields are split only for the few who leave a list or are a sample.
   */
  on0?: string
  on1?: string
}

/** A membership's bucket line as a member. */
function memberOf(line: string): Member {
  const fields = line.split('\t')
  return { contactId: fields[3]!, email: fields[4] ?? '', name: fields[5] ?? '' }
}

const onList = (j: Joined, list: GroupKey): string | undefined => (list === '0' ? j.on0 : j.on1)

class Tally {
  private readonly movements = new Map<GroupKey, ListMovement>()
  private readonly writers = new Map<string, LeavingWriter>()
  private readonly onBoth = { now: 0, add: 0, move: 0, match: 0, sample: [] as MemberSample[] }
  /** The group-file records of the samples of contacts the upload adds (their names are read at the end). */
  private readonly addedRecords = new Map<GroupKey, number[]>([
    ['0', []],
    ['1', []],
  ])

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
        this.writers.set(`${group}/${reason}`, new LeavingWriter(input.jobDir, group, reason, input.tag))
    }
  }

  /**
   * Joins one bucket's lines (`G|E`, tab, the group or list, tab, the key, tab, the rest), each
   * source's read in turn into the same buffer. Walked by position rather than split into lines:
   * only the key, a group's record and a membership's line become strings.
   */
  joinBucket(sources: Array<{ read: () => Buffer }>): void {
    const joined = new Map<string, Joined>()
    for (const source of sources) {
      const bytes = source.read()
      for (let start = 0, end = bytes.indexOf(10); end !== -1; start = end + 1, end = bytes.indexOf(10, start)) {
        const keyEnd = bytes.indexOf(9, start + 4)
        const key = bytes.toString('utf8', start + 4, keyEnd)
        let j = joined.get(key)
        if (!j) {
          j = { address: key }
          joined.set(key, j)
        }
        const group: GroupKey = bytes[start + 2] === 48 /* 0 */ ? '0' : '1'
        if (bytes[start] === 71 /* G */) {
          j.group = group
          j.record = Number(bytes.toString('latin1', keyEnd + 1, end))
        } else if (group === '0') j.on0 ??= bytes.toString('utf8', start, end)
        else j.on1 ??= bytes.toString('utf8', start, end)
      }
    }
    for (const j of joined.values()) this.classify(j)
  }

  private classify(j: Joined): void {
    for (const [list, movement] of this.movements) {
      const line = onList(j, list)
      if (!line) {
        if (j.group === list) {
          movement.added++
          if (movement.samples.added.length < SAMPLE_SIZE) {
            movement.samples.added.push({ email: j.address })
            this.addedRecords.get(list)!.push(j.record ?? -1)
          }
        }
        continue
      }
      movement.members++
      if (j.group === list) {
        movement.staying++
        continue
      }
      const reason: LeaveReason = j.group === undefined ? 'not_in_file' : 'moved'
      const member = memberOf(line)
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
    const on0 = j.on0 !== undefined
    const on1 = j.on1 !== undefined
    const group: GroupKey | undefined = j.group
    if (on0 && on1) this.onBoth.now++
    if ((on0 || group === '0') && (on1 || group === '1')) this.onBoth.add++
    // "move" takes the other group's contacts off each list; the file's own group is added to it.
    const stays0 = (on0 && group !== '1') || group === '0'
    const stays1 = (on1 && group !== '0') || group === '1'
    if (stays0 && stays1) {
      this.onBoth.move++
      if (this.onBoth.sample.length < SAMPLE_SIZE) addSample(this.onBoth.sample, memberOf((j.on0 ?? j.on1)!))
    }
  }

  private nameAddedSamples(): void {
    for (const [group, movement] of this.movements)
      nameSamples(this.input.jobDir, group, movement.samples.added, this.addedRecords.get(group)!)
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
    this.nameAddedSamples()
    return {
      comparedAt: new Date().toISOString(),
      lists: [...this.movements.values()],
      onBoth: this.onBoth,
    }
  }
}

/** Puts the file's names on the samples of contacts the upload adds (a few records read again). */
function nameSamples(jobDir: string, group: GroupKey, samples: MemberSample[], records: number[]): void {
  if (samples.length === 0) return
  const file = openGroupFile(jobDir, group)
  try {
    const first = file.header.indexOf('first_name')
    const last = file.header.indexOf('last_name')
    records.forEach((record, i) => {
      if (record < 0 || record >= file.count) return
      const cells = file.read(record, 1)[0] ?? []
      const name = [first, last]
        .filter((c) => c >= 0)
        .map((c) => cells[c] ?? '')
        .filter(Boolean)
        .join(' ')
      if (name) samples[i] = { ...samples[i]!, name }
    })
  } finally {
    file.close()
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

  constructor(jobDir: string, group: GroupKey, reason: LeaveReason, tag: string | undefined) {
    this.file = MEMBERSHIP_FILES.leaving(group, reason, tag)
    this.fd = openSync(join(jobDir, this.file), 'w', PRIVATE_FILE_MODE)
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
      JSON.parse(readFileSync(join(jobDir, MEMBERSHIP_FILES.comparison()), 'utf8')),
    )
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
