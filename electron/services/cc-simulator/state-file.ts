/**
 * The practice account's state on disk, compact enough for a million contacts.
 *
 * `cc-simulator-state.jsonl`, one JSON value a line:
 *   1. a header: the format, a generation (one more at every write, so a running local Constant
 *      Contact notices a write that wasn't its own) and the number of contacts;
 *   2. everything but the contacts, where a long list of contacts (a send's recipients, an export's
 *      or a membership activity's contacts) names each by its place among the contacts (a bitmap or
 *      4 bytes), not by its 36-character ID;
 *   3. the contacts, 10,000 a line, column by column: IDs as 16 bytes each, and a column with few
 *      different values (permission, dates an import stamps on thousands at once, lists…) as those
 *      values and runs of them. Values shared on disk are shared in memory after loading too.
 *   4. an end line with the number of contacts again (a file cut short is refused, never half-read).
 * The file is written whole, to a temporary name renamed into place (see atomic-file.ts); only the
 * lines whose contacts changed since the last write are encoded again ({@link StateEncoding}).
 * `cc-simulator-state.json`, the single JSON document older versions wrote, is still read, and
 * replaced by the compact file at the first write.
 *
 * Both are read back through the schemas of records.ts. A file that doesn't match (changed, or
 * damaged on disk) raises {@link DamagedStateError}: the store then sets it aside and starts as new
 * (see SimStore.load), as a reset would, rather than run on half of it.
 */
