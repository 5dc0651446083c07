import { createContext, useContext } from 'react'
import {
  BRIDGE_GLOBAL,
  type BridgeConnection,
  type Envelope,
  type EventName,
  type EventPayload,
  type RawBridge,
  type RequestInput,
  type RequestName,
  type RequestOutput,
} from '../../../../shared/contract'
import { toErrorData, UserFacingError, type ContractErrorData } from '../../../../shared/errors'
import { connectWebBridge } from './web-bridge'

/** The arguments after a request's name: its input, or none for a request that takes none. */
export type InputArgs<N extends RequestName> = RequestInput<N> extends undefined ? [] : [input: RequestInput<N>]

/**
 * What the screens use: typed calls that resolve to the value or reject with a {@link UserFacingError}
 * carrying the plain-language message and hint main sent (anything else that goes wrong on the way
 * becomes one too, without its internals).
 */
export interface Api {
  call<N extends RequestName>(name: N, ...input: InputArgs<N>): Promise<RequestOutput<N>>
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
  attachFile(file: File): Promise<RequestOutput<'files.attachPath'>>
  /** Tells when the background service stops and when it is back (the web bridge only; always connected otherwise). */
  onConnectionChange(listener: (state: BridgeConnection) => void): () => void
}

function createApi(raw: RawBridge): Api {
  const unwrap = async <T>(pending: () => Promise<Envelope<T>>): Promise<T> => {
    let envelope: Envelope<T>
    try {
      envelope = await pending()
    } catch (error) {
      throw asUserFacing(toErrorData(error))
    }
    if (envelope.ok) return envelope.value
    throw asUserFacing(envelope.error)
  }
  return {
    call: (name, ...input) => unwrap(() => (raw.request[name] as (i: unknown) => Promise<Envelope<never>>)(input[0])),
    subscribe: (event, listener) => raw.subscribe(event, listener),
    attachFile: (file) => unwrap(() => raw.attachFile(file)),
    onConnectionChange: (listener) => raw.connection?.subscribe(listener) ?? (() => {}),
  }
}

function asUserFacing({ code, message, hint }: ContractErrorData): UserFacingError {
  return new UserFacingError(code, message, hint)
}

/** The desktop app's preload puts the bridge on window; otherwise the page talks to the web bridge. */
export async function connectApi(): Promise<Api> {
  const desktop = (window as unknown as Record<string, RawBridge | undefined>)[BRIDGE_GLOBAL]
  return createApi(desktop ?? (await connectWebBridge()))
}

export const ApiContext = createContext<Api | null>(null)

export function useApi(): Api {
  const api = useContext(ApiContext)
  if (!api) throw new Error('useApi() used outside <ApiContext.Provider>')
  return api
}
