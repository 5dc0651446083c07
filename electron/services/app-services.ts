import type { EventSink, ServiceRequestName } from '../../shared/contract'
import { UserFacingError } from '../../shared/errors'
import type { Handlers } from './contract-dispatch'
import { FileRegistry } from './files/file-registry'
import { readSpreadsheetOverview } from './spreadsheet/header-reader'

export interface AppServicesOptions {
  host: 'electron' | 'web'
  version: string
  /** Pushes events to the renderer over whichever transport the host uses. */
  emit: EventSink
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
export function createAppServices({ host, version, emit }: AppServicesOptions): AppServices {
  const files = new FileRegistry()
  const readsInProgress = new Map<string, AbortController>()

  const handlers: ServiceHandlers = {
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
      await files.dispose()
    },
  }
}

/** The error a host gives for a host request it cannot serve itself. */
export function notAvailableHere(what: string): UserFacingError {
  return new UserFacingError('not_available_here', `${what} is not available here.`)
}