import {
  chmodSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  closeSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { join, resolve } from 'node:path'
import { z } from 'zod'
import { parseJsonAs } from '../files/json-text'
import { UserFacingError } from '../../../shared/errors'
import { writeFileAtomically } from '../files/atomic-file'
import { ensurePrivateFolderSync, PRIVATE_FILE_MODE } from '../files/private'
import { uuidBytes, uuidText } from './contact-ids'
import { CONTACT_DETAILS } from './contact-table'
import {
  ActivityRecordSchema,
  CampaignActivityRecordSchema,
  ContactRecordSchema,
  SimDataSchema,
  type ContactRecord,
  type SimData,
} from './records'

const STATE_FILE = 'cc-simulator-state.jsonl'
const LEGACY_STATE_FILE = 'cc-simulator-state.json'
/** Where a state that can't be read is set aside (the last one only), for whoever wants to look at it. */
const DAMAGED_STATE_FILE = 'cc-simulator-state.damaged'
const LOCK_FILE = 'cc-simulator.lock'
const FORMAT = 'splitsend-practice-account'
/** Small enough that a change to a few contacts encodes little again, big enough for its dictionaries to pay. */
const CONTACTS_PER_LINE = 10_000
/** Shorter lists of contacts are kept as IDs: their places would save next to nothing. */
const SHORT_ID_LIST = 64

const count = z.number().int().nonnegative()
const HeaderSchema = z.object({ format: z.literal(FORMAT), version: z.literal(2), generation: count, contacts: count })
type Header = z.infer<typeof HeaderSchema>
const EndSchema = z.object({ end: z.literal(true), contacts: count })

/** The saved state was changed or damaged since it was written: it can't be used (see the file's description). */
export class DamagedStateError extends Error {}

export interface LoadedState {
  data: SimData
  /** 0 for a state an older version wrote. */
  generation: number
  legacy: boolean
  /** What the next write can keep of the file read (nothing of an older version's). */
  encoding: StateEncoding
}

/** The contacts of a state, column by column (see the file's description). */
const COLUMNS = [
  'contact_id',
  'address',
  'permission_to_send',
  'opt_in_source',
  'opt_in_date',
  'opt_out_source',
  'opt_out_date',
  ...CONTACT_DETAILS,
  'phones',
  'addresses',
  'custom_fields',
  'lists',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof ContactRecord>
// Every field of a contact has its column: a field added to ContactRecord and not here fails to compile.
const everyField: Exclude<keyof ContactRecord, (typeof COLUMNS)[number]> extends never ? true : never = true
void everyField

/**
 * A column of a line of contacts. Its long lists (10,000 entries) are only checked to be lists here:
 * a schema for each entry would go over every one of a million contacts' entries a second time, and
 * {@link decodeColumn} checks each as it decodes it, for less (see ARCHITECTURE.md).
 */
const list = <T>() => z.custom<T[]>((value) => Array.isArray(value))
const ColumnSchema = z.union([
  z.object({ uuids: z.string() }),
  z.object({ dict: list<unknown>(), runs: list<number>() }),
  z.object({ dict: list<unknown>(), at: list<number>() }),
  z.object({ values: list<unknown>() }),
])
type Column = z.infer<typeof ColumnSchema>

/** A line of contacts; what its columns hold is checked as they are decoded (see {@link decodeContacts}). */
const ContactsLineSchema = z.object({
  n: z.number().int().positive().max(CONTACTS_PER_LINE),
  columns: z.record(z.string(), ColumnSchema),
})
type ContactsLine = z.infer<typeof ContactsLineSchema>

const IdListSchema = z.union([
  z.array(z.string()),
  z.object({ placeSet: z.string() }),
  z.object({ places: z.string() }),
])
type IdList = z.infer<typeof IdListSchema>

/** Everything but the contacts, as the file holds it: long lists of contacts by their places. */
const { export: exportShape, items: itemsShape } = ActivityRecordSchema.shape
const RestSchema = SimDataSchema.omit({ contacts: true }).extend({
  activities: z.array(
    ActivityRecordSchema.extend({
      items: z.union([itemsShape, IdListSchema]),
      export: exportShape.unwrap().extend({ contact_ids: IdListSchema }).optional(),
    }),
  ),
  campaign_activities: z.array(CampaignActivityRecordSchema.extend({ recipients: IdListSchema })),
})
type Rest = z.infer<typeof RestSchema>

/**
 * An older version's single JSON document. Its contacts are checked field by field where they are
 * ({@link contactFits}): the contact schema would make a copy of each, a million more objects at once
 * while the document is read (see ARCHITECTURE.md, Measured choices).
 */
const LegacySchema = SimDataSchema.extend({ contacts: list<unknown>() })

/**
 * What a store keeps from one write to the next so that a write encodes again only what changed: the
 * lines of contacts none of which changed since (the store says which did: {@link contactChanged}),
 * and the long lists of contacts, which only ever grow (a send's recipients) or never change.
 */
export class StateEncoding {
  private readonly lines = new Map<number, string>()
  private readonly idLists = new WeakMap<readonly string[], { length: number; encoded: IdList }>()

  /** A line as read from the file: unchanged, it is written again as it is. */
  keepLine(line: number, text: string): void {
    this.lines.set(line, text)
  }

  /** A list of contacts as read from the file, and as it was written there. */
  keepIds(list: readonly string[], encoded: IdList): void {
    this.idLists.set(list, { length: list.length, encoded })
  }

  /** The contact at this place changed, or was added. */
  contactChanged(place: number): void {
    this.lines.delete(Math.floor(place / CONTACTS_PER_LINE))
  }

  contactsLine(contacts: readonly ContactRecord[], line: number): string {
    let text = this.lines.get(line)
    if (text === undefined) {
      const start = line * CONTACTS_PER_LINE
      text = `${JSON.stringify(encodeContacts(contacts, start, start + CONTACTS_PER_LINE))}\n`
      this.lines.set(line, text)
    }
    return text
  }

  ids(list: readonly string[], placeOf: (id: string) => number | undefined): IdList {
    const known = this.idLists.get(list)
    if (known?.length === list.length) return known.encoded
    const encoded = encodeIds(list, placeOf)
    this.idLists.set(list, { length: list.length, encoded })
    return encoded
  }
}

/**
 * Writes `data` as generation `generation`; `placeOf` finds a contact's place by its ID, `encoding`
 * holds what is unchanged since the store's last write (a new one: everything is encoded).
 */
export function writeStateFile(
  dataDir: string,
  data: SimData,
  generation: number,
  placeOf: (contactId: string) => number | undefined,
  encoding = new StateEncoding(),
): void {
  ensurePrivateFolderSync(dataDir)
  const header: Header = { format: FORMAT, version: 2, generation, contacts: data.contacts.length }
  writeFileAtomically(join(dataDir, STATE_FILE), (write) => {
    write(`${JSON.stringify(header)}\n`)
    write(`${JSON.stringify(encodeRest(data, (list) => encoding.ids(list, placeOf)))}\n`)
    for (let line = 0; line * CONTACTS_PER_LINE < data.contacts.length; line++)
      write(encoding.contactsLine(data.contacts, line))
    write(`${JSON.stringify({ end: true, contacts: data.contacts.length })}\n`)
  }) // 0600
  rmSync(join(dataDir, LEGACY_STATE_FILE), { force: true })
}

/** The state kept in `dataDir`, in either format; undefined when there is none. */
/** A state is kept in `dataDir` (this version's or an older one's), whether or not it can be read. */
export function hasStateFile(dataDir: string): boolean {
  return existsSync(join(dataDir, STATE_FILE)) || existsSync(join(dataDir, LEGACY_STATE_FILE))
}

export function readStateFile(dataDir: string): LoadedState | undefined {
  const file = join(dataDir, STATE_FILE)
  const legacy = join(dataDir, LEGACY_STATE_FILE)
  const found = existsSync(file) ? file : existsSync(legacy) ? legacy : undefined
  if (!found) return undefined
  if (process.platform !== 'win32') chmodSync(found, PRIVATE_FILE_MODE) // written by an older Splitsend
  if (found === file) return { ...readCompact(readFileSync(file)), legacy: false }
  const data = parseJsonAs(LegacySchema, readFileSync(legacy, 'utf8'))
  if (!data?.contacts.every(contactFits))
    throw new DamagedStateError('The practice account’s saved state (an older version’s) is damaged.')
  return {
    data: { ...data, contacts: data.contacts as ContactRecord[] },
    generation: 0,
    legacy: true,
    encoding: new StateEncoding(),
  }
}

/**
 * The state kept in `dataDir` if it can be used. One that can't ({@link DamagedStateError}) is set
 * aside (the last one as `cc-simulator-state.damaged`), `notice` says so, and the caller goes on as if
 * there were none: the practice account starts again as new, as after a reset.
 */
export function readUsableState(
  dataDir: string,
  notice: (message: string) => void,
  instead = 'the practice account starts again as new, as after a reset: connect to it again',
): LoadedState | undefined {
  try {
    return readStateFile(dataDir)
  } catch (error) {
    if (!(error instanceof DamagedStateError)) throw error
    // The file that was read (the compact one when there is one): an older one beside it stays.
    const read = existsSync(join(dataDir, STATE_FILE)) ? STATE_FILE : LEGACY_STATE_FILE
    renameSync(join(dataDir, read), join(dataDir, DAMAGED_STATE_FILE))
    notice(`${error.message} It was set aside (as ${DAMAGED_STATE_FILE} in its folder) and ${instead}.`)
    return undefined
  }
}

/**
 * The generation of the state on disk (0: an older version's), without reading the rest; `newer`:
 * a newer version's, which this one must not write over; undefined: none, or none that can be read
 * (a state written over it loses nothing).
 */
export function stateGenerationOnDisk(dataDir: string): number | 'newer' | undefined {
  const file = join(dataDir, STATE_FILE)
  if (!existsSync(file)) return existsSync(join(dataDir, LEGACY_STATE_FILE)) ? 0 : undefined
  const fd = openSync(file, 'r')
  try {
    const start = Buffer.alloc(4096)
    const read = readSync(fd, start, 0, start.length, 0)
    const end = start.indexOf(10)
    const header = parseHeader(start.toString('utf8', 0, end < 0 ? read : end))
    return header === 'newer' ? header : header?.generation
  } finally {
    closeSync(fd)
  }
}

/** Whose the state is while a local Constant Contact runs on it: `<dataDir>/cc-simulator.lock` names the process. */
export function claimState(dataDir: string): void {
  ensurePrivateFolderSync(dataDir)
  writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: process.pid }), { mode: PRIVATE_FILE_MODE })
  claimedHere.add(resolve(dataDir))
}

