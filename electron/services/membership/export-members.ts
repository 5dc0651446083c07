import { UserFacingError } from '../../../shared/errors'
import { checkEmail, trimCell } from '../../../shared/prepare/email'
import { plainAddress } from '../prepare/plain-address'
import { CsvRecordReader, csvRecordChunks } from './csv-records'

/** One member of a list, as its export gives it. */
export interface ExportMember {
  contactId: string
  /** The address as Constant Contact has it. */
  email: string
  /** The address compared with the file's: normalised the way Prepare normalises (see {@link comparableAddress}). */
  address: string
  /** First and last name, joined ("" when neither is there). */
  name: string
  /**
   * Set when the export has an email permission column (`email_permission`, asked for by the
   * upload's check of which contacts were added) and it says the contact unsubscribed.
   */
  unsubscribed?: true
}

/**
 * Reads a list's export file. The columns are found by name, whichever way the header is written —
 * the field names asked for (`contact_id`, `email_address`, `first_name`) or the labels of the
 * product's own exports (`Contact ID`, `Email address`, `First name`): Constant Contact doesn't
 * document which it uses. Without a contact ID or an email column nothing can be compared or
 * removed, and that is said plainly.
 */
export async function forEachExportMember(
  path: string,
  listName: string,
  each: (member: ExportMember) => void,
): Promise<number> {
  const members = new ExportMemberReader(listName, each)
  for await (const records of csvRecordChunks(path, exportName(listName))) members.records(records)
  return members.count
}

const exportName = (listName: string): string => `Constant Contact’s export of the list “${listName}”`

/**
 * The same, fed a piece at a time as the file arrives (`push`, then `end`): the comparison reads an
 * export while it downloads instead of after.
 */
export class ExportMemberStream {
  private readonly reader: CsvRecordReader
  private readonly members: ExportMemberReader

  constructor(listName: string, each: (member: ExportMember) => void) {
    this.reader = new CsvRecordReader(exportName(listName))
    this.members = new ExportMemberReader(listName, each)
  }

  push(bytes: Uint8Array): void {
    this.members.records(this.reader.push(bytes))
  }

  /** The members read; throws when the file ended part-way through a record. */
  end(): number {
    this.members.records(this.reader.end())
    return this.members.count
  }
}

/** Records in, members out: the first record is the header. */
class ExportMemberReader {
  private columns: ExportColumns | undefined
  count = 0

  constructor(
    private readonly listName: string,
    private readonly each: (member: ExportMember) => void,
  ) {}

  records(records: string[][]): void {
    for (const record of records) {
      if (!this.columns) {
        this.columns = exportColumns(record, this.listName)
        continue
      }
      if (record.length === 1 && record[0] === '') continue // a blank line
      const columns = this.columns
      const contactId = trimCell(record[columns.contactId] ?? '')
      if (!contactId) continue
      const email = record[columns.email] ?? ''
      const name = [columns.first, columns.last]
        .map((i) => (i === undefined ? '' : trimCell(record[i] ?? '')))
        .filter(Boolean)
        .join(' ')
      const member: ExportMember = { contactId, email, address: comparableAddress(email), name }
      if (columns.permission !== undefined && isUnsubscribed(record[columns.permission] ?? ''))
        member.unsubscribed = true
      this.each(member)
      this.count++
    }
  }
}

interface ExportColumns {
  contactId: number
  email: number
  first?: number
  last?: number
  permission?: number
}

const KEYS = {
  contactId: ['contactid', 'id'],
  email: ['emailaddress', 'email'],
  first: ['firstname'],
  last: ['lastname'],
  permission: ['emailpermission', 'permissiontosend', 'emailstatus'],
}

/**
 * Whether an email permission cell says the contact unsubscribed. The export guide names the field
 * but not its values: the contact's `permission_to_send` word (`unsubscribed`) is taken, in any
 * case and spelling of spaces, and the product's "opted out".
 */
function isUnsubscribed(cell: string): boolean {
  const word = cell.toLowerCase().replace(/[^a-z]/g, '')
  return word === 'unsubscribed' || word === 'optedout' || word === 'optout'
}

function exportColumns(header: string[], listName: string): ExportColumns {
  const keys = header.map((h) =>
    trimCell(h)
      .toLowerCase()
      .replace(/[^a-z0-9]/g, ''),
  )
  const find = (names: string[]): number | undefined => {
    for (const name of names) {
      const at = keys.indexOf(name)
      if (at >= 0) return at
    }
    return undefined
  }
  const contactId = find(KEYS.contactId)
  const email = find(KEYS.email)
  if (contactId === undefined || email === undefined) {
    const missing = contactId === undefined ? 'contact IDs' : 'email addresses'
    throw new UserFacingError(
      'membership_export_unusable',
      `Constant Contact’s export of the list “${listName}” has no column of ${missing} (its columns: ${header.slice(0, 8).join(', ')}).`,
      'Nothing was removed from any list. Choose “Add only” for now, and tell us about this export.',
    )
  }
  const first = find(KEYS.first)
  const last = find(KEYS.last)
  const permission = find(KEYS.permission)
  return {
    contactId,
    email,
    ...(first !== undefined ? { first } : {}),
    ...(last !== undefined ? { last } : {}),
    ...(permission !== undefined ? { permission } : {}),
  }
}

/**
 * An address as the file's addresses are compared: Prepare's normalised form when it is one Prepare
 * would accept; otherwise trimmed and lower-cased (such an address can't be in the file's groups,
 * but two of them still compare equal).
 */
export function comparableAddress(raw: string): string {
  const plain = plainAddress(raw)
  if (plain !== null) return plain
  const checked = checkEmail(raw)
  return checked.kind === 'valid' ? checked.address : trimCell(raw).toLowerCase()
}
