/**
 * The one contract between the renderer and the Node side ("main").
 *
 * Every request the renderer can make and every event main pushes is declared once, with a run-time
 * schema, in its step's module in ./channels/; this file assembles them into one object. Main
 * validates every payload against these schemas; the Electron preload and the web bridge's browser
 * side are both generated from this object, so the two transports cannot drift.
 *
 * Pure TypeScript: no Node, DOM or Electron imports (see shared/tsconfig.json).
 */
import type { z } from 'zod'
import type { ContractErrorData } from './errors'
import { accountEvents, accountRequests } from './channels/account'
import { appRequests, type AttachedFile } from './channels/app'
import { jobsRequests } from './channels/jobs'
import { prepareEvents, prepareRequests } from './channels/prepare'
import type { RequestSpec } from './channels/request'
import { routineRequests } from './channels/routines'
import { sendEvents, sendRequests } from './channels/send'
import { uploadEvents, uploadRequests } from './channels/upload'

export const requests = {
  ...appRequests,
  ...accountRequests,
  ...jobsRequests,
  ...prepareRequests,
  ...uploadRequests,
  ...sendRequests,
  ...routineRequests,
} satisfies Record<string, RequestSpec<z.ZodType, z.ZodType>>

export const events = {
  ...accountEvents,
  ...prepareEvents,
  ...uploadEvents,
  ...sendEvents,
} satisfies Record<string, z.ZodType>

// ---------------------------------------------------------------------------------------------
// Types derived from the contract

export type RequestName = keyof typeof requests
export type EventName = keyof typeof events
export type RequestInput<N extends RequestName> = z.input<(typeof requests)[N]['input']>
export type RequestOutput<N extends RequestName> = z.output<(typeof requests)[N]['output']>
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>
/** Requests whose implementation belongs to the host (Electron shell or web bridge), not to the services. */
export type HostRequestName = { [N in RequestName]: (typeof requests)[N]['host'] extends true ? N : never }[RequestName]
export type ServiceRequestName = Exclude<RequestName, HostRequestName>
/** How main pushes an event to the renderer, whichever the transport. */
export type EventSink = <E extends EventName>(event: E, payload: EventPayload<E>) => void

/** What every request resolves to on the wire: errors are data, so both transports carry them alike. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ContractErrorData }

export const requestNames = Object.keys(requests) as RequestName[]
export const eventNames = Object.keys(events) as EventName[]
export const hostRequestNames = requestNames.filter((name): name is HostRequestName => requests[name].host)

/** The Electron IPC channel that carries a request or an event (prefixed, so foreign channels are easy to reject). */
export const requestChannel = (name: RequestName): string => `splitsend:request:${name}`
export const eventChannel = (name: EventName): string => `splitsend:event:${name}`

/**
 * What a transport exposes to the renderer: one function per request (resolving to an envelope),
 * `subscribe` for events, and `attachFile` to hand main a file the person dropped.
 */
export type RawBridge = {
  request: { [N in RequestName]: (input: RequestInput<N>) => Promise<Envelope<RequestOutput<N>>> }
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
  /** Give main a file the person dropped; how the bytes or path travel is the transport's business. */
  attachFile(file: File): Promise<Envelope<AttachedFile>>
  /**
   * A transport that can lose main (the web bridge: `npm run web` may stop and start again) says
   * when it does and when it is back; the desktop app's main process can't go away under its page.
   */
  connection?: { subscribe(listener: (state: BridgeConnection) => void): () => void }
}

/**
 * The web bridge's connection: `connected`; `reconnecting` (the background service stopped: trying
 * again by itself); `refused` (it runs again, but with another access key: the page must be opened
 * at the address it printed).
 */
export type BridgeConnection = 'connected' | 'reconnecting' | 'refused'

/** The renderer finds the desktop app's bridge under this global name. */
export const BRIDGE_GLOBAL = 'splitsend'

// `File` is a DOM type; shared/ must not depend on DOM typings, so it is declared structurally here.
interface File {
  readonly name: string
  readonly size: number
}
