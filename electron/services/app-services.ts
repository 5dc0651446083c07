import type { EventSink, ServiceRequestName } from '../../shared/contract'
import { UserFacingError } from '../../shared/errors'
import type { Handlers } from './contract-dispatch'
import { FileRegistry } from './files/file-registry'
import { defaultDataDir } from './jobs/locations'
import { createPrepareHandlers } from './prepare-handlers'
import { readSpreadsheetOverview } from './spreadsheet/header-reader'
import { join } from 'node:path'

export interface AppServicesOptions {
  host: 'electron' | 'web'
  version: string
  /** Pushes events to the renderer over whichever transport the host uses. */
  emit: EventSink
  /** Splitsend's working folder (jobs, practice account); defaults to {@link defaultDataDir}. */
  dataDir?: string
}

export type ServiceHandlers = Pick<Handlers, ServiceRequestName>

export interface AppServices {
  handlers: ServiceHandlers
  files: FileRegistry
  dispose(): Promise<void>
}

/**
 * Everything main does for the renderer, independent of Electron: the desktop shell and the web
 * bridge both serve the contract with these handlers, adding only their host-specific ones.
 */
export function createAppServices({ host, version, emit, dataDir = defaultDataDir() }: AppServicesOptions): AppServices {
  const files = new FileRegistry()
  const prepare = createPrepareHandlers({ files, jobsDir: join(dataDir, 'jobs'), emit })
  const readsInProgress = new Map<string, AbortController>()

  const handlers: ServiceHandlers = {
    ...prepare.handlers,
    'app.info': () => ({ name: 'Splitsend', version, host, platform: process.platform }),

    'files.attachPath': ({ path }) => files.attachPath(path),

    'spreadsheet.overview': async ({ fileId }) => {
      const file = files.get(fileId)
      readsInProgress.get(fileId)?.abort()
      const controller = new AbortController()
      readsInProgress.set(fileId, controller)
      try {
        return await readSpreadsheetOverview(file, {
          signal: controller.signal,
          onProgress: (bytesRead, totalBytes) => emit('spreadsheet.progress', { fileId, bytesRead, totalBytes }),
        })
      } finally {
        if (readsInProgress.get(fileId) === controller) readsInProgress.delete(fileId)
      }
    },

    'spreadsheet.cancel': ({ fileId }) => {
      const controller = readsInProgress.get(fileId)
      controller?.abort()
      return controller !== undefined
    },
  }

  return {
    handlers,
    files,
    async dispose() {
      for (const controller of readsInProgress.values()) controller.abort()
      prepare.dispose()
      await files.dispose()
    },
  }
}

/** The error a host gives for a host request it cannot serve itself. */
export function notAvailableHere(what: string): UserFacingError {
  return new UserFacingError('not_available_here', `${what} is not available here.`)
}
