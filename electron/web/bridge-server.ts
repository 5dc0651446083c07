import { timingSafeEqual } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, resolve, sep } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { EventName, EventPayload } from '../../shared/contract'
import { toErrorData } from '../../shared/errors'
import { CONTENT_SECURITY_POLICY } from '../../shared/security-policy'
import {
  BRIDGE_DOWNLOAD_PATH,
  BRIDGE_SOCKET_PATH,
  BRIDGE_UPLOAD_PATH,
  FILE_NAME_HEADER,
  TEST_PRACTICE_SPEED_PATH,
  TOKEN_HEADER,
  type BridgeClientMessage,
  type BridgeServerMessage,
} from '../../shared/web-bridge-protocol'
import { dispatchRequest, type Handlers } from '../services/contract-dispatch'
import type { FileRegistry } from '../services/files/file-registry'
import type { BridgeDownloads } from './downloads'

export interface WebBridgeOptions {
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string
  handlers: Handlers
  files: FileRegistry
  /** The downloads the page was offered (see downloads.ts). */
  downloads: BridgeDownloads
  /** The per-run secret every call must carry. */
  token: string
  port?: number
  /** Largest file accepted through the browser. */
  maxUploadBytes?: number
  /**
   * Browser tests only (the bridge started at the tests' pace, ./test-pace.ts): serves
   * `POST /test/practice-speed` (the speed's name as the body, with the token), so a test that
   * watches a run go by can have the practice account work at a person's speed. Absent: no such path.
   */
  setPracticeSpeed?: (name: string) => Promise<boolean>
}

export interface WebBridge {
  url: string
  port: number
  broadcast<E extends EventName>(event: E, payload: EventPayload<E>): void
  close(): Promise<void>
}

/** The largest WebSocket message the bridge reads (requests are small: IDs and choices, never file contents). */
const MAX_MESSAGE_BYTES = 1024 * 1024

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

/**
 * Serves the built renderer to an ordinary browser on 127.0.0.1 and carries the contract over a
 * WebSocket. Only pages that know the per-run token can call it, only from the bridge's own
 * origin and host name (so neither another site nor a DNS-rebinding page can reach it).
 */
export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const rendererRoot = resolve(options.rendererDir)
  const maxUploadBytes = options.maxUploadBytes ?? 2 * 1024 ** 3
  const sockets = new Set<WebSocket>()
  let ownHost = ''

  const tokenMatches = (candidate: string | null | undefined) => {
    if (!candidate) return false
    const a = Buffer.from(candidate)
    const b = Buffer.from(options.token)
    return a.length === b.length && timingSafeEqual(a, b)
  }
  const fromOwnPage = (request: IncomingMessage) =>
    request.headers.host === ownHost &&
    (request.headers.origin === undefined || request.headers.origin === `http://${ownHost}`)

  const server: Server = createServer((request, response) => {
    void handleHttp(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { ok: false, error: toErrorData(error) })
      else response.destroy()
    })
  })

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.headers.host !== ownHost) return sendText(response, 421, 'Wrong host')
    const url = new URL(request.url ?? '/', `http://${ownHost}`)
    if (url.pathname === BRIDGE_UPLOAD_PATH) {
      if (request.method !== 'POST') return sendText(response, 405, 'Method not allowed')
      if (!fromOwnPage(request) || !tokenMatches(request.headers[TOKEN_HEADER] as string | undefined))
        return sendText(response, 403, 'Forbidden')
      const rawName = String(request.headers[FILE_NAME_HEADER] ?? 'spreadsheet')
      let name = 'spreadsheet'
      try {
        name = decodeURIComponent(rawName)
      } catch {
        /* keep the default name */
      }
      try {
        const declared = request.headers['content-length']
        const file = await options.files.attachUpload(
          name,
          request,
          maxUploadBytes,
          declared === undefined ? undefined : Number(declared),
        )
        return sendJson(response, 200, { ok: true, value: file })
      } catch (error) {
        return sendJson(response, 200, { ok: false, error: toErrorData(error) })
      }
    }
    if (url.pathname === TEST_PRACTICE_SPEED_PATH && options.setPracticeSpeed) {
      if (request.method !== 'POST') return sendText(response, 405, 'Method not allowed')
      if (!tokenMatches(request.headers[TOKEN_HEADER] as string | undefined))
        return sendText(response, 403, 'Forbidden')
      const name = await readSmallBody(request)
      return (await options.setPracticeSpeed(name))
        ? sendText(response, 200, name)
        : sendText(response, 400, 'Unknown speed')
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendText(response, 405, 'Method not allowed')
    if (url.pathname.startsWith(BRIDGE_DOWNLOAD_PATH)) {
      if (request.method !== 'GET') return sendText(response, 405, 'Method not allowed')
      if (!fromOwnPage(request)) return sendText(response, 403, 'Forbidden')
      if (!(await options.downloads.serve(url.pathname, response))) sendText(response, 404, 'Not found')
      return
    }
    return serveStatic(url.pathname, response)
  }

  async function serveStatic(pathname: string, response: ServerResponse): Promise<void> {
    let decoded: string
    try {
      decoded = decodeURIComponent(pathname)
    } catch {
      return sendText(response, 400, 'Bad request')
    }
    const target = resolve(join(rendererRoot, decoded === '/' ? 'index.html' : decoded))
    if (!target.startsWith(rendererRoot + sep)) return sendText(response, 404, 'Not found')
    const info = await stat(target).catch(() => undefined)
    if (!info?.isFile()) return sendText(response, 404, 'Not found')
    response.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(target)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    })
    createReadStream(target).pipe(response)
  }

  const socketServer = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  server.on('upgrade', (request, socket, head) => {
    // A connection reset during the handshake must not take the bridge down.
    socket.on('error', () => socket.destroy())
    const url = new URL(request.url ?? '/', `http://${ownHost}`)
    if (
      url.pathname !== BRIDGE_SOCKET_PATH ||
      !fromOwnPage(request) ||
      request.headers.origin === undefined ||
      !tokenMatches(url.searchParams.get('token'))
    ) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      return
    }
    socketServer.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
      // A malformed frame (invalid UTF-8, a message over the size limit, a broken mask) is an
      // 'error' on this socket: ws has already closed it with the right code. Without a listener
      // the error would be thrown and end the whole bridge.
      ws.on('error', () => ws.terminate())
      ws.on('message', (data) => void answer(ws, String(data)))
    })
  })

  async function answer(ws: WebSocket, text: string): Promise<void> {
    let message: BridgeClientMessage
    try {
      message = JSON.parse(text) as BridgeClientMessage
    } catch {
      return
    }
    if (typeof message?.id !== 'number' || typeof message.request !== 'string') return
    const envelope = await dispatchRequest(options.handlers, message.request, message.input)
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: message.id, envelope } satisfies BridgeServerMessage))
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen())
  })
  const port = (server.address() as AddressInfo).port
  ownHost = `127.0.0.1:${port}`

  return {
    port,
    url: `http://${ownHost}/#token=${options.token}`,
    broadcast(event, payload) {
      const frame = JSON.stringify({ event, payload } satisfies BridgeServerMessage)
      for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame)
    },
    async close() {
      options.downloads.close()
      for (const ws of sockets) ws.terminate()
      socketServer.close()
      await new Promise<void>((done) => server.close(() => done()))
    },
  }
}

async function readSmallBody(request: IncomingMessage): Promise<string> {
  let text = ''
  for await (const chunk of request) {
    text += String(chunk)
    if (text.length > 100) break
  }
  return text.trim()
}

function sendText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' })
  response.end(text)
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
  response.end(JSON.stringify(body))
}
