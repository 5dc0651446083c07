import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron'
import { eventChannel, requestChannel, requestNames, type Envelope, type EventSink } from '../../shared/contract'
import { dispatchRequest, type Handlers } from '../services/contract-dispatch'
import { isTrustedSender, type SenderFacts } from './sender-guard'

/**
 * Registers one IPC handler per request in the contract. Each first checks that the sender is the
 * top frame of one of the app's own windows on the app's origin, then validates and serves the request.
 */
export function registerContractHandlers(handlers: Handlers, trustedOrigins: readonly string[]): void {
  for (const name of requestNames) {
    ipcMain.handle(requestChannel(name), async (event, input: unknown): Promise<Envelope<unknown>> => {
      if (!isTrustedSender(senderFacts(event), trustedOrigins)) {
        console.error(
          `[splitsend] Refused ${name} from an untrusted sender (${event.senderFrame?.url ?? 'unknown frame'})`,
        )
        return {
          ok: false,
          error: {
            code: 'untrusted_sender',
            message: 'This request did not come from Splitsend’s own window, so it was refused.',
          },
        }
      }
      return dispatchRequest(handlers, name, input)
    })
  }
}

function senderFacts(event: IpcMainInvokeEvent): SenderFacts {
  const frame = event.senderFrame
  return {
    frameUrl: frame?.url ?? '',
    isTopFrame: frame != null && frame.parent === null,
    isAppWindow: BrowserWindow.fromWebContents(event.sender) !== null,
  }
}

/** Pushes events to every app window. */
export const sendToWindows: EventSink = (event, payload) => {
  for (const window of BrowserWindow.getAllWindows()) {
    if (!window.isDestroyed()) window.webContents.send(eventChannel(event), payload)
  }
}
