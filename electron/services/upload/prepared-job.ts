import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { UserFacingError } from '../../../shared/errors'
import { customFieldName } from '../../../shared/prepare/output-columns'
import { type PrepareSummary, JOB_FILES } from '../prepare/job-files'
import { shownPath } from '../jobs/locations'

/** Reads `summary.json` of a prepared job folder. */
export function readPreparedSummary(jobDir: string): PrepareSummary {
  try {
    return JSON.parse(readFileSync(join(jobDir, JOB_FILES.summary), 'utf8')) as PrepareSummary
  } catch {
    throw new UserFacingError(
      'job_not_found',
      `The folder ${shownPath(jobDir)} does not hold a prepared job.`,
      'Prepare the spreadsheet first, then upload that folder.',
    )
  }
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
