/**
 * The "Sends" section of the job's report, built from the send journal alone (so it survives a
 * crash): per group, the campaign, the list, the contacts, sent now or scheduled for when, and
 * Constant Contact's confirmation; earlier attempts that were cancelled or refused are listed too.
 *
 * `sendReportEntries(jobDir)` is the data; `sendReportSection(jobDir)` the section for ../report.
 */
import { GROUP_KEYS, type GroupKey } from '../../../shared/ids'
import { reportDate } from '../report/dates'
import type { ReportSectionProvider } from '../report/model'
import { attemptOutcome, attemptsByGroup, readJournal } from './journal'
import { formatCount } from './messages'
import { stateFromRecords } from './state'
import type { GroupSendState, RecipientRef } from '../../../shared/send/schemas'

export interface SendReportEntry {
  group: GroupKey
  state: GroupSendState
  /** Lists or segments the campaign was addressed to before (replaced by the group's list). */
  replaced: RecipientRef[]
  /** Earlier attempts for this group, oldest first, in plain words. */
  earlier: string[]
}

export function sendReportEntries(jobDir: string): SendReportEntry[] {
  const groups = attemptsByGroup(readJournal(jobDir))
  return GROUP_KEYS.map((group) => {
    const attempts = groups[group]
    const latest = attempts.at(-1)
    return {
      group,
      state: stateFromRecords(group, attempts),
      replaced: latest?.intent.replaced ?? [],
      earlier: attempts.slice(0, -1).map((a) => {
        const outcome = attemptOutcome(a)
        const what = `“${a.intent.campaignName}” to “${a.intent.listName}” (${reportDate(a.intent.at)})`
        if (outcome === 'cancelled')
          return `${what}: scheduled for ${reportDate(a.intent.when)}, then cancelled${a.unscheduled?.by === 'elsewhere' ? ' in Constant Contact' : ''}.`
        if (a.refused) return `${what}: not sent — ${a.refused.message}`
        return `${what}: not sent (the request never reached Constant Contact).`
      }),
    }
  })
}

const PHASE_WORDS: Record<GroupSendState['phase'], string> = {
  not_sent: 'Not sent',
  in_progress: 'Being sent',
  checking: 'Being checked with Constant Contact',
  scheduled: 'Scheduled',
  sending: 'Sending',
  sent: 'Sent',
  unclear: 'Not clear: waiting for your answer',
}

/** One plain sentence per group, for the command's output and the report. */
export function describeSend(state: GroupSendState): string {
  const contacts = state.contacts !== undefined ? ` (${formatCount(state.contacts)} contacts)` : ''
  const copy = state.copyOf ? ` (a copy of “${state.copyOf.campaignName}”)` : ''
  const target = `“${state.campaignName}”${copy} to the list “${state.listName}”${contacts}`
  switch (state.phase) {
    case 'not_sent':
      return state.lastProblem ? `Not sent. ${state.lastProblem}` : 'Not sent.'
    case 'unclear':
      return `${target}: not clear whether this job's send went out. ${state.lastProblem ?? ''}`.trim()
    case 'in_progress':
      return 'Another Splitsend window is sending this right now.'
    case 'checking':
      return `Checking with Constant Contact whether ${target} went out.`
    case 'scheduled':
      return `${target}: scheduled for ${reportDate(state.scheduledFor ?? state.when)}; it can still be cancelled.`
    case 'sending':
      return `${target}: Constant Contact accepted it${state.acceptedAt ? ` on ${reportDate(state.acceptedAt)}` : ''} and is sending it now.`
    case 'sent': {
      const confirmation = state.confirmation
      const record =
        confirmation?.sendId !== undefined
          ? ` Constant Contact’s send record: send #${confirmation.sendId}${confirmation.count !== undefined ? `, ${formatCount(confirmation.count)} recipients` : ''}.`
          : ''
      const how = state.when === 'now' ? 'sent now' : `scheduled for ${reportDate(state.scheduledFor ?? state.when)}`
      return `${target}: ${how}, went out${state.sentAt ? ` on ${reportDate(state.sentAt)}` : ''}.${record}`
    }
  }
}

/**
 * The report's "Sends" section (a ReportSectionProvider of ../report; its build adds it to every
 * report of the job). The send journal is its own file, so the provider reads it from the job folder
 * rather than from the upload journal state.
 */
export function sendReportSection(jobDir: string): ReportSectionProvider {
  return (_state, summary) => {
    const entries = sendReportEntries(jobDir)
    if (entries.every((e) => e.state.campaignId === undefined)) return undefined
    const rows = entries
      .filter((e) => e.state.campaignId !== undefined)
      .map((e) => {
        const s = e.state
        const c = s.confirmation
        return [
          summary.groupNames?.[e.group] ?? `Group ${e.group}`,
          s.copyOf ? `${s.campaignName ?? ''} (a copy of “${s.copyOf.campaignName}”)` : (s.campaignName ?? ''),
          s.listName ?? '',
          s.contacts !== undefined ? formatCount(s.contacts) : '',
          s.when === 'now' ? 'Sent now' : s.when ? `Scheduled for ${reportDate(s.scheduledFor ?? s.when)}` : '',
          PHASE_WORDS[s.phase],
          c
            ? [
                c.sendId !== undefined ? `send #${c.sendId}` : 'accepted',
                c.count !== undefined ? `${formatCount(c.count)} recipients` : '',
                c.runDate ? `on ${reportDate(c.runDate)}` : s.acceptedAt ? `on ${reportDate(s.acceptedAt)}` : '',
                c.source === 'checked_after_interruption' ? '(confirmed by checking after an interruption)' : '',
              ]
                .filter(Boolean)
                .join(', ')
            : '',
        ]
      })
    const paragraphs = entries.flatMap((e) => {
      const name = summary.groupNames?.[e.group] ?? `Group ${e.group}`
      return [
        ...(e.replaced.length
          ? [
              `${name}: the campaign’s earlier recipients (${e.replaced.map((r) => (r.kind === 'segment' ? `segment ${r.id}` : (r.name ?? r.id))).join(', ')}) were replaced by the group’s list.`,
            ]
          : []),
        ...((e.state.phase === 'not_sent' || e.state.phase === 'unclear') && e.state.lastProblem
          ? [`${name}: ${e.state.lastProblem}`]
          : []),
        ...e.earlier.map((line) => `${name}, earlier: ${line}`),
      ]
    })
    return {
      title: 'Sends',
      ...(paragraphs.length ? { paragraphs } : {}),
      table: {
        headers: ['Group', 'Campaign', 'List', 'Contacts', 'When', 'State', 'Constant Contact’s confirmation'],
        rows,
      },
    }
  }
}
