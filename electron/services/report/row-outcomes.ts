import { join } from 'node:path'
import { REASON_TITLES } from '../../../shared/prepare/words'
import { PROBLEM_REASONS } from '../../../shared/prepare/schemas'
import { type PrepareSummary, JOB_FILES } from '../prepare/job-files'
import { ADDRESS_IN_TEXT } from '../upload/added-check'
import { contactBuilder } from '../upload/contact-json'
import { groupFileNames, openIndexedCsv, recordBlocks, type IndexedCsv } from '../upload/group-file'
import { liveActivities, type JournalActivity, type JournalState } from '../upload/journal-state'
import { dispositionOf, reportedProblems } from '../upload/outcomes'
import { GROUP_KEYS, type GroupKey } from '../../../shared/ids'
import { ROW_STATUS_WORDS, type RowStatus } from '../../../shared/upload/schemas'

/**
 * What happened to one row of the person's spreadsheet. `status` is a stable code (for counting
 * and for tests); `outcome` and `details` are the words shown in report.csv.
 */
export interface RowOutcome {
  /** Excel row number in the source file. */
  row: number
  email: string
  group: string
  status: RowStatus
  outcome: string
  details: string
  list: string
  activityId: string
}

/** The same words in the app and in the report files (one list, in shared/). */
export const ROW_STATUS_LABELS: Record<RowStatus, string> = ROW_STATUS_WORDS

/**
 * Calls `onRow` once for every data row of the source, in row order: each group record with what
 * happened to its activity, each problems record with its reason. Reads the files a block at a
 * time; keeps only emails and short texts per row in memory.
 */
export function forEachRowOutcome(
  jobDir: string,
  summary: PrepareSummary,
  state: JournalState,
  onRow: (row: RowOutcome) => void,
): void {
  const sources: Array<{ csv: IndexedCsv; describe: (record: number, cells: string[]) => RowOutcome }> = []
  try {
    for (const group of GROUP_KEYS) {
      const names = groupFileNames(group)
      const csv = openIndexedCsv(jobDir, names.csv, names.index)
      sources.push({ csv, describe: groupRowDescriber(group, csv, summary, state) })
    }
    const problems = openIndexedCsv(jobDir, JOB_FILES.problems, JOB_FILES.problemsIndex)
    sources.push({ csv: problems, describe: problemRowDescriber(problems, summary) })

    // Each file lists its rows in source order; merge them so the report follows the spreadsheet.
    const cursors = sources.map((source) => ({
      source,
      blocks: recordBlocks(source.csv),
      block: undefined as { first: number; records: string[][] } | undefined,
      at: 0,
      done: false,
    }))
    const rowOf = (c: (typeof cursors)[number]): number | undefined => {
      while (!c.done && (!c.block || c.at >= c.block.records.length)) {
        const next = c.blocks.next()
        if (next.done) c.done = true
        else {
          c.block = next.value
          c.at = 0
        }
      }
      return c.done ? undefined : c.source.csv.rows[c.block!.first + c.at]
    }
    for (;;) {
      let best: (typeof cursors)[number] | undefined
      let bestRow = Infinity
      for (const c of cursors) {
        const row = rowOf(c)
        if (row !== undefined && row < bestRow) {
          bestRow = row
          best = c
        }
      }
      if (!best) break
      onRow(best.source.describe(best.block!.first + best.at, best.block!.records[best.at]!))
      best.at++
    }
  } finally {
    for (const s of sources) s.csv.close()
  }
}

