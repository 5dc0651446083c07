import type { EventSink, ServiceRequestName } from '../../shared/contract'
import { UserFacingError } from '../../shared/errors'
import type { Handlers } from './contract-dispatch'
import { FileRegistry } from './files/file-registry'
import { createAccountHandlers } from './account/handlers'
import { createAccountService, type AccountService, type AccountServiceOptions } from './account/index'
import { createCredentialStore } from './credentials'
import { createJobsHandlers } from './jobs/handlers'
import { listJobs } from './jobs/list'
import { defaultDataDir, privateJobsFolder } from './jobs/locations'
import type { CopyKind } from './prepare/copies'
import { createPrepareHandlers, type DownloadableFile } from './prepare/handlers'
import { createReportHandlers, writingReportAfter } from './report/handlers'
import { stopHashWorker } from './routines/hash-thread'
import { stopBodyWorker } from './upload/body-thread'
import { stopLeavingWorker } from './membership/leaving-thread'
import { stopMeasureWorker } from './upload/measure-thread'
import { createRoutineHandlers, type RoutineScheduling } from './routines/handlers'
import { createSendHandlers } from './send/handlers'
import { createUploadHandlers } from './upload/handlers'
import { createUploadRates, UPLOAD_SPEEDS_FILE } from './upload/rates'
import { createLastChoicesStore, LAST_CHOICES_FILE } from './last-choices'
import { join } from 'node:path'

export interface AppServicesOptions {
  host: 'electron' | 'web'
  version: string
  /** Pushes events to the renderer over whichever transport the host uses. */
  emit: EventSink
  /** Splitsend's working folder (jobs, practice account); defaults to {@link defaultDataDir}. */
  dataDir?: string
  /** Where files received as bytes (web bridge) are kept while the app runs; the OS temp folder by default. */
  tempDir?: string
  /**
   * Opens Constant Contact's sign-in page in the system browser (Electron). Hosts without one (the
   * web bridge) leave it out: the page then shows the link from the `account.signIn` event.
   */
  openBrowser?: (url: string) => void | Promise<void>
  /**
   * How a routine's schedule is registered from this host (routines/scheduling.ts); without it, the
   * app shows a schedule but doesn't register one.
   */
  scheduling?: RoutineScheduling
  /**
   * The limiters and the practice account's pace, over Constant Contact's own (4 requests a second,
   * a few seconds an import): only the web bridge's test pace sets them (electron/web/test-pace.ts).
   */
  pace?: Pick<AccountServiceOptions, 'limiter' | 'tokenGate' | 'simulatorFactory'>
}

/** Where a host says nothing (tests of other parts): no schedule is registered from here. */
const NO_SCHEDULING: RoutineScheduling = {
  unavailable: 'Set the schedule with the command: npx splitsend routine schedule <name> --monthly <day> --at <HH:MM>.',
}

type ServiceHandlers = Pick<Handlers, ServiceRequestName>

/** What the Upload and Send steps' handlers work with. */
export interface StepServiceDeps {
  account: AccountService
  /** `<dataDir>/jobs`: every prepared job's folder. */
  jobsDir: string
  emit: EventSink
}

export interface AppServices {
  handlers: ServiceHandlers
  files: FileRegistry
  /** The files a host hands over as downloads (the web bridge streams them; see its downloads.ts). */
  downloadable: {
    report(jobId: string, file: 'csv' | 'html'): Promise<DownloadableFile>
    /** A copy of a prepared file, written into `folder` first. */
    preparedCopy(jobId: string, file: CopyKind, folder: string): Promise<DownloadableFile>
  }
  account: AccountService
  dispose(): Promise<void>
}

/**
 * Everything main does for the renderer, independent of Electron: the desktop shell and the web
 * bridge both serve the contract with these handlers, adding only their host-specific ones.
 */
export function createAppServices({
  host,
  version,
  emit,
  dataDir = defaultDataDir(),
  tempDir,
  openBrowser,
  scheduling = NO_SCHEDULING,
  pace,
}: AppServicesOptions): AppServices {
  const files = new FileRegistry(tempDir)
  const account = createAccountService({
    credentials: createCredentialStore(),
    practiceDataDir: join(dataDir, 'practice-account'),
    ...pace,
    openBrowser: async (url) => {
      emit('account.signIn', { kind: 'browser', url })
      await openBrowser?.(url)
    },
  })
  const jobsDir = privateJobsFolder(dataDir)
  const prepare = createPrepareHandlers({ files, jobsDir, emit })
  // (The last run's choices are read by Prepare and written by Upload, below.)
  const lastChoices = createLastChoicesStore(join(dataDir, LAST_CHOICES_FILE))
  const upload = createUploadHandlers({
    account,
    jobsDir,
    emit,
    rates: createUploadRates(join(dataDir, UPLOAD_SPEEDS_FILE)),
    lastChoices,
  })
  const send = createSendHandlers({ account, jobsDir, emit })
  const report = createReportHandlers({ jobsDir })
  const jobs = createJobsHandlers({ jobsDir, live: upload.live, forget: prepare.forget })
  const {
    'send.send': sendNow,
    'send.copy': copy,
    'send.resolve': resolveSend,
    'send.unschedule': unschedule,
    'send.state': sendState,
    ...sendQueries
  } = send.handlers

  const { 'routines.send': routineSend, ...routines } = createRoutineHandlers({
    dataDir,
    jobsDir,
    account,
    files,
    scheduling,
  })

  const handlers: ServiceHandlers = {
    ...prepare.handlers,
    ...jobs,
    ...createAccountHandlers(account, emit, async () => (await listJobs(jobsDir, upload.live)).some((job) => job.busy)),
    ...upload.handlers,
    ...sendQueries,
    // These may add to the job's send journal: its report is written again, in the background.
    ...writingReportAfter(
      {
        'send.send': sendNow,
        'send.copy': copy,
        'send.resolve': resolveSend,
        'send.unschedule': unschedule,
        'send.state': sendState,
      },
      report.journalChanged,
    ),
    ...report.handlers,
    ...routines,
    // A routine's send adds to the job's send journal too.
    ...writingReportAfter({ 'routines.send': routineSend }, report.journalChanged),
    'app.info': () => ({ name: 'Splitsend', version, host, platform: process.platform }),

    'files.attachPath': ({ path }) => files.attachPath(path),
    'prepare.lastChoices': ({ columns }) => lastChoices.find(columns),
  }

  return {
    handlers,
    files,
    account,
    downloadable: { report: report.fileToDownload, preparedCopy: prepare.copyToDownload },
    async dispose() {
      await Promise.all([upload.dispose(), send.dispose()])
      await report.dispose()
      await account.close()
      await prepare.dispose()
      await Promise.all([stopHashWorker(), stopMeasureWorker(), stopBodyWorker(), stopLeavingWorker()])
      await files.dispose()
    },
  }
}

/** The error a host gives for a host request it cannot serve itself. */
export function notAvailableHere(what: string): UserFacingError {
  return new UserFacingError('not_available_here', `${what} is not available here.`)
}
