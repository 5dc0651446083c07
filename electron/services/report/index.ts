/**
 * The job's report, built from summary.json, the prepared files and the upload journal only, so
 * it can be made (again) at any time, even after a crash:
 *
 *   writeReport(jobDir, { sections? }) → { csvPath, htmlPath, model }
 *     report.csv   one row per row of the source file, in file order: row number, email, group,
 *                  outcome (added to list X / left out: reason / in an activity that reported
 *                  errors / not sent …), details, list, Constant Contact activity ID, status code.
 *                  UTF-8 with BOM (Excel), formula-looking cells neutralised.
 *     report.html  one printable page (file, when, account, lists, counts per group and outcome,
 *                  an inline SVG chart, the activities with IDs and counts, every warning), with
 *                  no scripts and nothing loaded from elsewhere.
 *   `model` is the same summary as plain data, for the Report screen.
 *
 * Later steps add a section with a ReportSectionProvider (see model.ts): e.g. Send passes one
 * that turns its journal entries (`state.other`) into a table of sends.
 * Both files are written to a temporary name, flushed, then renamed, so a reader never sees half.
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs'
import { csvRecord, neutralizeFormula, UTF8_BOM } from '../../../shared/prepare/csv-text'
import { readJournal } from '../upload/journal'
import { replayJournal } from '../upload/journal-state'
import { readPreparedSummary } from '../upload/prepared-job'
import { renderReportHtml } from './html'
import { buildReportModel, type ReportModel, type ReportSectionProvider } from './model'
import { forEachRowOutcome, reportPaths, ROW_STATUS_LABELS, type RowStatus } from './row-outcomes'

export { buildReportModel, type ReportModel, type ReportSection, type ReportSectionProvider } from './model'
export { renderReportHtml } from './html'
export { forEachRowOutcome, reportPaths, ROW_STATUS_LABELS, type RowOutcome, type RowStatus } from './row-outcomes'

export const REPORT_CSV_HEADER = ['Row', 'Email', 'Group', 'Outcome', 'Details', 'List', 'Activity ID', 'Status']

export interface WriteReportOptions {
  /** Extra sections (e.g. sends) added after the upload's. */
  sections?: readonly ReportSectionProvider[]
}

export function writeReport(
  jobDir: string,
  options: WriteReportOptions = {},
): { csvPath: string; htmlPath: string; model: ReportModel } {
  const summary = readPreparedSummary(jobDir)
  const state = replayJournal(readJournal(jobDir) ?? [])
  const paths = reportPaths(jobDir)
  const rowCounts = Object.fromEntries(Object.keys(ROW_STATUS_LABELS).map((k) => [k, 0])) as Record<RowStatus, number>

  writeAtomically(paths.csv, (write) => {
    write(UTF8_BOM + csvRecord(REPORT_CSV_HEADER))
    forEachRowOutcome(jobDir, summary, state, (row) => {
      rowCounts[row.status]++
      write(
        csvRecord(
          [String(row.row), row.email, row.group, row.outcome, row.details, row.list, row.activityId, row.status].map(
            neutralizeFormula,
          ),
        ),
      )
    })
  })
  const model = buildReportModel(summary, state, rowCounts, options.sections ?? [])
  writeAtomically(paths.html, (write) => write(renderReportHtml(model)))
  return { csvPath: paths.csv, htmlPath: paths.html, model }
}

/** Writes through a buffer to `<path>.tmp`, fsyncs, then renames over `path`. */
function writeAtomically(path: string, produce: (write: (text: string) => void) => void): void {
  const temp = `${path}.tmp`
  const fd = openSync(temp, 'w')
  try {
    let pending: string[] = []
    let size = 0
    const flush = (): void => {
      if (pending.length) writeSync(fd, pending.join(''))
      pending = []
      size = 0
    }
    produce((text) => {
      pending.push(text)
      size += text.length
      if (size >= 1 << 20) flush()
    })
    flush()
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temp, path)
}
