import type { ContactRecord } from './records'

/** A contact's own details besides its address, permission, phones, addresses, fields and lists. */
export const CONTACT_DETAILS = [
  'first_name',
  'last_name',
  'job_title',
  'company_name',
  'birthday_month',
  'birthday_day',
  'anniversary',
] as const satisfies ReadonlyArray<keyof ContactRecord>

/**
 * The account's contacts in the order they were added, found by ID or by address (lower case), and
 * by their place in that order: the saved state refers to a contact by its place (see
 * state-file.ts), far shorter than its ID when an export or a send names a million of them.
 * Contacts are only ever added (deleting them is not simulated), so a place never changes until a
 * reset replaces the whole table.
 */
export class ContactTable {
  private readonly placeById = new Map<string, number>()
  private readonly placeByEmail = new Map<string, number>()
  /** Contacts by address in lower case. */
  readonly byEmail: {
    get: (emailKey: string) => ContactRecord | undefined
    readonly size: number
    values: () => IterableIterator<ContactRecord>
  }

  constructor(private readonly records: ContactRecord[]) {
    for (let i = 0; i < records.length; i++) {
      const c = records[i]!
      this.placeById.set(c.contact_id, i)
      this.placeByEmail.set(c.address.toLowerCase(), i)
    }
    const { placeByEmail } = this
    this.byEmail = {
      get: (emailKey) => this.at(placeByEmail.get(emailKey)),
      get size() {
        return placeByEmail.size
      },
      values: () => records.values(),
    }
  }

  get size(): number {
    return this.records.length
  }

  get(contactId: string): ContactRecord | undefined {
    return this.at(this.placeById.get(contactId))
  }

  has(contactId: string): boolean {
    return this.placeById.has(contactId)
  }

  /** The contact's place in the order contacts were added. */
  placeOf(contactId: string): number | undefined {
    return this.placeById.get(contactId)
  }

  at(place: number | undefined): ContactRecord | undefined {
    return place === undefined ? undefined : this.records[place]
  }

  values(): IterableIterator<ContactRecord> {
    return this.records.values()
  }

  /** `emailKey`: the address in lower case. */
  add(contact: ContactRecord, emailKey: string): void {
    const place = this.records.push(contact) - 1
    this.placeById.set(contact.contact_id, place)
    this.placeByEmail.set(emailKey, place)
  }
}