function groupRowDescriber(
  group: GroupKey,
  csv: IndexedCsv,
  summary: PrepareSummary,
  state: JournalState,
): (record: number, cells: string[]) => RowOutcome {
  const planGroup = state.plan?.groups.find((g) => g.group === group)
  const groupName = summary.groupNames[group]
  const listName = state.lists[group]?.name ?? planGroup?.list?.name ?? ''
  const activities = liveActivities(state)
    .filter((a) => a.planned.group === group)
    .sort((a, b) => a.planned.first - b.planned.first)
  const errorsByEmail = new Map<JournalActivity, Map<string, string>>()
  const notes = contactBuilder(csv.header, state.fieldNames)
  // Only a birthday column can give a row notes: without one, no row needs asking.
  const mayHaveNotes = csv.header.includes('birthday_month') || csv.header.includes('birthday_day')
  const addedOutcome = `Added to list “${listName}”`
  const row = (
    record: number,
    email: string,
    status: RowStatus,
    outcome: string,
    details: string,
    list: string,
    activityId: string,
  ): RowOutcome => ({
    row: csv.rows[record]!,
    email,
    group: groupName,
    status,
    outcome,
    details,
    list,
    activityId,
  })

  // What is the same for every row of one activity, worked out once as the rows reach it.
  let cursor = 0
  let current:
    | {
        activity: JournalActivity
        activityId: string
        disposition: ReturnType<typeof dispositionOf>
        problems: boolean
      }
    | undefined
  const activityOf = (record: number): typeof current => {
    while (
      cursor < activities.length &&
      activities[cursor]!.planned.first + activities[cursor]!.planned.count <= record
    )
      cursor++
    const a = activities[cursor]
    if (!a || a.planned.first > record) return undefined
    if (current?.activity !== a) {
      const activityId = a.last?.activityId ?? a.activityId ?? ''
      current = {
        activity: a,
        activityId,
        disposition: dispositionOf(a),
        problems: reportedProblems(a),
      }
    }
    return current
  }

  return (record, cells) => {
    const email = cells[0] ?? ''
    if (!planGroup || planGroup.skipped)
      return row(
        record,
        email,
        'skipped',
        `${ROW_STATUS_LABELS.skipped}: not uploaded`,
        'No list was chosen for this group.',
        '',
        '',
      )
    const at = activityOf(record)
    if (!at)
      return row(record, email, 'not_sent', ROW_STATUS_LABELS.not_sent, 'Not part of the upload plan.', listName, '')
    const extra = mayHaveNotes ? notes.notes(cells).join(' ') : ''
    const a = at.activity
    switch (at.disposition) {
      case 'completed': {
        if (!at.problems) return row(record, email, 'added', addedOutcome, extra, listName, at.activityId)
        // Which of the activity's contacts aren't on the list is known: each row says what happened to it.
        const checked = a.membersChecked?.attempt === a.last?.attempt ? a.membersChecked : undefined
        if (checked && !checked.notOnList.has(record - a.planned.first))
          return row(record, email, 'added', addedOutcome, extra, listName, at.activityId)
        if (checked)
          return row(
            record,
            email,
            'not_added',
            `${ROW_STATUS_LABELS.not_added}: Constant Contact didn’t add this contact`,
            joinText(errorFor(a, email, errorsByEmail) ?? describeCounts(a), extra),
            listName,
            at.activityId,
          )
        return row(
          record,
          email,
          'activity_errors',
          ROW_STATUS_LABELS.activity_errors,
          joinText(
            errorFor(a, email, errorsByEmail) ?? describeCounts(a),
            'Check this contact in Constant Contact.',
            extra,
          ),
          listName,
          at.activityId,
        )
      }
      case 'failed':
        return row(
          record,
          email,
          'not_added',
          `${ROW_STATUS_LABELS.not_added}: Constant Contact could not finish the import`,
          joinText(
            `Constant Contact ended the import of this contact “${a.last?.state === 'timed_out' ? 'timed out' : (a.last?.state ?? 'failed')}”${a.attempt > 1 ? `, ${a.attempt} times` : ''}.`,
            describeCounts(a),
            'Run the upload again later, or upload this file again.',
          ),
          listName,
          at.activityId,
        )
      case 'rejected':
        return row(
          record,
          email,
          'not_added',
          a.planned.count === 1
            ? `${ROW_STATUS_LABELS.not_added}: Constant Contact refused this contact`
            : `${ROW_STATUS_LABELS.not_added}: Constant Contact refused the request`,
          a.rejection?.message ?? '',
          listName,
          '',
        )
      case 'split': // never: split activities are left out above, their parts hold the rows
        return row(record, email, 'not_sent', ROW_STATUS_LABELS.not_sent, '', listName, '')
      case 'processing':
        return row(
          record,
          email,
          'processing',
          ROW_STATUS_LABELS.processing,
          a.phase === 'unclear'
            ? 'The connection broke while sending these contacts, and Splitsend can’t tell whether Constant Contact got it: other imports of the same size arrived at the same time. Choose “Send it again” on the Upload step (or run the upload with --resend-unclear).'
            : 'Sent; Constant Contact was still working on it when the upload stopped. Run the upload again to see the result.',
          listName,
          at.activityId,
        )
      case 'to_resend':
      case 'not_sent':
        return row(
          record,
          email,
          'not_sent',
          ROW_STATUS_LABELS.not_sent,
          state.ending?.error?.code === 'cc_daily_limit'
            ? 'Constant Contact’s daily allowance of requests ran out before this contact was sent; it goes on the next run of the upload (from midnight UTC).'
            : 'The upload stopped before this contact was sent. Run the upload again to send it.',
          listName,
          '',
        )
    }
  }
}