export function releaseState(dataDir: string): void {
  claimedHere.delete(resolve(dataDir))
  if (lockHolder(dataDir) === process.pid) rmSync(join(dataDir, LOCK_FILE), { force: true })
}

/**
 * The data folders a local Constant Contact of this thread runs on (a lock naming this process is
 * left over otherwise). Another thread of this process can't see them: within the app, the account
 * service never resets a folder while its practice thread runs (account/endpoints.ts).
 */
const claimedHere = new Set<string>()

/** The process a local Constant Contact runs in on this state, if one does (a lock left by a crash doesn't count). */
export function stateInUseBy(dataDir: string): number | undefined {
  const pid = lockHolder(dataDir)
  if (pid === undefined) return undefined
  if (pid === process.pid) return claimedHere.has(resolve(dataDir)) ? pid : undefined
  try {
    process.kill(pid, 0)
    return pid
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined
  }
}

/** What the lock names: the process a local Constant Contact runs in. */
const StateLockSchema = z.object({ pid: z.number().int().positive() })

function lockHolder(dataDir: string): number | undefined {
  try {
    return parseJsonAs(StateLockSchema, readFileSync(join(dataDir, LOCK_FILE), 'utf8'))?.pid
  } catch {
    return undefined // none
  }
}

/** A line of the file read through its schema; `what` names it in the message when it doesn't match. */
function readLine<T extends z.ZodType>(schema: T, line: string, what: string): z.infer<T> {
  const value = parseJsonAs(schema, line)
  if (value === undefined) throw new DamagedStateError(`The practice account’s saved state is damaged (${what}).`)
  return value
}

