/**
 * Plain-data types of the Upload step. Everything here is JSON-serialisable: plans, progress and
 * results cross IPC unchanged and are written to the job's journal as they are.
 */
import type { ContractErrorData } from '../../../shared/errors'
import type { GroupKey } from '../../../shared/ids'

export type { GroupKey }
export { GROUP_KEYS } from '../../../shared/ids'

/** Where one group goes: an existing list (by id), a list by name (found first, created if allowed), or nowhere. */
export type ListChoice = { kind: 'skip' } | { kind: 'existing'; listId: string } | { kind: 'name'; name: string }

export interface UploadChoices {
  lists: Record<GroupKey, ListChoice>
  /** A list chosen by name that doesn't exist yet may be created (the person agreed). */
  createLists: boolean
  /** Custom fields the prepared files use but the account lacks may be created (the person agreed). */
  createCustomFields: boolean
}

/** What the plan knows about a group's list. */
export interface PlannedList {
  name: string
  /** Known when the list exists already. */
  listId?: string
  exists: boolean
  /** Members it has now (existing lists only). */
  memberCount?: number
}

export interface PlannedGroup {
  group: GroupKey
  /** The group's name from Prepare ("Flag 0" unless the person named it). */
  groupName: string
  skipped: boolean
  list?: PlannedList
  contacts: number
  activities: number
}

/** A custom field used by the prepared files: `column` is the header there (`cf:<prepared name>`). */
export interface PlannedCustomField {
  column: string
  /** The label it gets in Constant Contact when it is created. */
  label: string
  /** Constant Contact's own name of the field (what follows `cf:` in the import), when it exists. */
  name?: string
  exists: boolean
}

/** One contacts_json_import: a run of consecutive records of a group file. */
export interface PlannedActivity {
  /** Stable id within the job, e.g. `0-3` (group 0, fourth activity). */
  id: string
  group: GroupKey
  /** 1-based number within its group, for people. */
  number: number
  /** First record (0-based) of the group file, and how many. */
  first: number
  count: number
  /** Bytes of the request body as it will be sent (list ID included, measured, not estimated). */
  bodyBytes: number
  /** SHA-256 of the serialised `import_data`, so a changed prepared file is never sent by mistake. */
  contactsSha256: string
}

export interface UploadPlan {
  version: 1
  jobDir: string
  /** The source spreadsheet's file name, for reports. */
  sourceFile: string
  groups: PlannedGroup[]
  customFields: PlannedCustomField[]
  activities: PlannedActivity[]
  totals: { contacts: number; activities: number; requests: number }
  /** A rough duration, from the requests it needs at 4 a second plus Constant Contact's processing time. */
  estimatedSeconds: number
  /** Things the person should know before starting (plain words). */
  warnings: string[]
  /** Reasons the plan can't be started as it is (plain words); empty when it can. */
  blockers: string[]
  createLists: boolean
  createCustomFields: boolean
  /**
   * What the activity sizes were measured with: each group's list ID (a stand-in UUID for a list
   * still to be created) and each custom-field column's name in Constant Contact. If the real ones
   * differ when the run starts, the activities are measured again before anything is sent.
   */
  sizing: { listIds: Partial<Record<GroupKey, string>>; fieldNames: Record<string, string> }
  /** The limits the activities were cut to (Constant Contact's; smaller only in tests). */
  limits: { maxContacts: number; maxBodyBytes: number }
  plannedAt: string
  /**
   * The newest activity Constant Contact had when the plan was made. A run started soon after takes
   * it as its anchor (see reconcile.ts) instead of asking again: one request fewer per upload.
   */
  anchor?: { activityId: string | null; createdAt: string | null }
}

/** Constant Contact's counts for a finished import. */
export interface ImportCounts {
  items_total_count: number
  person_count: number
  error_count: number
  correctable_count: number
  cannot_add_to_list_count: number
}

export type ActivityRowState =
  | 'waiting' // not sent yet
  | 'sending'
  | 'checking' // asking Constant Contact whether an interrupted send arrived
  | 'initialized'
  | 'processing'
  | 'completed'
  | 'failed'
  | 'timed_out'
  | 'cancelled'
  | 'rejected' // Constant Contact refused the request itself

export interface ActivityProgress {
  id: string
  group: GroupKey
  number: number
  listName: string
  contacts: number
  /** 1 for the first send; higher after a failed or timed-out activity was sent again. */
  attempt: number
  state: ActivityRowState
  activityId?: string
  percentDone: number
  counts?: ImportCounts
  /** How many error lines Constant Contact reported. */
  errorLines: number
}

export type UploadPhase =
  'starting' | 'lists' | 'custom_fields' | 'checking' | 'uploading' | 'paused' | 'stopping' | 'finished'

/** Pushed to the UI (or printed by the command) as the run goes. */
export interface UploadProgress {
  jobDir: string
  phase: UploadPhase
  activities: ActivityProgress[]
  overall: {
    contactsTotal: number
    /** Contacts Constant Contact has processed (finished activities in full, running ones by percent). */
    contactsProcessed: number
    activitiesTotal: number
    activitiesFinished: number
    /** 0..1 */
    fraction: number
    /** Seconds left, when it can be estimated. */
    etaSeconds?: number
  }
  /** A short line about what is happening ("Waiting for Constant Contact…"). */
  message?: string
}

/**
 * How a run ended:
 * - `all_added`: every planned contact was accepted by a completed activity;
 * - `some_not_added`: every activity ended, but Constant Contact reported contacts it did not add;
 * - `cancelled`: the person cancelled; what was sent is in the report;
 * - `stopped`: it stopped on a problem (`error` says which); run it again to continue.
 */
export type UploadOutcome = 'all_added' | 'some_not_added' | 'cancelled' | 'stopped'

export interface UploadResult {
  outcome: UploadOutcome
  error?: ContractErrorData & { resumeAt?: string }
  contactsPlanned: number
  /** Sum of `person_count` of completed activities. */
  contactsAdded: number
  /** Contacts Constant Contact reported as not added (errors, unsubscribed) or in activities that failed for good. */
  contactsNotAdded: number
  /** Contacts in activities not sent (cancelled / stopped) or still processing. */
  contactsNotSent: number
  activities: ActivityProgress[]
  /** The report files written when the run ended (or why they couldn't be). */
  report?: { csvPath: string; htmlPath: string }
  reportError?: ContractErrorData
}

/** A job in the jobs folder whose upload started but didn't finish. */
export interface UnfinishedUpload {
  jobDir: string
  jobId: string
  sourceFile: string
  startedAt: string
  lastActivityAt: string
  /** How it was left: interrupted (quit / crash), stopped on a problem, cancelled or paused. */
  status: 'interrupted' | 'stopped' | 'cancelled'
  /** The problem it stopped on, if any. */
  error?: ContractErrorData & { resumeAt?: string }
  activitiesTotal: number
  activitiesFinished: number
  lists: Array<{ group: GroupKey; name: string }>
}
