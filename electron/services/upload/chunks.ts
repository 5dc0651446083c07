import { z } from 'zod'
import { createHash } from 'node:crypto'
import { CC_LIMITS } from '../constant-contact/limits'
import type { ContactBuilder, ImportContact } from './contact-json'
import { recordBlocks, type GroupFile } from './group-file'
import type { PlannedActivity } from './plan'

/**
 * Cutting a group into `contacts_json_import` requests. Constant Contact silently drops every
 * contact past 40,000 and every byte past 4 MB, so each request must stay within both. Sizes are
 * the byte lengths of the JSON that is sent (JSON.stringify is deterministic: the body's length is
 * its fixed parts plus each contact's serialised length plus the commas between them).
 */
export const ImportLimitsSchema = z.object({
  maxContacts: z.number().int().positive(),
  /** The body must be strictly smaller than this. */
  maxBodyBytes: z.number().int().positive(),
})
export type ImportLimits = z.infer<typeof ImportLimitsSchema>

export const IMPORT_LIMITS: ImportLimits = {
  maxContacts: CC_LIMITS.importMaxContacts,
  maxBodyBytes: CC_LIMITS.importMaxBytes,
}

/** A list ID as Constant Contact issues them (a UUID), for sizing before the list exists. */
export const LIST_ID_FOR_SIZING = '00000000-0000-0000-0000-000000000000'

interface ImportBody {
  import_data: ImportContact[]
  list_ids: string[]
}

/** The fixed part of a request body: everything but the contacts. */
function bodyAround(listId: string): { before: string; after: string } {
  const empty = JSON.stringify({ import_data: [], list_ids: [listId] } satisfies ImportBody)
  const at = empty.indexOf('[]') + 1
  return { before: empty.slice(0, at), after: empty.slice(at) }
}

/** Plans the activities of one group: as few as the limits allow, each a run of consecutive records. */
export function planGroupActivities(
  file: GroupFile,
  builder: ContactBuilder,
  listId: string,
  limits: ImportLimits = IMPORT_LIMITS,
): PlannedActivity[] {
  const around = bodyAround(listId)
  const fixedBytes = Buffer.byteLength(around.before) + Buffer.byteLength(around.after)
  const activities: PlannedActivity[] = []
  let first = 0
  let count = 0
  let bytes = fixedBytes
  let hash = createHash('sha256').update('[')

  const close = (): void => {
    if (count === 0) return
    activities.push({
      id: `${file.group}-${activities.length + 1}`,
      group: file.group,
      number: activities.length + 1,
      first,
      count,
      bodyBytes: bytes,
      contactsSha256: hash.update(']').digest('hex'),
    })
    first += count
    count = 0
    bytes = fixedBytes
    hash = createHash('sha256').update('[')
  }

  for (const block of recordBlocks(file)) {
    for (const cells of block.records) {
      const json = JSON.stringify(builder.build(cells))
      const size = Buffer.byteLength(json)
      const added = (count > 0 ? 1 : 0) + size // a comma before every contact but the first
      if (count > 0 && (count + 1 > limits.maxContacts || bytes + added >= limits.maxBodyBytes)) close()
      if (fixedBytes + size >= limits.maxBodyBytes)
        throw new Error(`Record ${first + count + 1} of group ${file.group} alone is larger than an import allows`)
      if (count > 0) hash.update(',')
      hash.update(json)
      bytes += (count > 0 ? 1 : 0) + size
      count++
    }
  }
  close()
  return activities
}

/** Records read and serialised between two pauses while a body is built (a few milliseconds' work). */
const BUILD_SLICE_RECORDS = 1_000

/**
 * Builds the request body of a planned activity as the JSON text that is sent, checks it is the
 * data that was planned, and measures it. Throws when the prepared file changed or the body would
 * not fit (never sends a request Constant Contact would cut short).
 *
 * It lets other work run between slices: building a 4 MB body takes long enough that, done in one
 * go, it would hold back requests already cleared by the rate limiter, and Constant Contact would
 * count them as a burst (and, in the app, the window would stop answering meanwhile).
 */
export async function buildImportBody(
  file: GroupFile,
  activity: PlannedActivity,
  builder: ContactBuilder,
  listId: string,
  limits: ImportLimits = IMPORT_LIMITS,
): Promise<{ text: string; bytes: number }> {
  const around = bodyAround(listId)
  const contacts: string[] = []
  const hash = createHash('sha256').update('[')
  for (let first = activity.first; first < activity.first + activity.count; first += BUILD_SLICE_RECORDS) {
    if (first > activity.first) await new Promise((resolve) => setImmediate(resolve))
    const n = Math.min(BUILD_SLICE_RECORDS, activity.first + activity.count - first)
    for (const cells of file.read(first, n)) {
      const json = JSON.stringify(builder.build(cells))
      hash.update(contacts.length > 0 ? `,${json}` : json)
      contacts.push(json)
    }
  }
  if (hash.update(']').digest('hex') !== activity.contactsSha256) throw new PreparedFilesChanged()
  const text = around.before + contacts.join(',') + around.after
  const bytes = Buffer.byteLength(text)
  if (contacts.length > limits.maxContacts || bytes >= limits.maxBodyBytes)
    throw new Error(
      `Activity ${activity.id} would be ${bytes} bytes / ${contacts.length} contacts, over Constant Contact's limits`,
    )
  return { text, bytes }
}

export class PreparedFilesChanged extends Error {
  constructor() {
    super('The prepared files changed after the upload was planned')
    this.name = 'PreparedFilesChanged'
  }
}

/**
 * The two halves of an activity Constant Contact refused with 400: the first ⌊n/2⌋ records and the
 * rest, each measured and hashed as planned activities are, named `<id>.1` and `<id>.2`.
 */
export function splitActivity(
  file: GroupFile,
  activity: PlannedActivity,
  builder: ContactBuilder,
  listId: string,
): [PlannedActivity, PlannedActivity] {
  const half = Math.floor(activity.count / 2)
  const part = (n: 1 | 2, first: number, count: number): PlannedActivity => {
    const around = bodyAround(listId)
    const contacts = file.read(first, count).map((cells) => JSON.stringify(builder.build(cells)))
    const hash = createHash('sha256').update(`[${contacts.join(',')}]`)
    return {
      id: `${activity.id}.${n}`,
      group: activity.group,
      number: activity.number,
      first,
      count,
      bodyBytes: Buffer.byteLength(around.before + contacts.join(',') + around.after),
      contactsSha256: hash.digest('hex'),
    }
  }
  return [part(1, activity.first, half), part(2, activity.first + half, activity.count - half)]
}
