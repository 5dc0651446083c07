import { mkdir } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import type { prepareRequests } from '../../../shared/channels/prepare'
import type { EventSink } from '../../../shared/contract'
import { UserFacingError } from '../../../shared/errors'
import type { Handlers } from '../contract-dispatch'
import { safeFileName } from '../files/file-names'
import type { FileRegistry } from '../files/file-registry'
import { defaultExportDir, newJobId } from '../jobs/locations'
import { preparedCopies, type CopyKind } from './copies'
import { runPrepare } from './index'
import type { PrepareSummary } from './job-files'
import { readResultsSummary } from './results'
import { forgetResultsInWorker, resultsPageInWorker, stopResultsWorker } from './results-thread'
import { inspectInWorker, stopInspectWorker, warmInspectWorker } from './inspect-thread'
import { journalsIn } from './job-files'
import { writeCopiesInWorker } from './run'

/**
 * The requests this file serves; the last run's choices are served beside the store that keeps them
 * (app-services.ts), a download by the web bridge (from {@link PrepareHandlers.copyToDownload}).
 */
type PrepareRequest = Exclude<keyof typeof prepareRequests, 'prepare.lastChoices' | 'prepare.download'>

/** A file on disk to hand to the person as a download, and how to name and describe it. */
export interface DownloadableFile {
  path: string
  fileName: string
  mimeType: string
}

export interface PrepareHandlers {
  handlers: Pick<Handlers, PrepareRequest>
  /** Writes one copy of "Save prepared files…" into `folder` (in a worker), for a download. */
  copyToDownload(jobId: string, file: CopyKind, folder: string): Promise<DownloadableFile>
  /** Closes what is kept open of a job's results (before its folder is removed). */
  forget(jobId: string): Promise<void>
  dispose(): Promise<void>
}

/**
 * The Prepare step over the contract: each attached file gets one working job folder under
 * `jobsDir`; running the pass again (after the person changes the mapping) rewrites it, until that
 * job is uploaded: a pass after that makes a new job.
 */
export function createPrepareHandlers({
  files,
  jobsDir,
  emit,
}: {
  files: FileRegistry
  jobsDir: string
  emit: EventSink
}): PrepareHandlers {
  warmInspectWorker()
  const jobOfFile = new Map<string, string>()
  const runs = new Map<string, AbortController>()

  /**
   * The job folder a file's passes write into: the same one while the person changes their choices,
   * and a new one once that job has been uploaded, which then stays as it was (its journals
   * describe its data).
   */
  const workingJobOf = (fileId: string, fileName: string): string => {
    const current = jobOfFile.get(fileId)
    const jobId = current && journalsIn(join(jobsDir, current)).length === 0 ? current : newJobId(fileName)
    jobOfFile.set(fileId, jobId)
    return jobId
  }
  const forgetResults = (jobId: string): Promise<void> => forgetResultsInWorker(join(jobsDir, jobId))
  const summaryOf = (jobId: string): PrepareSummary => readResultsSummary(join(jobsDir, jobId))

  const handlers: PrepareHandlers['handlers'] = {
    'prepare.inspect': ({ fileId, read, flagColumn, flags }) =>
      inspectInWorker(files.get(fileId).path, {
        ...read,
        ...flags,
        ...(flagColumn === undefined ? {} : { flagColumn }),
      }),

    'prepare.run': async ({ fileId, runId, options }) => {
      const file = files.get(fileId)
      const jobId = workingJobOf(fileId, file.name)
      // One pass per job at a time: a new one (the person changed something) replaces the old.
      for (const [id, controller] of runs) if (id.startsWith(`${jobId}/`)) controller.abort()
      const key = `${jobId}/${runId}`
      const controller = new AbortController()
      runs.set(key, controller)
      try {
        // The results worker lets go of the files this pass rewrites (its next page opens them anew).
        await forgetResults(jobId)
        const outDir = join(jobsDir, jobId)
        const summary = await runPrepare(file.path, options, {
          outDir,
          signal: controller.signal,
          onProgress: (progress) => emit('prepare.progress', { runId, progress }),
        })
        return { jobId, summary }
      } catch (error) {
        if (controller.signal.aborted) throw new UserFacingError('cancelled', 'Preparing the groups was stopped.')
        throw error
      } finally {
        runs.delete(key)
      }
    },

    'prepare.cancel': ({ runId }) => {
      const entry = [...runs.entries()].find(([key]) => key.endsWith(`/${runId}`))
      entry?.[1].abort()
      return entry !== undefined
    },

    'prepare.page': ({ jobId, query }) => resultsPageInWorker(join(jobsDir, jobId), query),

    'prepare.save': async ({ jobId, folder }) => {
      const summary = summaryOf(jobId)
      const target = await freeFolder(
        folder ?? defaultExportDir(),
        `${safeFileName(basename(summary.source.fileName, extname(summary.source.fileName)), 80)} – prepared ${summary.preparedAt.slice(0, 10)}`,
      )
      const copies = preparedCopies(summary)
      await writeCopiesInWorker(join(jobsDir, jobId), target, copies)
      return { folder: target, files: copies.map(({ kind, name }) => ({ kind, name })) }
    },
  }

  return {
    handlers,
    async copyToDownload(jobId, file, folder) {
      const copy = preparedCopies(summaryOf(jobId)).find((c) => c.kind === file)!
      await writeCopiesInWorker(join(jobsDir, jobId), folder, [copy])
      return {
        path: join(folder, copy.name),
        fileName: copy.name,
        mimeType: copy.name.endsWith('.json') ? 'application/json' : 'text/csv;charset=utf-8',
      }
    },
    forget: forgetResults,
    async dispose() {
      for (const controller of runs.values()) controller.abort()
      await Promise.all([stopInspectWorker(), stopResultsWorker()])
    },
  }
}

/** A new folder named `name` inside `parent`, adding " (2)", " (3)"… rather than mixing with an earlier save. */
async function freeFolder(parent: string, name: string): Promise<string> {
  await mkdir(parent, { recursive: true })
  for (let n = 1; n < 1000; n++) {
    const candidate = join(parent, n === 1 ? name : `${name} (${n})`)
    try {
      await mkdir(candidate)
      return candidate
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new UserFacingError(
          'cannot_save',
          `Splitsend could not create a folder in “${parent}”.`,
          'Choose another folder, one you can write to.',
        )
      }
    }
  }
  throw new UserFacingError(
    'cannot_save',
    `“${parent}” already holds too many saved copies of this job.`,
    'Choose another folder.',
  )
}
