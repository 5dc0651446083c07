import { PROBLEM_REASONS } from '../../../shared/prepare/schemas'
import { REASON_TITLES } from '../../../shared/prepare/words'
import type { PrepareSummary } from '../prepare/job-files'
import { liveActivities, type JournalState } from '../upload/journal-state'
import { dispositionOf, tallyContacts } from '../upload/outcomes'
import type { ReportModel, ReportSection, RowStatus } from '../../../shared/upload/schemas'
import { GROUP_KEYS } from '../../../shared/ids'

/**
 * Later steps add their part of the report here: a provider gets the journal state (its own entries
 * are in `state.other`) and returns a section, or nothing.
 */
export type ReportSectionProvider = (state: JournalState, summary: PrepareSummary) => ReportSection | undefined

export function buildReportModel(
  summary: PrepareSummary,
  state: JournalState,
  rowCounts: Record<RowStatus, number>,
  providers: readonly ReportSectionProvider[],
): ReportModel {
  const plan = state.plan
  const tally = tallyContacts(state)
  const status: ReportModel['status'] = !plan
    ? 'not_started'
    : state.ending?.type === 'stopped'
      ? 'stopped'
      : state.ending?.type === 'cancelled'
        ? 'cancelled'
        : state.ending?.type === 'completed'
          ? tally.contactsNotAdded > 0
            ? 'some_not_added'
            : 'all_added'
          : 'in_progress'

  const groups: ReportModel['groups'] = GROUP_KEYS.map((group) => {
    const planned = plan?.groups.find((g) => g.group === group)
    const ready = state.lists[group]
    let added = 0
    let notAdded = 0
    let notSent = 0
    for (const a of liveActivities(state)) {
      if (a.planned.group !== group) continue
      const d = dispositionOf(a)
      if (d === 'completed' || d === 'failed') {
        const ok = Math.min(a.planned.count, a.last?.counts.person_count ?? 0)
        added += ok
        notAdded += a.planned.count - ok
      } else if (d === 'rejected') notAdded += a.planned.count
      else notSent += a.planned.count
    }
    return {
      group,
      groupName: summary.groupNames[group],
      rows: summary.groups[group],
      skipped: !planned || planned.skipped,
      ...((ready?.name ?? planned?.list?.name) ? { listName: ready?.name ?? planned?.list?.name } : {}),
      ...(ready?.listId ? { listId: ready.listId } : {}),
      ...(ready ? { listCreated: ready.created } : {}),
      ...(ready?.memberCountBefore !== undefined ? { membersBefore: ready.memberCountBefore } : {}),
      added,
      notAdded,
      notSent,
    }
  })

  const activities: ReportModel['activities'] = liveActivities(state).map((a) => {
    const last = a.last
    const disposition = dispositionOf(a)
    const activityId = a.activityId ?? last?.activityId
    return {
      id: a.planned.id,
      group: a.planned.group,
      contacts: a.planned.count,
      attempts: a.attempt,
      ...(activityId ? { activityId } : {}),
      state:
        disposition === 'processing'
          ? 'sent, not finished'
          : disposition === 'not_sent'
            ? 'not sent'
            : disposition === 'rejected'
              ? 'refused'
              : disposition === 'to_resend'
                ? `${last?.state}, to be sent again`
                : (last?.state ?? ''),
      ...(last ? { counts: last.counts } : {}),
      errors: last?.errors ?? (a.rejection ? [a.rejection.message] : []),
      moreErrors: last?.moreErrors ?? 0,
    }
  })

  const warnings = reportWarnings(summary, state, rowCounts)
  const technicalNotes: string[] = []
  for (const a of state.activities.values()) {
    if (a.phase === 'split')
      warnings.push(
        `Constant Contact refused activity ${a.planned.id} as a whole${a.rejection ? ` (${a.rejection.message})` : ''}; its ${n(a.planned.count)} contacts were sent again in two halves (${a.parts?.join(' and ')}), until the refused ones were found.`,
      )
    for (const attempt of a.attempts) {
      if (attempt.state !== 'completed')
        technicalNotes.push(
          `Import ${a.planned.id} (activity ${attempt.activityId}) ended “${attempt.state}” on try ${attempt.attempt}${attempt.errors[0] ? `: ${attempt.errors[0]}` : ''}.`,
        )
    }
  }

  return {
    generatedAt: new Date().toISOString(),
    sourceFile: summary.source.fileName,
    preparedAt: summary.preparedAt,
    ...(state.startedAt ? { uploadStartedAt: state.startedAt } : {}),
    ...(state.account ? { account: state.account } : {}),
    status,
    statusText:
      status === 'stopped' && state.ending?.error?.code === 'cc_daily_limit'
        ? dailyLimitText(state, tally.contactsAdded, tally.contactsNotSent)
        : STATUS_TEXT[status](tally.contactsAdded, tally.contactsNotAdded, tally.contactsNotSent),
    rowsInFile: summary.rows,
    groups,
    rowCounts,
    leftOut: PROBLEM_REASONS.filter((reason) => (summary.problems[reason] ?? 0) > 0).map((reason) => ({
      reason,
      title: REASON_TITLES[reason],
      rows: summary.problems[reason],
    })),
    activities,
    warnings,
    technicalNotes,
    sections: providers.map((p) => p(state, summary)).filter((s): s is ReportSection => !!s),
  }
}

