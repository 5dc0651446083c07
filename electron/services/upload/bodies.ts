import { UserFacingError } from '../../../shared/errors'
import type { GroupKey } from '../../../shared/ids'
import { namedInErrors, notActiveMembers, type RecordRun } from './added-check'
import { buildImportBody, PreparedFilesChanged, splitActivity, type ImportLimits } from './chunks'
import { contactBuilder, type ContactBuilder } from './contact-json'
import { openGroupFile, type GroupFile } from './group-file'
import type { PlannedActivity, UploadPlan } from './plan'

/**
 * What an upload run reads from a job's prepared group files while it sends: each activity's
 * request body (the bytes that are sent), the two halves of an activity Constant Contact refused,
 * the addresses of a run of records, and which of an import's contacts weren't added. All of it grows with the job, so a run asks the body
 * worker for it (./body-thread.ts) and only sends, journals and reports on its own thread.
 */
export interface UploadBodies {
  /** Opens the groups' files: a missing or damaged one stops the run before anything is sent. */
  open(groups: readonly GroupKey[]): Promise<void>
  /** The request body of a planned activity, checked against the plan (see chunks.ts buildImportBody). */
  body(activity: PlannedActivity, listId: string, limits: ImportLimits): Promise<Uint8Array>
  /** The two halves of a refused activity (see chunks.ts splitActivity). */
  split(activity: PlannedActivity, listId: string): Promise<[PlannedActivity, PlannedActivity]>
  /** The addresses (lower case) of `count` records of a group from `first`. */
  emails(group: GroupKey, first: number, count: number): Promise<string[]>
  /** An import's records its error lines name, as a bitmap; null when they name fewer than `missing` (see added-check.ts). */
  namedInErrors(group: GroupKey, run: RecordRun, errors: string[], missing: number): Promise<string | null>
  /** Each import's records that aren't active members of the list by its export at `exportPath` (see added-check.ts). */
  notActiveMembers(group: GroupKey, runs: RecordRun[], exportPath: string, listName: string): Promise<string[]>
  close(): Promise<void>
}

/** Whose group files: a job folder, and the custom fields' names in Constant Contact. */
export interface BodiesOf {
  jobDir: string
  fieldNames: UploadPlan['sizing']['fieldNames']
}

/**
 * The group files read on the calling thread: what the body worker does for a run. A run uses it
 * directly only when told to (`UploadRunOptions.bodiesHere`: the benchmark's "before").
 */
export class BodiesHere implements UploadBodies {
  private readonly files = new Map<GroupKey, { file: GroupFile; builder: ContactBuilder }>()

  constructor(private readonly job: BodiesOf) {}

  async open(groups: readonly GroupKey[]): Promise<void> {
    for (const group of groups) this.group(group)
  }

  async body(activity: PlannedActivity, listId: string, limits: ImportLimits): Promise<Uint8Array> {
    const { file, builder } = this.group(activity.group)
    try {
      const { text } = await buildImportBody(file, activity, builder, listId, limits)
      return new TextEncoder().encode(text)
    } catch (error) {
      if (error instanceof PreparedFilesChanged) {
        throw new UserFacingError(
          'job_changed',
          'The prepared files changed after this upload started.',
          'Prepare the spreadsheet again into a new folder, and upload that.',
        )
      }
      throw error
    }
  }

  async split(activity: PlannedActivity, listId: string): Promise<[PlannedActivity, PlannedActivity]> {
    const { file, builder } = this.group(activity.group)
    return splitActivity(file, activity, builder, listId)
  }

  async emails(group: GroupKey, first: number, count: number): Promise<string[]> {
    return this.group(group)
      .file.read(first, count)
      .map((cells) => (cells[0] ?? '').toLowerCase())
  }

  async namedInErrors(group: GroupKey, run: RecordRun, errors: string[], missing: number): Promise<string | null> {
    return namedInErrors(this.group(group).file, run, errors, missing)
  }

  async notActiveMembers(group: GroupKey, runs: RecordRun[], exportPath: string, listName: string): Promise<string[]> {
    return notActiveMembers(this.group(group).file, runs, exportPath, listName)
  }

  async close(): Promise<void> {
    for (const { file } of this.files.values()) file.close()
    this.files.clear()
  }

  private group(group: GroupKey): { file: GroupFile; builder: ContactBuilder } {
    let open = this.files.get(group)
    if (!open) {
      const file = openGroupFile(this.job.jobDir, group)
      open = { file, builder: contactBuilder(file.header, new Map(Object.entries(this.job.fieldNames))) }
      this.files.set(group, open)
    }
    return open
  }
}
