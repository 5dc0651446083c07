import { createHash } from 'node:crypto'
import { CC_LIMITS } from '../constant-contact/limits'
import type { ContactBuilder, ImportContact } from './contact-json'
import { recordBlocks, type GroupFile } from './group-file'
import type { PlannedActivity } from './types'

/**
 * Cutting a group into `contacts_json_import` requests. Constant Contact silently drops every
 * contact past 40,000 and every byte past 4 MB, so each request must stay within both. Sizes are
 * the byte lengths of the JSON that is sent (JSON.stringify is deterministic: the body's length is
 * its fixed parts plus each contact's serialised length plus the commas between them).
 */
export interface ImportLimits {
  maxContacts: number
  /** The body must be strictly smaller than this. */
  maxBodyBytes: number
}

export const IMPORT_LIMITS: ImportLimits = { maxContacts: CC_LIMITS.importMaxContacts, maxBodyBytes: CC_LIMITS.importMaxBytes }

/** A list ID as Constant Contact issues them (a UUID), for sizing before the list exists. */
export const LIST_ID_FOR_SIZING = '00000000-0000-0000-0000-000000000000'

export interface ImportBody {
  import_data: ImportContact[]
  list_ids: string[]
}

/** Plans the activities of one group: as few as the limits allow, each a run of consecutive records. */
export function planGroupActivities(file: GroupFile, builder: ContactBuilder, listId: string, limits: ImportLimits = IMPORT_LIMITS): PlannedActivity[] {
  const fixedBytes = Buffer.byteLength(JSON.stringify({ import_data: [], list_ids: [listId] }))
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
      if (fixedBytes + size >= limits.maxBodyBytes) throw new Error(`Record ${first + count + 1} of group ${file.group} alone is larger than an import allows`)
      if (count > 0) hash.update(',')
      hash.update(json)
      bytes += (count > 0 ? 1 : 0) + size
      count++
    }
  }
  close()
  return activities
}

/**
 * Builds the request body of a planned activity, checks it is the data that was planned, and
 * measures it. Throws when the prepared file changed or the body would not fit (never sends a
 * request Constant Contact would cut short).
 */
export function buildImportBody(file: GroupFile, activity: PlannedActivity, builder: ContactBuilder, listId: string, limits: ImportLimits = IMPORT_LIMITS): { body: ImportBody; bytes: number } {
  const contacts = file.read(activity.first, activity.count).map((cells) => builder.build(cells))
  const body: ImportBody = { import_data: contacts, list_ids: [listId] }
  const text = JSON.stringify(body)
  const bytes = Buffer.byteLength(text)
  const contactsText = text.slice(text.indexOf('['), text.lastIndexOf(',"list_ids"'))
  if (createHash('sha256').update(contactsText).digest('hex') !== activity.contactsSha256) throw new PreparedFilesChanged()
  if (contacts.length > limits.maxContacts || bytes >= limits.maxBodyBytes) throw new Error(`Activity ${activity.id} would be ${bytes} bytes / ${contacts.length} contacts, over Constant Contact's limits`)
  return { body, bytes }
}

export class PreparedFilesChanged extends Error {
  constructor() {
    super('The prepared files changed after the upload was planned')
    this.name = 'PreparedFilesChanged'
  }
}
