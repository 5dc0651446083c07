import { z } from 'zod'

/** Messages on the web bridge's WebSocket (JSON text frames). */
export type BridgeClientMessage = { id: number; request: string; input?: unknown }

export type BridgeServerMessage = { id: number; envelope: unknown } | { event: string; payload: unknown }

export const BRIDGE_SOCKET_PATH = '/bridge'
export const BRIDGE_UPLOAD_PATH = '/upload'
/** Followed by a download's one-time key (see {@link BridgeDownloadSchema}). */
export const BRIDGE_DOWNLOAD_PATH = '/download/'
/** Browser tests only: the practice account's speed, served by a bridge at the tests' pace (electron/web/test-pace.ts). */
export const TEST_PRACTICE_SPEED_PATH = '/test/practice-speed'
export const TOKEN_HEADER = 'x-splitsend-token'
export const FILE_NAME_HEADER = 'x-splitsend-file-name'

/**
 * A file the page downloads from the web bridge (a report, a prepared file's copy): streamed from
 * disk by the bridge's HTTP server at an address that serves it once, within a minute; the browser
 * saves it as it arrives, so the file never crosses the contract.
 */
export const BridgeDownloadSchema = z.object({
  url: z.string().regex(/^\/download\/[A-Za-z0-9_-]{20,100}$/),
  fileName: z.string().max(300),
})
export type BridgeDownload = z.infer<typeof BridgeDownloadSchema>
