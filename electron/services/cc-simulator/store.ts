/**
 * Everything the local Constant Contact knows, kept in maps while it runs and written to
 * `<dataDir>/cc-simulator-state.jsonl` (compact: see state-file.ts) when a data folder is given.
 * Tokens, codes and device codes are stored only as SHA-256 hashes, as a real server would keep them,
 * so the data folder never holds a usable secret. What it keeps is declared in records.ts.
 */
import { UserFacingError } from '../../../shared/errors'
import { ensurePrivateFolderSync } from '../files/private'
import { ContactTable } from './contact-table'
import {
  claimState,
  hasStateFile,
  type LoadedState,
  readUsableState,
  StateEncoding,
  releaseState,
  stateGenerationOnDisk,
  stateInUseBy,
  writeStateFile,
} from './state-file'
import type {
  ActivityRecord,
  CampaignActivityRecord,
  CampaignRecord,
  ContactRecord,
  ListRecord,
  SimData,
} from './records'

/** A change is written this long after it at the soonest (changes close together are written once). */
const SAVE_DELAY_MS = 200
/** At most one part in this many of the time goes to writing the state (see {@link SimStore.changed}). */
const SAVE_SPACING = 20

/** Live, indexed view of {@link SimData}. */
export class SimStore {
  data: SimData
  readonly lists = new Map<string, ListRecord>()
  contacts: ContactTable
  readonly activities = new Map<string, ActivityRecord>()
  readonly campaigns = new Map<string, CampaignRecord>()
  readonly campaignActivities = new Map<string, CampaignActivityRecord>()
  /**
   * Called when the state on disk turned out to have been written by someone else since this store
   * last wrote it (`splitsend simulator --reset` while this one ran): this store then goes on from
   * that state instead of writing over it.
   */
  onReplacedOnDisk: (message: string) => void = printNotice
  private saveTimer: ReturnType<typeof setTimeout> | undefined
  private dirty = false
  /** A newer version of Splitsend saved the state while this store ran: it is theirs now (see flush). */
  private savesStopped = false
  /** How long the last write took, and when it ended (performance.now()). */
  private lastSaveMs = 0
  private lastSaveEnd = 0
  /** The generation of the state on disk this store last read or wrote (see state-file.ts). */
  private generation = 0
  /** What the last write encoded that hasn't changed since. */
  private encoding = new StateEncoding()

  constructor(
    data: SimData,
    private readonly dataDir?: string,
  ) {
    this.data = data
    this.contacts = new ContactTable(data.contacts)
    this.reindex()
  }

  /** Contacts by address in lower case. */
  get contactsByEmail(): ContactTable['byEmail'] {
    return this.contacts.byEmail
  }

  /** `notice`: told when the state kept in `dataDir` can't be used, and so is set aside (see readUsableState). */
  static load(dataDir: string | undefined, seed: () => SimData, notice = printNotice): SimStore {
    if (dataDir) {
      ensurePrivateFolderSync(dataDir)
      const loaded = readUsableState(dataDir, notice)
      claimState(dataDir)
      if (loaded) {
        const store = new SimStore(loaded.data, dataDir)
        store.generation = loaded.generation
        store.encoding = loaded.encoding
        if (loaded.legacy) store.changed() // written again in the compact format
        store.onReplacedOnDisk = notice
        return store
      }
    }
    const store = new SimStore(seed(), dataDir)
    store.changed()
    store.onReplacedOnDisk = notice
    return store
  }

  reindex(): void {
    this.lists.clear()
    this.activities.clear()
    this.campaigns.clear()
    this.campaignActivities.clear()
    this.contacts = new ContactTable(this.data.contacts)
    this.encoding = new StateEncoding()
    for (const l of this.data.lists) this.lists.set(l.list_id, l)
    for (const a of this.data.activities) this.activities.set(a.activity_id, a)
    for (const c of this.data.campaigns) this.campaigns.set(c.campaign_id, c)
    for (const a of this.data.campaign_activities) this.campaignActivities.set(a.campaign_activity_id, a)
  }

  addList(list: ListRecord): void {
    this.data.lists.push(list)
    this.lists.set(list.list_id, list)
  }

  /** `emailKey`: the address in lower case, when the caller has it already. */
  addContact(contact: ContactRecord, emailKey = contact.address.toLowerCase()): void {
    this.contacts.add(contact, emailKey) // appends to data.contacts
    this.encoding.contactChanged(this.contacts.size - 1)
  }

  /**
   * Whoever changes a contact says so here: a write encodes again only the contacts that changed
   * (closing writes everything, whatever was said).
   */
  contactChanged(contact: ContactRecord): void {
    const place = this.contacts.placeOf(contact.contact_id)
    if (place !== undefined) this.encoding.contactChanged(place)
  }

  addActivity(activity: ActivityRecord): void {
    this.data.activities.push(activity)
    this.activities.set(activity.activity_id, activity)
  }

  addCampaign(campaign: CampaignRecord, activities: CampaignActivityRecord[]): void {
    this.data.campaigns.push(campaign)
    this.campaigns.set(campaign.campaign_id, campaign)
    for (const activity of activities) {
      this.data.campaign_activities.push(activity)
      this.campaignActivities.set(activity.campaign_activity_id, activity)
    }
  }

  removeActivities(ids: Set<string>): void {
    this.data.activities = this.data.activities.filter((a) => !ids.has(a.activity_id))
    for (const id of ids) this.activities.delete(id)
  }

