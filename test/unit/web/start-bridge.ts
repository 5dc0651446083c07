import type { AppServices } from '../../../electron/services/app-services'
import { startWebBridge, type WebBridge, type WebBridgeOptions } from '../../../electron/web/bridge-server'
import { BridgeDownloads } from '../../../electron/web/downloads'
import { createWebHandlers } from '../../../electron/web/web-handlers'

/** A web bridge serving `services` as `npm run web` does (its handlers and downloads), on a free port. */
export function startTestBridge(
  services: AppServices,
  options: Pick<WebBridgeOptions, 'rendererDir' | 'token' | 'maxUploadBytes' | 'setPracticeSpeed'>,
): Promise<WebBridge> {
  const downloads = new BridgeDownloads()
  return startWebBridge({
    ...options,
    handlers: createWebHandlers(services, downloads),
    files: services.files,
    downloads,
    port: 0,
  })
}
