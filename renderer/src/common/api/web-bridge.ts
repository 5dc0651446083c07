import {
  eventNames,
  requestNames,
  type BridgeConnection,
  type Envelope,
  type EventName,
  type RawBridge,
  type RequestName,
} from '../../../../shared/contract'
import type { AttachedFile } from '../../../../shared/channels/app'
import { isAllowedExternalUrl } from '../../../../shared/external-links'
import { downloadFrom } from '../download'
import {
  BRIDGE_SOCKET_PATH,
  BRIDGE_UPLOAD_PATH,
  FILE_NAME_HEADER,
  TOKEN_HEADER,
  type BridgeDownload,
  type BridgeServerMessage,
} from '../../../../shared/web-bridge-protocol'

const TOKEN_KEY = 'splitsend.bridgeToken'
const SPREADSHEET_ACCEPT = '.csv,.txt,.tsv,.xlsx,.xlsm,text/csv,text/plain'

/**
 * The browser side of the web bridge: the same RawBridge the Electron preload exposes, built from the
 * same contract, carried over a WebSocket to `npm run web`. Host requests (file picker, external
 * links) are served here in the page, the way a browser does them.
 */
export async function connectWebBridge(): Promise<RawBridge> {
  const token = takeToken()
  if (!token)
    throw new Error('This page was opened without its access key. Open the full address that “npm run web” printed.')
  const { send, subscribe, connection } = await openSocket(token)
  const attachFile = (file: File) => uploadFile(token, file)
  const host = hostRequests(send, attachFile)
  const request = Object.fromEntries(
    requestNames.map((name) => [name, host[name] ?? ((input: unknown) => send(name, input))]),
  ) as RawBridge['request']
  return { request, subscribe, attachFile, connection }
}

type Send = (name: RequestName, input: unknown) => Promise<Envelope<unknown>>
type Connection = NonNullable<RawBridge['connection']>

/** The first wait before connecting again after the background service stopped, and the longest. */
const RECONNECT_FIRST_MS = 250
const RECONNECT_MAX_MS = 3_000

/**
 * The WebSocket to the bridge: requests answered by id, and the events main pushes. When the
 * background service stops, every request waiting for an answer gets `bridge_disconnected`, the
 * page is told at once (`connection`), and the socket is opened again by itself, with the same
 * access key, until the service answers again.
 */
async function openSocket(
  token: string,
): Promise<{ send: Send; subscribe: RawBridge['subscribe']; connection: Connection }> {
  const address = `ws://${location.host}${BRIDGE_SOCKET_PATH}?token=${encodeURIComponent(token)}`
  let nextId = 1
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const states = new Set<(state: BridgeConnection) => void>()
  let state: BridgeConnection = 'connected'
  const setState = (next: BridgeConnection) => {
    if (next === state) return
    state = next
    for (const listener of states) listener(next)
  }

  const receive = (message: MessageEvent) => {
    const data = JSON.parse(String(message.data)) as BridgeServerMessage
    if ('id' in data) {
      pending.get(data.id)?.(data.envelope as Envelope<unknown>)
      pending.delete(data.id)
    } else {
      for (const listener of listeners.get(data.event) ?? []) listener(data.payload)
    }
  }

  let socket: WebSocket
  const adopt = (opened: WebSocket) => {
    socket = opened
    opened.addEventListener('message', receive)
    opened.addEventListener('close', () => {
      for (const settle of pending.values()) settle(disconnected())
      pending.clear()
      setState('reconnecting')
      reconnect(RECONNECT_FIRST_MS)
    })
  }
  const reconnect = (delay: number) =>
    setTimeout(() => {
      openWebSocket(address).then(
        (opened) => {
          adopt(opened)
          setState('connected')
        },
        async () => {
          // The page is served but the socket refused: the service runs again with another key.
          if (await serviceAnswers()) setState('refused')
          reconnect(Math.min(delay * 2, RECONNECT_MAX_MS))
        },
      )
    }, delay)

  adopt(await openWebSocket(address))

  const send: Send = (name, input) => {
    if (socket.readyState !== WebSocket.OPEN) return Promise.resolve(disconnected())
    const id = nextId++
    return new Promise((resolve) => {
      pending.set(id, resolve)
      socket.send(JSON.stringify({ id, request: name, input }))
    })
  }

  const subscribe = (event: EventName, listener: (payload: never) => void) => {
    if (!eventNames.includes(event)) throw new Error(`Unknown event: ${String(event)}`)
    const set = listeners.get(event) ?? new Set()
    listeners.set(event, set)
    const entry = (payload: unknown) => listener(payload as never)
    set.add(entry)
    return () => void set.delete(entry)
  }

  const connection: Connection = {
    subscribe(listener) {
      states.add(listener)
      return () => void states.delete(listener)
    },
  }
  return { send, subscribe: subscribe as RawBridge['subscribe'], connection }
}