const n = (value: number): string => value.toLocaleString('en-US')
const contacts = (value: number): string => `${n(value)} ${value === 1 ? 'contact' : 'contacts'}`

/**
 * What is worth knowing about the upload, after the fact: how it stopped, the lists made or added
 * to, a group with nobody in it, doubts about some rows, and what preparing the file noted.
 */
function reportWarnings(summary: PrepareSummary, state: JournalState, rowCounts: Record<RowStatus, number>): string[] {
  const warnings: string[] = []
  if (state.ending?.error) {
    const e = state.ending.error
    warnings.push(`The upload stopped: ${e.message}${e.hint ? ` ${e.hint}` : ''}`)
  }
  for (const group of state.plan?.groups ?? []) {
    const list = state.lists[group.group]
    const name = `“${group.groupName}”`
    if (group.skipped) continue
    if (group.contacts === 0) warnings.push(`${name} had no contacts, so nothing was uploaded for it.`)
    if (list?.created) warnings.push(`The list “${list.name}” was created for ${name}.`)
    else if (list?.memberCountBefore)
      warnings.push(
        `The list “${list.name}” (for ${name}) already had ${n(list.memberCountBefore)} ${list.memberCountBefore === 1 ? 'member' : 'members'}; they stayed on it, and the contacts of this file were added to them.`,
      )
  }
  if (rowCounts.activity_errors > 0) {
    warnings.push(
      `For ${rowCounts.activity_errors === 1 ? '1 row' : `${n(rowCounts.activity_errors)} rows`} Constant Contact reported errors in their import; report.csv says which. Constant Contact doesn’t say which contacts it did not add unless its error lines name them.`,
    )
  }
  warnings.push(...summary.warnings.map((w) => `From preparing the file: ${w}`))
  return warnings
}

/**
 * A stop on Constant Contact's daily allowance: what was accepted so far, and that the rest goes
 * on the next run (from midnight UTC, when the allowance starts again).
 */
function dailyLimitText(state: JournalState, added: number, notSent: number): string {
  const imports = liveActivities(state).filter((a) => dispositionOf(a) === 'completed').length
  const resumeAt = state.ending?.error?.resumeAt
  const after = resumeAt ? ` after ${resumeAt.replace('T', ' ').replace(/:00\.000Z$/, ' UTC')}` : ' after midnight UTC'
  return `Upload paused by Constant Contact’s daily allowance of requests: ${n(added)} contacts accepted so far, in ${n(imports)} ${imports === 1 ? 'import' : 'imports'}. The other ${n(notSent)} go on the next run of the upload${after}; nothing accepted is sent again.`
}

const STATUS_TEXT: Record<ReportModel['status'], (added: number, notAdded: number, notSent: number) => string> = {
  all_added: (added) => `The upload finished: Constant Contact added all ${contacts(added)} to their lists.`,
  some_not_added: (added, notAdded) =>
    `The upload finished: ${contacts(added)} added; Constant Contact reported ${n(notAdded)} it did not add.`,
  cancelled: (added, notAdded, notSent) =>
    `The upload was cancelled: ${contacts(added)} added by then, ${n(notSent)} not sent or not finished${notAdded ? `, ${n(notAdded)} not added` : ''}. Running the upload again continues it.`,
  stopped: (added, notAdded, notSent) =>
    `The upload stopped before the end: ${contacts(added)} added by then, ${n(notSent)} not sent or not finished${notAdded ? `, ${n(notAdded)} not added` : ''}. Running the upload again continues it.`,
  not_started: () => 'No upload was started for this file.',
  in_progress: (added, _notAdded, notSent) =>
    `The upload had not finished when this report was made: ${contacts(added)} added by then, ${n(notSent)} still to do. Running the upload again continues it.`,
}
