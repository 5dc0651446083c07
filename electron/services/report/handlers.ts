import { existsSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import type { HostRequestName, RequestName } from '../../../shared/contract'
import type { Handlers, RequestArgs } from '../contract-dispatch'
import { safeFileName } from '../files/file-names'
import { JOB_FILES } from '../prepare/job-files'
import type { DownloadableFile } from '../prepare/handlers'
import { preparedJobDir } from '../jobs/locations'
import { jobReports, type ReportWriter } from './writer'

/** The Report step's requests the services serve (opening, saving and downloading files are the host's). */
export type ReportRequestName = Exclude<Extract<RequestName, `report.${string}`>, HostRequestName>

/** Requests whose input names a job. */
type JobRequestName = { [N in RequestName]: RequestArgs<N> extends { jobId: string } ? N : never }[RequestName]

export interface ReportHandlerDeps {
  /** `<dataDir>/jobs`: every prepared job's folder. */
  jobsDir: string
  reports?: ReportWriter
}

/**
 * The Report step over the contract (see shared/channels/upload.ts). Every request is served from
 * the report stored in the job folder when it is current; otherwise it waits, without blocking
 * this thread, for the report worker to write it.
 */
export function createReportHandlers({ jobsDir, reports = jobReports }: ReportHandlerDeps): {
  handlers: Pick<Handlers, ReportRequestName>
  /** A report file as stored (current), for a download. */
  fileToDownload(jobId: string, file: 'csv' | 'html'): Promise<DownloadableFile>
  /** Writes a job's report again in the background (after a request that may have added to a journal). */
  journalChanged(jobId: string): void
  dispose(): Promise<void>
} {
  const jobDirOf = (jobId: string): string => preparedJobDir(jobsDir, jobId)
  const report = (jobId: string) => reports.current(jobDirOf(jobId))

  const handlers: Pick<Handlers, ReportRequestName> = {
    'report.model': async ({ jobId }) => (await report(jobId)).model,

    'report.files': async ({ jobId }) => {
      const { csvPath, htmlPath, model } = await report(jobId)
      return { sourceFile: model.sourceFile, folder: dirname(csvPath), csvPath, htmlPath }
    },
  }

  return {
    handlers,
    async fileToDownload(jobId, file) {
      const { csvPath, htmlPath, model } = await report(jobId)
      return {
        path: file === 'csv' ? csvPath : htmlPath,
        fileName: reportFileName(model.sourceFile, file),
        mimeType: file === 'csv' ? 'text/csv;charset=utf-8' : 'text/html;charset=utf-8',
      }
    },
    journalChanged(jobId) {
      if (existsSync(join(jobsDir, jobId, JOB_FILES.summary))) reports.journalChanged(join(jobsDir, jobId))
    },
    dispose: () => reports.settle(),
  }
}

/**
 * The same handlers, each followed by writing its job's report again (in the background): for
 * requests that may add to a job's journal, so the report is ready before anyone asks for it.
 */
export function writingReportAfter<N extends JobRequestName>(
  handlers: Pick<Handlers, N>,
  journalChanged: (jobId: string) => void,
): Pick<Handlers, N> {
  const wrapped: Partial<Record<N, unknown>> = {}
  for (const name of Object.keys(handlers) as N[]) {
    const handler = handlers[name] as (input: { jobId: string }) => unknown
    wrapped[name] = async (input: { jobId: string }) => {
      try {
        return await handler(input)
      } finally {
        journalChanged(input.jobId)
      }
    }
  }
  return wrapped as Pick<Handlers, N>
}

/** A name for a saved copy of a report file: "<source file> – Splitsend report.csv". */
export function reportFileName(sourceFile: string, kind: 'csv' | 'html'): string {
  return `${safeFileName(basename(sourceFile, extname(sourceFile)), 80)} – Splitsend report.${kind}`
}