/** The header of a state a newer version of Splitsend wrote. */
const NewerHeaderSchema = z.object({ format: z.literal(FORMAT), version: z.number().gt(2) })

/** The header line read: this version's, a newer version's, or neither (damaged). */
function parseHeader(line: string): Header | 'newer' | undefined {
  return parseJsonAs(HeaderSchema, line) ?? (parseJsonAs(NewerHeaderSchema, line) ? 'newer' : undefined)
}

function readHeader(line: string): Header {
  const header = parseHeader(line)
  if (typeof header === 'object') return header
  if (header === 'newer')
    throw new UserFacingError(
      'practice_state_newer',
      'The practice account was saved by a newer version of Splitsend.',
      'Use that version of Splitsend, or reset the practice account (`splitsend simulator --reset`) to start it again as new.',
    )
  throw new DamagedStateError('The practice account’s saved state is damaged (its first line).')
}

function readCompact(file: Buffer): { data: SimData; generation: number; encoding: StateEncoding } {
  let at = 0
  const nextLine = (): string => {
    const end = file.indexOf(10, at)
    if (end < 0) throw new DamagedStateError('The practice account’s saved state is cut short.')
    const line = file.toString('utf8', at, end)
    at = end + 1
    return line
  }
  const header = readHeader(nextLine())
  const rest = readLine(RestSchema, nextLine(), 'everything but the contacts')
  const contacts: ContactRecord[] = []
  const encoding = new StateEncoding()
  for (let line = 0; contacts.length < header.contacts; line++) {
    const text = nextLine()
    decodeContacts(readLine(ContactsLineSchema, text, `the contacts from number ${contacts.length + 1}`), contacts)
    encoding.keepLine(line, `${text}\n`)
  }
  const end = readLine(EndSchema, nextLine(), 'its last line')
  if (end.contacts !== contacts.length || contacts.length !== header.contacts)
    throw new DamagedStateError('The practice account’s saved state is cut short.')
  return { data: decodeRest(rest, contacts, encoding), generation: header.generation, encoding }
}

function encodeRest(data: SimData, ids: (list: readonly string[]) => IdList): Record<string, unknown> {
  const { contacts: _contacts, ...rest } = data
  return {
    ...rest,
    activities: data.activities.map((a) => ({
      ...a,
      items: a.items.every((item) => typeof item === 'string') ? ids(a.items as string[]) : a.items,
      ...(a.export ? { export: { ...a.export, contact_ids: ids(a.export.contact_ids) } } : {}),
    })),
    campaign_activities: data.campaign_activities.map((a) => ({ ...a, recipients: ids(a.recipients) })),
  }
}

function decodeRest(rest: Rest, contacts: ContactRecord[], encoding: StateEncoding): SimData {
  const ids = (list: IdList): string[] => {
    const decoded = decodeIds(list, contacts)
    encoding.keepIds(decoded, list)
    return decoded
  }
  return {
    ...rest,
    contacts,
    activities: rest.activities.map(({ export: exported, ...a }) => ({
      ...a,
      items: Array.isArray(a.items) ? a.items : ids(a.items),
      ...(exported ? { export: { ...exported, contact_ids: ids(exported.contact_ids) } } : {}),
    })),
    campaign_activities: rest.campaign_activities.map((a) => ({ ...a, recipients: ids(a.recipients) })),
  }
}

