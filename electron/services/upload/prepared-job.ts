import { customFieldName } from '../../../shared/prepare/output-columns'
import { type PrepareSummary, readSummaryFile } from '../prepare/job-files'

/** Reads `summary.json` of a prepared job folder. */
export function readPreparedSummary(jobDir: string): PrepareSummary {
  return readSummaryFile(jobDir, 'Prepare the spreadsheet first, then upload that folder.')
}

/** The custom-field columns of the prepared files (`cf:<prepared name>`) with the label the person gave each. */
export function customFieldColumns(summary: PrepareSummary): Array<{ column: string; label: string }> {
  const labels = new Map<string, string>()
  for (const { target } of summary.mapping.fields) {
    if (target.kind === 'custom')
      labels.set(`cf:${customFieldName(target.name)}`, target.name.trim().slice(0, 50) || customFieldName(target.name))
  }
  return summary.outputColumns
    .filter((c) => c.startsWith('cf:'))
    .map((column) => ({ column, label: labels.get(column) ?? column.slice(3) }))
}
