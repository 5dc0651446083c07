/**
 * A finished upload in a job's journal, written without Constant Contact: for tests and benchmarks
 * of the report, which need a job's journal, not a real upload (minutes at 4 requests a second for
 * a large job). No test framework here, so the benchmarks can use it too.
 */
import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { appendEntry, newAttemptId } from '../../../electron/services/send/journal'
import { JOURNAL_FILE, type JournalEntry } from '../../../electron/services/upload/journal'
import type { PlannedActivity, UploadPlan } from '../../../electron/services/upload/plan'
import type { PrepareSummary } from '../../../electron/services/prepare/job-files'
import { encodeRecordSet } from '../../../electron/services/upload/record-set'

const ACTIVITY_CONTACTS = 40_000

export interface UploadJournalOptions {
  /** false: the run's last entry ("completed") is left out, as if it were still going on. */
  ended?: boolean
  /**
   * The records of an activity (offsets from its first) Constant Contact didn't add: its counts say
   * so, `errors` are its error lines, and the upload's check of the list found exactly these.
   */
  notAdded?: (activity: PlannedActivity) => readonly number[]
  errors?: (activity: PlannedActivity) => string[]
  /** How that check is written: as the upload writes it, or as a list of offsets (journals before the bitmap). */
  notOnListAs?: 'bitmap' | 'list'
}

/** The job summary's parts the upload journal is made from. */
type SummaryParts = Pick<PrepareSummary, 'groups' | 'groupNames'> & {
  source: Pick<PrepareSummary['source'], 'fileName'>
}

/**
 * An upload journal in which every activity of both groups finished, with all its contacts added
 * unless `options.notAdded` says otherwise.
 */
export function writeUploadJournal(jobDir: string, summary: SummaryParts, options: UploadJournalOptions = {}): void {
  const { ended = true, notAdded = () => [], errors = () => [], notOnListAs = 'bitmap' } = options
  const at = new Date().toISOString()
  const activities: PlannedActivity[] = []
  for (const group of ['0', '1'] as const) {
    for (let first = 0, number = 1; first < summary.groups[group]; first += ACTIVITY_CONTACTS, number++) {
      const count = Math.min(ACTIVITY_CONTACTS, summary.groups[group] - first)
      activities.push({ id: `${group}-${number}`, group, number, first, count, bodyBytes: 0, contactsSha256: '' })
    }
  }
  const listIds = { '0': '11111111-1111-4111-8111-111111111111', '1': '22222222-2222-4222-8222-222222222222' }
  const plan: UploadPlan = {
    version: 1,
    jobDir,
    sourceFile: summary.source.fileName,
    groups: (['0', '1'] as const).map((group) => ({
      group,
      groupName: summary.groupNames[group],
      skipped: false,
      list: { name: `Bench ${group}`, listId: listIds[group], exists: true, memberCount: 0 },
      contacts: summary.groups[group],
      activities: activities.filter((a) => a.group === group).length,
    })),
    customFields: [],
    activities,
    totals: { contacts: summary.groups['0'] + summary.groups['1'], activities: activities.length, requests: 0 },
    estimatedSeconds: 0,
    warnings: [],
    blockers: [],
    createLists: false,
    createCustomFields: false,
    sizing: { listIds, fieldNames: {} },
    limits: { maxContacts: ACTIVITY_CONTACTS, maxBodyBytes: 4_000_000 },
    plannedAt: at,
  }
  const entries: JournalEntry[] = [
    { type: 'plan', at, plan },
    { type: 'run_started', at, account: { name: 'Bench', practice: true } },
    ...(['0', '1'] as const).map((group): JournalEntry => ({
      type: 'list_ready',
      at,
      group,
      listId: listIds[group],
      name: `Bench ${group}`,
      created: false,
      memberCountBefore: 0,
    })),
  ]
  activities.forEach((a, i) => {
    const activityId = `aaaaaaaa-0000-4000-8000-${String(i).padStart(12, '0')}`
    const refused = notAdded(a)
    entries.push(
      { type: 'submit_intent', at, activity: a.id, attempt: 1 },
      { type: 'submitted', at, activity: a.id, attempt: 1, activityId },
      {
        type: 'finished',
        at,
        activity: a.id,
        attempt: 1,
        activityId,
        state: 'completed',
        counts: {
          items_total_count: a.count,
          person_count: a.count - refused.length,
          error_count: 0,
          correctable_count: 0,
          cannot_add_to_list_count: refused.length,
        },
        errors: errors(a),
      },
    )
    if (refused.length === 0) return
    entries.push(
      notOnListAs === 'list'
        ? { type: 'members_checked', at, activity: a.id, attempt: 1, notOnList: [...refused] }
        : { type: 'not_on_list', at, activity: a.id, attempt: 1, bitmap: encodeRecordSet(refused, a.count) },
    )
  })
  if (ended) entries.push({ type: 'completed', at })
  appendFileSync(join(jobDir, JOURNAL_FILE), entries.map((e) => `${JSON.stringify(e)}\n`).join(''))
}

/** A send of `campaignName` to the group's list that Constant Contact accepted, in the job's send journal. */
export function recordAcceptedSend(jobDir: string, group: '0' | '1', campaignName: string): void {
  const attempt = newAttemptId()
  appendEntry(jobDir, {
    type: 'intent',
    attempt,
    group,
    campaignId: `campaign-${group}`,
    campaignName,
    activityId: `activity-${group}`,
    listId: `list-${group}`,
    listName: `Bench ${group}`,
    contacts: 3,
    when: 'now',
    before: { status: 'DRAFT', sendIds: [] },
    replaced: [],
  })
  appendEntry(jobDir, { type: 'accepted', attempt, confirmation: { scheduleAnswer: [], source: 'answer' } })
}