/** A list of contact IDs by the contacts' places: a bitmap when in order (a list's members), else 4 bytes each. */
function encodeIds(ids: readonly string[], placeOf: (id: string) => number | undefined): IdList {
  if (ids.length < SHORT_ID_LIST) return [...ids]
  const places = new Uint32Array(ids.length)
  let inOrder = true
  for (let i = 0; i < ids.length; i++) {
    const place = placeOf(ids[i]!)
    if (place === undefined) return [...ids] // not a contact of the account (kept as sent)
    places[i] = place
    if (i > 0 && place <= places[i - 1]!) inOrder = false
  }
  const last = places[ids.length - 1]!
  if (inOrder && (last + 1) / 8 < 4 * ids.length) {
    const bits = Buffer.alloc(Math.ceil((last + 1) / 8))
    for (const place of places) bits[place >> 3]! |= 1 << (place & 7)
    return { placeSet: bits.toString('base64') }
  }
  return { places: Buffer.from(places.buffer, places.byteOffset, places.byteLength).toString('base64') }
}

function decodeIds(list: IdList, contacts: readonly ContactRecord[]): string[] {
  if (Array.isArray(list)) return list
  const ids: string[] = []
  const idAt = (place: number): void => {
    const contact = contacts[place]
    if (!contact) throw new DamagedStateError('The practice account’s saved state names a contact it doesn’t have.')
    ids.push(contact.contact_id)
  }
  if ('placeSet' in list) {
    const bits = Buffer.from(list.placeSet, 'base64')
    for (let byte = 0; byte < bits.length; byte++)
      for (let bit = 0; bit < 8; bit++) if (bits[byte]! & (1 << bit)) idAt(byte * 8 + bit)
  } else {
    const bytes = Buffer.from(list.places, 'base64')
    if (bytes.length % 4)
      throw new DamagedStateError('The practice account’s saved state is damaged (a list of contacts).')
    for (let at = 0; at < bytes.length; at += 4) idAt(bytes.readUInt32LE(at))
  }
  return ids
}

function encodeContacts(all: readonly ContactRecord[], start: number, end: number): ContactsLine {
  const contacts = all.slice(start, end)
  const columns: Record<string, Column> = {}
  for (const name of COLUMNS) {
    const column = name === 'contact_id' ? encodeUuids(contacts) : encodeColumn(contacts.map((c) => c[name] as unknown))
    if (column) columns[name] = column
  }
  return { n: contacts.length, columns }
}

function encodeUuids(contacts: readonly ContactRecord[]): Column {
  const ids = contacts.map((c) => c.contact_id)
  const bytes = uuidBytes(ids)
  return bytes ? { uuids: bytes.toString('base64') } : { values: ids }
}

/**
 * A column as its distinct values and runs of them when it has few (about a quarter of its length
 * at most), else as the values themselves; undefined when no contact has a value.
 */
function encodeColumn(values: readonly unknown[]): Column | undefined {
  const byValue = new Map<unknown, number>()
  const byJson = new Map<string, number>()
  const dict: unknown[] = []
  const at: number[] = new Array<number>(values.length)
  let any = false
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    if (value === undefined) {
      at[i] = -1
      continue
    }
    any = true
    let index = byValue.get(value)
    if (index === undefined) {
      const json = typeof value === 'object' && value !== null ? JSON.stringify(value) : undefined
      index = json === undefined ? undefined : byJson.get(json)
      if (index === undefined) {
        index = dict.push(value) - 1
        if (json !== undefined) byJson.set(json, index)
        if (dict.length > values.length / 4 + 16) return { values: values.map((v) => v ?? null) }
      }
      byValue.set(value, index)
    }
    at[i] = index
  }
  if (!any) return undefined
  const runs: number[] = []
  for (let i = 0; i < at.length; i++) {
    if (i > 0 && at[i] === at[i - 1]) runs[runs.length - 1]!++
    else runs.push(at[i]!, 1)
  }
  return runs.length < at.length ? { dict, runs } : { dict, at }
}