function openWebSocket(address: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(address)
    socket.addEventListener('open', () => resolve(socket), { once: true })
    socket.addEventListener(
      'error',
      () => reject(new Error('Splitsend’s background service is not answering. Is “npm run web” still running?')),
      { once: true },
    )
  })
}

/** Whether the bridge serves its page (so a refused socket means another access key, not a stopped service). */
async function serviceAnswers(): Promise<boolean> {
  try {
    return (await fetch('/', { method: 'HEAD', cache: 'no-store' })).ok
  } catch {
    return false
  }
}

/** A dropped or picked file's bytes, posted once; main keeps them in a private temporary file. */
async function uploadFile(token: string, file: File): Promise<Envelope<AttachedFile>> {
  try {
    const response = await fetch(BRIDGE_UPLOAD_PATH, {
      method: 'POST',
      headers: { [TOKEN_HEADER]: token, [FILE_NAME_HEADER]: encodeURIComponent(file.name) },
      body: file,
    })
    if (!response.ok) return disconnected()
    return (await response.json()) as Envelope<AttachedFile>
  } catch {
    return disconnected()
  }
}

type ReportFileInput = { jobId: string; file: 'csv' | 'html' }

/** The host requests, served the way a browser can. */
function hostRequests(
  send: Send,
  attachFile: (file: File) => Promise<Envelope<AttachedFile>>,
): Partial<Record<RequestName, (input: never) => Promise<Envelope<unknown>>>> {
  return {
    'files.pick': async () => {
      const file = await chooseFileWithInput()
      return file ? attachFile(file) : { ok: true, value: null }
    },
    // A browser page cannot choose a folder on disk; main then saves into its default folder.
    'dialog.chooseFolder': async () => ({ ok: true, value: { folder: null, cancelled: false } }),
    'links.openExternal': async ({ url }: { url: string }) => {
      const allowed = isAllowedExternalUrl(url)
      if (allowed) window.open(url, '_blank', 'noopener,noreferrer')
      return { ok: true, value: allowed }
    },
    // A browser can't open a file with another app or show a save dialog: it downloads the report file.
    'report.open': async (input: ReportFileInput) => {
      const downloaded = await downloadReportFile(send, input)
      return downloaded.ok ? { ok: true, value: true } : downloaded
    },
    'report.save': async (input: ReportFileInput) => {
      const downloaded = await downloadReportFile(send, input)
      return downloaded.ok ? { ok: true, value: { saved: true, path: null } } : downloaded
    },
    'report.savePdf': async () => ({
      ok: false,
      error: {
        code: 'not_available_here',
        message: 'Saving as PDF is not available in the browser.',
        hint: 'Download report.html, open it and print it to PDF.',
      },
    }),
  }
}

/** Has the browser download a report file, streamed by the bridge from the stored file. */
async function downloadReportFile(send: Send, input: ReportFileInput): Promise<Envelope<unknown>> {
  const answer = (await send('report.download', input)) as Envelope<BridgeDownload>
  if (!answer.ok) return answer
  downloadFrom(answer.value)
  return { ok: true, value: null }
}

/** Reads the access key from the address (then hides it), keeping it for reloads of this tab only. */
function takeToken(): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token')
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash)
    history.replaceState(null, '', location.pathname + location.search)
    return fromHash
  }
  return sessionStorage.getItem(TOKEN_KEY)
}

function chooseFileWithInput(): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = SPREADSHEET_ACCEPT
    input.style.display = 'none'
    input.addEventListener('change', () => {
      resolve(input.files?.[0] ?? null)
      input.remove()
    })
    input.addEventListener('cancel', () => {
      resolve(null)
      input.remove()
    })
    document.body.append(input)
    input.click()
  })
}

function disconnected(): Envelope<never> {
  return {
    ok: false,
    error: {
      code: 'bridge_disconnected',
      message: 'Splitsend’s background service stopped answering.',
      hint: 'Check that “npm run web” is still running, then reload this page.',
    },
  }
}
