import { join } from 'node:path'
import type { LeaveReason, MembershipPolicy } from '../../../shared/membership/schemas'
import { UserFacingError } from '../../../shared/errors'
import { CC_LIMITS } from '../constant-contact/limits'
import { GROUP_KEYS } from '../../../shared/ids'
import type { ComparisonRecord } from './compare'
import { csvRecordChunks } from './csv-records'
import { LEAVING_HEADER } from './files'
import { batchesOf, type LeavingRemovals, type RemovalBatch } from './journal-state'

/** The reasons a choice takes contacts off a list. */
function reasonsFor(policy: MembershipPolicy): LeaveReason[] {
  return policy === 'add' ? [] : policy === 'move' ? ['moved'] : ['moved', 'not_in_file']
}

/**
 * Cuts each list's leaving files into remove_list_memberships requests: one list each (so a
 * removal never touches a list it shouldn't), at most 500 contact IDs each (Constant Contact's
 * limit), consecutive records of one file (so each removal has one reason, for the report).
 * The plan records them per file; {@link batchesOf} lists them one by one.
 */
export function planRemovals(
  record: ComparisonRecord,
  policy: MembershipPolicy,
  batchSize: number = CC_LIMITS.contactIdsPerMembershipActivity,
): LeavingRemovals[] {
  const removals: LeavingRemovals[] = []
  for (const group of GROUP_KEYS) {
    const list = record.lists[group]
    if (!list) continue
    for (const reason of reasonsFor(policy)) {
      const { file, sha256, count } = list.leaving[reason]
      if (count > 0) removals.push({ group, listId: list.listId, reason, file, sha256, count, batchSize })
    }
  }
  return removals
}

/** The removals of a plan of generation `generation`, one by one. */
export function planBatches(
  record: ComparisonRecord,
  policy: MembershipPolicy,
  generation: number,
  batchSize?: number,
): RemovalBatch[] {
  return batchesOf({ generation, removals: planRemovals(record, policy, batchSize) })
}

/** A leaving file's row: what a removal sends and what the report shows. */
export interface LeavingContact {
  contactId: string
  email: string
  name: string
}

/**
 * Reads the contacts of removals from their leaving files, front to back: removals are sent in
 * order, so each file is read once (memory: one read piece), and a removal further back opens it again.
 */
export class LeavingFiles {
  private readonly open = new Map<string, { records: AsyncGenerator<string[][]>; buffer: string[][]; at: number }>()
  /** One read at a time: a removal's send and another's check may ask at once. */
  private turn: Promise<unknown> = Promise.resolve()

  constructor(private readonly jobDir: string) {}

  contactsOf(batch: RemovalBatch): Promise<LeavingContact[]> {
    const read = this.turn.then(() => this.read(batch))
    this.turn = read.catch(() => undefined)
    return read
  }

  /** What a removal sends: its contacts' IDs, in file order. */
  async contactIdsOf(batch: RemovalBatch): Promise<string[]> {
    return (await this.contactsOf(batch)).map((c) => c.contactId)
  }

  /** The contacts a run looks up to see whether a removal was made: its first, middle and last. */
  async sampleOf(batch: RemovalBatch): Promise<LeavingContact[]> {
    const contacts = await this.contactsOf(batch)
    if (contacts.length === 0) return []
    return [...new Set([0, contacts.length >> 1, contacts.length - 1])].map((i) => contacts[i]!)
  }

  private async read(batch: RemovalBatch): Promise<LeavingContact[]> {
    let reader = this.open.get(batch.file)
    if (!reader || reader.at > batch.first) {
      await reader?.records.return(undefined)
      reader = { records: this.records(batch.file), buffer: [], at: 0 }
      this.open.set(batch.file, reader)
    }
    const rows: string[][] = []
    while (rows.length < batch.count) {
      if (reader.buffer.length === 0) {
        const next = await reader.records.next()
        if (next.done) break
        reader.buffer = next.value
      }
      const take = reader.buffer.splice(0, Math.min(reader.buffer.length, batch.first + batch.count - reader.at))
      for (const row of take) {
        if (reader.at >= batch.first) rows.push(row)
        reader.at++
      }
    }
    if (rows.length !== batch.count || rows.some((r) => !r[0]))
      throw new UserFacingError(
        'membership_files_changed',
        `The list of contacts to take off a list (${batch.file}) changed after the removals were planned.`,
        'Run it again: Splitsend reads the lists again and removes only who is still to be removed.',
      )
    return rows.map(([contactId, email, name]) => ({ contactId: contactId!, email: email ?? '', name: name ?? '' }))
  }

  /** The data records of a file (its header checked and skipped). */
  private async *records(file: string): AsyncGenerator<string[][]> {
    let header = true
    for await (const chunk of csvRecordChunks(join(this.jobDir, file), `The file ${file}`)) {
      if (header) {
        if (chunk[0]?.join(',') !== LEAVING_HEADER.join(','))
          throw new UserFacingError('membership_files_changed', `The file ${file} isn’t one Splitsend wrote.`)
        header = false
        chunk.shift()
      }
      if (chunk.length) yield chunk
    }
  }

  async close(): Promise<void> {
    for (const reader of this.open.values()) await reader.records.return(undefined)
    this.open.clear()
  }
}