function decodeContacts(line: ContactsLine, out: ContactRecord[]): void {
  const columns = COLUMNS.flatMap((name) => {
    const column = line.columns[name]
    if (column) return [[name, decodeColumn(name, column, line.n)] as const]
    if (REQUIRED_COLUMNS.has(name)) throw damagedColumn(name)
    return []
  })
  for (let i = 0; i < line.n; i++) {
    const contact: Record<string, unknown> = {}
    for (const [name, values] of columns) {
      const value = values[i]
      if (value !== undefined && value !== null) contact[name] = value
    }
    out.push(contact as unknown as ContactRecord)
  }
}

/** The fields every contact has (the others a contact may lack: no value in its column). */
const REQUIRED_COLUMNS = new Set(
  COLUMNS.filter((name) => !ContactRecordSchema.shape[name].safeParse(undefined).success),
)

/**
 * Whether a value fits its column, by the contact's schema; for a text or number field by its type
 * alone, which is the same check for a value read from JSON, but costs nothing next to the schema's
 * on the columns where every contact has its own value (a million addresses).
 */
const VALUE_FITS = Object.fromEntries(
  COLUMNS.map((name) => {
    const field = ContactRecordSchema.shape[name]
    const inner = field instanceof z.ZodOptional ? field.unwrap() : field
    const type = inner instanceof z.ZodString ? 'string' : inner instanceof z.ZodNumber ? 'number' : undefined
    const required = REQUIRED_COLUMNS.has(name)
    const fits = (value: unknown): boolean =>
      value === undefined || value === null ? !required : type ? typeof value === type : field.safeParse(value).success
    return [name, fits]
  }),
) as Record<(typeof COLUMNS)[number], (value: unknown) => boolean>

function contactFits(contact: unknown): boolean {
  if (typeof contact !== 'object' || contact === null) return false
  const fields = contact as Record<string, unknown>
  return COLUMNS.every((name) => VALUE_FITS[name](fields[name]))
}

function damagedColumn(name: string): DamagedStateError {
  return new DamagedStateError(`The practice account’s saved state is damaged (the contacts’ “${name}”).`)
}

/**
 * A column's values for its line's `n` contacts, checked against the contact's schema as they are
 * decoded: a column with few different values (most of them) by those few values and by where each
 * contact's points, not by the thousands of contacts that share them; IDs, made from 16 bytes each,
 * by their length. The contacts are not checked one by one with the whole schema: it would copy every
 * contact while loading them (see ARCHITECTURE.md, Measured choices).
 */
function decodeColumn(name: (typeof COLUMNS)[number], column: Column, n: number): readonly unknown[] {
  const fits = VALUE_FITS[name]
  if ('values' in column) {
    if (column.values.length !== n || !column.values.every(fits)) throw damagedColumn(name)
    return column.values
  }
  if ('uuids' in column) {
    const bytes = Buffer.from(column.uuids, 'base64')
    if (bytes.length !== 16 * n) throw damagedColumn(name)
    return Array.from({ length: n }, (_, i) => uuidText(bytes, 16 * i))
  }
  if (!column.dict.every(fits)) throw damagedColumn(name)
  // Shared by every contact that has it: frozen, so no change to one contact can reach the others.
  const dict = column.dict.map(deepFreeze)
  const none = REQUIRED_COLUMNS.has(name) ? undefined : -1
  // A place names a value of the dictionary, or no value (-1) where a contact may have none; JSON
  // has no undefined, so a value found undefined anywhere else is a place that names nothing.
  const valueAt = (place: number): unknown => {
    const value = typeof place === 'number' ? dict[place] : undefined
    if (value === undefined && place !== none) throw damagedColumn(name)
    return value
  }
  if ('at' in column) {
    if (column.at.length !== n) throw damagedColumn(name)
    return column.at.map(valueAt)
  }
  const values: unknown[] = []
  for (let r = 0; r < column.runs.length; r += 2) {
    const value = valueAt(column.runs[r]!)
    const count = column.runs[r + 1]
    // Checked before the run is laid out: a damaged count could otherwise fill the memory first.
    if (!Number.isInteger(count) || count! < 0 || values.length + count! > n) throw damagedColumn(name)
    for (let k = 0; k < count!; k++) values.push(value)
  }
  if (values.length !== n) throw damagedColumn(name)
  return values
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}
