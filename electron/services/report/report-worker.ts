/**
 * Worker thread that writes jobs' reports (./build.ts), so the thread that asks (the Electron main
 * process, the web bridge, the command) never spends the time it takes over every row. Built as its
 * own entry (`out/main/report-worker.js`); started and fed by ./writer.ts only.
 * A request is a job folder; the answer its StoredReport (see ../kept-worker.ts).
 */
import { UserFacingError } from '../../../shared/errors'
import { serveRequests } from '../kept-worker'
import { writeJobReport } from './build'

serveRequests((jobDir: string) => {
  try {
    return writeJobReport(jobDir)
  } catch (error) {
    throw plainFileError(error) ?? error
  }
})
/** The file-system failures a person can do something about, in plain words. */
function plainFileError(error: unknown): UserFacingError | undefined {
  const code = (error as NodeJS.ErrnoException)?.code
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new UserFacingError(
      'report_disk_full',
      'The report couldn’t be written: the disk is full.',
      'Make some room on the disk, then open the report again. Nothing else was changed.',
    )
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
    return new UserFacingError(
      'report_not_writable',
      'The report couldn’t be written: Splitsend may not write into this job’s folder.',
      'Check that Splitsend’s data folder can be written to, then open the report again.',
    )
  return undefined
}
