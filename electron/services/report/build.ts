import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { csvRecord, neutralizeFormula, UTF8_BOM } from '../spreadsheet/csv-text'
import { writeFileAtomically, writeJsonAtomically } from '../files/atomic-file'
import { JOB_FILES } from '../prepare/job-files'
import { SEND_JOURNAL_FILE } from '../send/journal'
import { sendReportSection } from '../send/report-section'
import { MEMBERSHIP_JOURNAL } from '../membership/files'
import { forEachRemovalLine, membershipCounts, membershipReportSection, STATUS_WORDS } from '../membership/report'
import { readMembershipState } from '../membership/run'
import { JOURNAL_FILE, readJournal } from '../upload/journal'
import { replayJournal } from '../upload/journal-state'
import { readPreparedSummary } from '../upload/prepared-job'
import { buildReportModel } from './model'
import { ReportModelSchema, type RowStatus } from '../../../shared/upload/schemas'
import { parseJsonAs } from '../files/json-text'
import { renderReportHtml } from './page'
import { forEachRowOutcome, reportPaths, ROW_STATUS_LABELS } from './row-outcomes'

/** Plain words first; Constant Contact's activity ID last, for whoever has to look something up there. */
const REPORT_CSV_HEADER = ['Row', 'Email', 'Group', 'Outcome', 'Details', 'List', 'Status', 'Activity ID (technical)']

/**
 * Changes whenever what a report shows could change: the files it is made from (the prepared
 * job's summary, the upload, membership and send journals) and the way it is written. The journals are
 * only appended to (or cut back after a torn last line), so a change always shows in size or time.
 */
const ReportSourceSchema = z.object({
  format: z.number(),
  files: z.record(z.string(), z.object({ size: z.number(), mtimeMs: z.number() }).nullable()),
})
type ReportSource = z.infer<typeof ReportSourceSchema>

/**
 * Raised when report.html, report.csv or the model change how they are written, so older reports
 * are made again (3: no source path; 4: in the person's words, Constant Contact's terms apart;
 * 5: the lists' removals).
 */
const REPORT_FORMAT = 5
const SOURCE_FILES = [JOB_FILES.summary, JOURNAL_FILE, MEMBERSHIP_JOURNAL, SEND_JOURNAL_FILE]

/** What report.json holds: the Report screen's model and what it was built from. */
const SavedReportSchema = z.object({ builtFrom: ReportSourceSchema, model: ReportModelSchema })

/** A written report: its files (where they are is not kept: they are beside report.json), and what report.json holds. */
export type StoredReport = z.infer<typeof SavedReportSchema> & { csvPath: string; htmlPath: string }

/** What the job's files are now (a few `stat`s: cheap enough to ask on every request). */
function reportSourceOf(jobDir: string): ReportSource {
  const files: ReportSource['files'] = {}
  for (const name of SOURCE_FILES) {
    try {
      const { size, mtimeMs } = statSync(join(jobDir, name))
      files[name] = { size, mtimeMs }
    } catch {
      files[name] = null
    }
  }
  return { format: REPORT_FORMAT, files }
}

/** The report stored in the job folder, if it is of the job as it is now and its files are all there. */
export function readCurrentReport(jobDir: string): StoredReport | undefined {
  const stored = readStoredReport(jobDir)
  return stored && isCurrent(stored, jobDir) ? stored : undefined
}

function isCurrent(report: StoredReport, jobDir: string): boolean {
  return (
    JSON.stringify(report.builtFrom) === JSON.stringify(reportSourceOf(jobDir)) &&
    existsSync(report.csvPath) &&
    existsSync(report.htmlPath)
  )
}

/**
 * The report last written into the job folder, if there is one that can be read. A report.json that
 * doesn't match its schema (damaged, or written differently) is not trusted: the report is written
 * again from the journals, which are the truth of what happened.
 */
function readStoredReport(jobDir: string): StoredReport | undefined {
  const paths = reportPaths(jobDir)
  let text: string
  try {
    text = readFileSync(paths.json, 'utf8')
  } catch {
    return undefined
  }
  const saved = parseJsonAs(SavedReportSchema, text)
  if (saved?.builtFrom.format !== REPORT_FORMAT) return undefined
  return { csvPath: paths.csv, htmlPath: paths.html, model: saved.model, builtFrom: saved.builtFrom }
}

/**
 * Writes the job's whole report from its files, every section included (the upload's, then the
 * sends'): report.csv (one line per row of the source, so it takes time in proportion to the job),
 * report.html, and report.json (the model and what it was built from), each atomically, report.json
 * last: when it says it is current, the other two are too. Runs in the report worker (./writer.ts);
 * the caller makes sure no other write of the same job runs at the same time.
 */
export function writeJobReport(jobDir: string): StoredReport {
  // Taken before anything is read: a journal entry added meanwhile makes this report out of date.
  const builtFrom = reportSourceOf(jobDir)
  const summary = readPreparedSummary(jobDir)
  const state = replayJournal(readJournal(jobDir) ?? [])
  const paths = reportPaths(jobDir)
  const rowCounts = Object.fromEntries(Object.keys(ROW_STATUS_LABELS).map((k) => [k, 0])) as Record<RowStatus, number>

  const warnings: string[] = []
  writeFileAtomically(paths.csv, (write) => {
    write(UTF8_BOM + csvRecord(REPORT_CSV_HEADER))
    forEachRowOutcome(jobDir, summary, state, (row) => {
      rowCounts[row.status]++
      write(
        csvRecord(
          [
            String(row.row),
            row.email,
            row.group,
            row.outcome,
            row.details,
            row.list,
            ROW_STATUS_LABELS[row.status],
            row.activityId,
          ].map(neutralizeFormula),
        ),
      )
    })
    // After the rows of the file: each contact taken off a list (or meant to be), and why. No row
    // number: someone who left the file is not a row of it.
    const other = (g: '0' | '1') => summary.groupNames[g === '0' ? '1' : '0']
    warnings.push(
      ...forEachRemovalLine(jobDir, (line) => {
        const why =
          line.reason === 'moved'
            ? `In “${other(line.group)}” in this file (its flag changed)`
            : `Not in “${summary.groupNames[line.group]}” of this file`
        write(
          csvRecord(
            [
              '',
              line.email,
              summary.groupNames[line.group],
              STATUS_WORDS[line.status],
              why,
              line.listName,
              STATUS_WORDS[line.status],
              line.activityId ?? '',
            ].map(neutralizeFormula),
          ),
        )
      }),
    )
  })
  const membership = readMembershipState(jobDir)
  const model = buildReportModel(summary, state, rowCounts, [
    () => membershipReportSection(jobDir, summary.groupNames),
    sendReportSection(jobDir),
  ])
  const counts = membershipCounts(membership)
  for (const group of model.groups) {
    const c = counts[group.group]
    if (c) Object.assign(group, { movedOut: c.movedOut, removed: c.removed, notRemoved: c.notRemoved })
  }
  model.warnings.push(...warnings)
  writeFileAtomically(paths.html, renderReportHtml(model))
  writeJsonAtomically(paths.json, { builtFrom, model })
  return { csvPath: paths.csv, htmlPath: paths.html, model, builtFrom }
}
