import {
  eventNames,
  requestNames,
  type Envelope,
  type EventName,
  type RawBridge,
  type RequestName,
} from '../../../../shared/contract'
import type { AttachedFile } from '../../../../shared/channels/app'
import { isAllowedExternalUrl } from '../../../../shared/external-links'
import { downloadText } from '../download'
import {
  BRIDGE_SOCKET_PATH,
  BRIDGE_UPLOAD_PATH,
  FILE_NAME_HEADER,
  TOKEN_HEADER,
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
  const { send, subscribe } = await openSocket(token)
  const attachFile = (file: File) => uploadFile(token, file)
  const host = hostRequests(send, attachFile)
  const request = Object.fromEntries(
    requestNames.map((name) => [name, host[name] ?? ((input: unknown) => send(name, input))]),
  ) as RawBridge['request']
  return { request, subscribe, attachFile }
}

type Send = (name: RequestName, input: unknown) => Promise<Envelope<unknown>>

/** The WebSocket to the bridge: requests answered by id, and the events main pushes. */
async function openSocket(token: string): Promise<{ send: Send; subscribe: RawBridge['subscribe'] }> {
  const socket = new WebSocket(`ws://${location.host}${BRIDGE_SOCKET_PATH}?token=${encodeURIComponent(token)}`)
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true })
    socket.addEventListener(
      'error',
      () => reject(new Error('Splitsend’s background service is not answering. Is “npm run web” still running?')),
      { once: true },
    )
  })

  let nextId = 1
  const pending = new Map<number, (envelope: Envelope<unknown>) => void>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()

  socket.addEventListener('message', (message) => {
    const data = JSON.parse(String(message.data)) as BridgeServerMessage
    if ('id' in data) {
      pending.get(data.id)?.(data.envelope as Envelope<unknown>)
      pending.delete(data.id)
    } else {
      for (const listener of listeners.get(data.event) ?? []) listener(data.payload)
    }
  })
  socket.addEventListener('close', () => {
    for (const settle of pending.values()) settle(disconnected())
    pending.clear()
  })

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

  return { send, subscribe: subscribe as RawBridge['subscribe'] }
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

/** Fetches a report file's text from main and hands it to the browser as a download. */
async function downloadReportFile(send: Send, input: ReportFileInput): Promise<Envelope<unknown>> {
  const answer = (await send('report.fileText', input)) as Envelope<{
    fileName: string
    mimeType: string
    text: string
  }>
  if (!answer.ok) return answer
  downloadText(answer.value.fileName, answer.value.mimeType, answer.value.text)
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