  /** Everything the account holds becomes `fresh`'s (see {@link resetState}); sign-ins stay valid. */
  resetTo(fresh: SimData): void {
    this.data = resetState(this.data, fresh)
    this.reindex()
    this.changed()
  }

  /**
   * Marks the state as changed; it is written (if there is a data folder) a moment later, and never
   * sooner after the last write than {@link SAVE_SPACING} times what that write took: a write blocks
   * while it lasts (seconds for a 1,000,000-contact account when changes are spread all over it), so
   * writing after every request (each one counts towards the daily limit) left a big practice
   * account answering almost nothing else. Closing writes what is left.
   */
  changed(): void {
    if (!this.dataDir) return
    this.dirty = true
    const sinceLast = performance.now() - this.lastSaveEnd
    const wait = Math.max(SAVE_DELAY_MS, this.lastSaveMs * SAVE_SPACING - sinceLast)
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = undefined
      this.flush()
    }, wait)
    this.saveTimer.unref?.()
  }

  flush(): void {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer)
      this.saveTimer = undefined
    }
    if (!this.dataDir || !this.dirty || this.savesStopped) return
    this.dirty = false
    const started = performance.now()
    const onDisk = stateGenerationOnDisk(this.dataDir)
    if (onDisk === 'newer') return this.leaveToNewerVersion()
    if (onDisk !== undefined && onDisk !== this.generation) this.adoptStateOnDisk(this.dataDir)
    this.generation++
    writeStateFile(this.dataDir, this.data, this.generation, (id) => this.contacts.placeOf(id), this.encoding)
    this.lastSaveEnd = performance.now()
    this.lastSaveMs = this.lastSaveEnd - started
  }

  /** Writes what is left and lets go of the data folder (see claimState). */
  close(): void {
    this.encoding = new StateEncoding()
    try {
      this.flush()
    } finally {
      // Even when the last write failed: the lock must not name this process once it's closed.
      if (this.dataDir) releaseState(this.dataDir)
    }
  }

  /** This version can't read what a newer one saved, so it stops saving rather than write over it. */
  private leaveToNewerVersion(): void {
    this.savesStopped = true
    this.onReplacedOnDisk(
      'A newer version of Splitsend saved the practice account while this one ran. This one no longer saves it, so what you do in it from now on is not kept: close this Splitsend and use the newer one.',
    )
  }

  /**
   * Someone else wrote the state since this store did: their state is the account now (a reset
   * wins over what this one did since its last write), keeping this store's sign-ins and clock.
   */
  private adoptStateOnDisk(dataDir: string): void {
    // One that can't be used is set aside, and this store's state written in its place.
    const loaded = readUsableState(
      dataDir,
      this.onReplacedOnDisk,
      'this practice account goes on as it was here, written in its place',
    )
    if (!loaded) return
    this.data = { ...loaded.data, auth: this.data.auth, clock_offset_ms: this.data.clock_offset_ms }
    this.generation = loaded.generation
    this.reindex()
    this.encoding = loaded.encoding
    this.onReplacedOnDisk(
      `The practice account was changed by another program while this one ran (for example \`splitsend simulator --reset\`). It goes on from that state; what changed here since its last save is not kept.`,
    )
  }
}

/**
 * The account as `fresh` has it (lists, contacts, fields, imports, campaigns back in draft, test
 * sends, today's request count), keeping from `old` what isn't the account's content: the sign-ins
 * (so whoever is connected stays connected) and the clock a test moved.
 */
function resetState(old: SimData, fresh: SimData): SimData {
  return { ...fresh, auth: old.auth, clock_offset_ms: old.clock_offset_ms }
}

/**
 * Resets the state kept in `dataDir` (see {@link resetState}) while no local Constant Contact runs on
 * it (one that does would go on from its own state: refused, saying so); with no
 * state there yet, there is nothing to reset. Returns whether there was. `unread`: the old state is
 * not read (it is too big to open), so its sign-ins go with it.
 */
export function resetStateFile(dataDir: string, fresh: SimData, { unread = false } = {}): boolean {
  const inUseBy = stateInUseBy(dataDir)
  if (inUseBy !== undefined)
    throw new UserFacingError(
      'practice_in_use',
      `The practice account is in use: a program (process ${inUseBy}) is running it now, so it was not reset.`,
      'In Splitsend, use “Reset the practice account” on the Connect step. Or close the program that uses it (Splitsend, or a `splitsend simulator` running on this folder) and reset again.',
    )
  if (!hasStateFile(dataDir)) return false
  const old = unread ? undefined : stateToKeepSignInsOf(dataDir)
  // A state that couldn't be read had no sign-ins to keep.
  const reset = new SimStore(old ? resetState(old.data, fresh) : fresh)
  writeStateFile(dataDir, reset.data, (old?.generation ?? 0) + 1, (id) => reset.contacts.placeOf(id))
  return true
}

/** The kept state a reset keeps the sign-ins of, if it can be read (a damaged one is set aside). */
function stateToKeepSignInsOf(dataDir: string): LoadedState | undefined {
  try {
    return readUsableState(dataDir, () => {})
  } catch (error) {
    // A newer version's state: the person asked for the account to start again, so it does.
    if (!(error instanceof UserFacingError && error.code === 'practice_state_newer')) throw error
    return undefined
  }
}

function printNotice(message: string): void {
  process.stderr.write(`${message}\n`)
}