function problemRowDescriber(
  csv: IndexedCsv,
  summary: PrepareSummary,
): (record: number, cells: string[]) => RowOutcome {
  const emailCell = 3 + summary.mapping.emailColumn
  return (record, cells) => {
    const reason = PROBLEM_REASONS[csv.reasons[record]!] ?? (cells[1] as (typeof PROBLEM_REASONS)[number])
    return {
      row: csv.rows[record]!,
      email: cells[emailCell] ?? '',
      group: '',
      status: 'left_out',
      outcome: `${ROW_STATUS_LABELS.left_out}: ${REASON_TITLES[reason] ?? reason}`,
      details: cells[2] ?? '',
      list: '',
      activityId: '',
    }
  }
}

/** An error line of the activity that names this address, if Constant Contact gave one. */
function errorFor(
  a: JournalActivity,
  email: string,
  cache: Map<JournalActivity, Map<string, string>>,
): string | undefined {
  let byEmail = cache.get(a)
  if (!byEmail) {
    byEmail = new Map()
    for (const line of a.last?.errors ?? []) {
      for (const match of line.matchAll(ADDRESS_IN_TEXT)) byEmail.set(match[0].toLowerCase(), line)
    }
    cache.set(a, byEmail)
  }
  return byEmail.get(email.toLowerCase())
}

function describeCounts(a: JournalActivity): string {
  const c = a.last?.counts
  if (!c) return ''
  const parts = [
    `Constant Contact added ${c.person_count.toLocaleString('en-US')} of the ${a.planned.count.toLocaleString('en-US')} contacts of this contact’s import`,
  ]
  if (c.correctable_count) parts.push(`${c.correctable_count.toLocaleString('en-US')} had details it couldn’t accept`)
  if (c.cannot_add_to_list_count)
    parts.push(`${c.cannot_add_to_list_count.toLocaleString('en-US')} had unsubscribed before and stay off the list`)
  const other = c.error_count - c.correctable_count
  if (other > 0) parts.push(`${other.toLocaleString('en-US')} other errors`)
  return `${parts.join('; ')}.`
}

function joinText(...parts: string[]): string {
  return parts.filter(Boolean).join(' ')
}

/** Where the report files go in the job folder (report.json: the model and what it was built from). */
export function reportPaths(jobDir: string): { csv: string; html: string; json: string } {
  return { csv: join(jobDir, 'report.csv'), html: join(jobDir, 'report.html'), json: join(jobDir, 'report.json') }
}
