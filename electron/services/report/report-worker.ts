/**
 * Worker thread that writes jobs' reports (./build.ts), so the thread that asks (the Electron main
 * process, the web bridge, the command) never spends the time it takes over every row. Built as its
 * own entry (`out/main/report-worker.js`); started and fed by ./writer.ts only.
 * Message in: {id, jobDir}. Message out: {id, type:'done', report} | {id, type:'error', error, detail?}.
 */
import { parentPort } from 'node:worker_threads'
import { toErrorData, UserFacingError } from '../../../shared/errors'
import { writeJobReport } from './build'

export interface ReportWorkerRequest {
  id: number
  jobDir: string
}

const port = parentPort!

port.on('message', ({ id, jobDir }: ReportWorkerRequest) => {
  try {
    port.postMessage({ id, type: 'done', report: writeJobReport(jobDir) })
  } catch (caught) {
    const error = plainFileError(caught) ?? caught
    const data = toErrorData(error)
    // Unexpected errors keep their details for the log; the person sees the plain message.
    port.postMessage({
      id,
      type: 'error',
      error: data,
      detail: data.code === 'unexpected' ? String((error as Error)?.stack ?? error) : undefined,
    })
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
