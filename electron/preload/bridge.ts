import {
  eventChannel,
  eventNames,
  requestChannel,
  requestNames,
  type Envelope,
  type EventName,
  type RawBridge,
} from '../../shared/contract'

/** The part of ipcRenderer the preload uses; the page never gets ipcRenderer itself. */
export interface PreloadIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown
}

/**
 * Builds the page's bridge from the contract: one function per request, `subscribe` for events
 * (returning its own unsubscribe), and `attachFile` for dropped files. Nothing else crosses over.
 */
export function createPreloadBridge(ipc: PreloadIpc, pathForFile: (file: File) => string): RawBridge {
  const request = Object.fromEntries(
    requestNames.map((name) => [name, (input: unknown) => ipc.invoke(requestChannel(name), input)]),
  ) as RawBridge['request']

  const subscribe = (event: EventName, listener: (payload: never) => void): (() => void) => {
    if (!eventNames.includes(event)) throw new Error(`Unknown event: ${String(event)}`)
    const channel = eventChannel(event)
    // The IPC event (which carries the sender) is deliberately not passed on to the page.
    const forward = (_event: unknown, payload: unknown) => listener(payload as never)
    ipc.on(channel, forward)
    return () => void ipc.removeListener(channel, forward)
  }

  const attachFile = async (file: File) => {
    const path = pathForFile(file)
    if (!path) {
      return {
        ok: false,
        error: {
          code: 'not_a_file',
          message: `“${file.name}” is not a file on this computer.`,
          hint: 'Save it to a folder first, then drop it here.',
        },
      } satisfies Envelope<never>
    }
    return request['files.attachPath']({ path })
  }

  return { request, subscribe: subscribe as RawBridge['subscribe'], attachFile }
}
