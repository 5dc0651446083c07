/** Messages on the web bridge's WebSocket (JSON text frames). */
export type BridgeClientMessage = { id: number; request: string; input?: unknown }

export type BridgeServerMessage = { id: number; envelope: unknown } | { event: string; payload: unknown }

export const BRIDGE_SOCKET_PATH = '/bridge'
export const BRIDGE_UPLOAD_PATH = '/upload'
/** Browser tests only: the practice account's speed, served by a bridge at the tests' pace (electron/web/test-pace.ts). */
export const TEST_PRACTICE_SPEED_PATH = '/test/practice-speed'
export const TOKEN_HEADER = 'x-splitsend-token'
export const FILE_NAME_HEADER = 'x-splitsend-file-name'
