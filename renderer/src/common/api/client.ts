import { createContext, useContext } from 'react'
import {
  BRIDGE_GLOBAL,
  type AttachedFile,
  type EventName,
  type EventPayload,
  type RawBridge,
  type RequestInput,
  type RequestName,
  type RequestOutput,
} from '../../../../shared/contract'
import type { ContractErrorData } from '../../../../shared/errors'
import { connectWebBridge } from './web-bridge'

/** A failed request, carrying the plain-language message and hint main sent. */
export class ContractError extends Error implements ContractErrorData {
  readonly code: string
  readonly hint?: string
  constructor(data: ContractErrorData) {
    super(data.message)
    this.code = data.code
    if (data.hint !== undefined) this.hint = data.hint
  }
}

/** What screens use: typed calls that resolve to the value or throw a ContractError. */
export interface Api {
  call<N extends RequestName>(
    name: N,
    ...input: RequestInput<N> extends undefined ? [] : [RequestInput<N>]
  ): Promise<RequestOutput<N>>
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
  attachFile(file: File): Promise<AttachedFile>
}

export function createApi(raw: RawBridge): Api {
  const unwrap = async <T>(
    pending: Promise<{ ok: true; value: T } | { ok: false; error: ContractErrorData }>,
  ): Promise<T> => {
    const envelope = await pending
    if (envelope.ok) return envelope.value
    throw new ContractError(envelope.error)
  }
  return {
    call: (name, ...input) =>
      unwrap((raw.request[name] as (i: unknown) => ReturnType<RawBridge['request'][typeof name]>)(input[0])) as never,
    subscribe: (event, listener) => raw.subscribe(event, listener),
    attachFile: (file) => unwrap(raw.attachFile(file)),
  }
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

export function errorData(error: unknown): ContractErrorData {
  if (error instanceof ContractError)
    return error.hint === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, hint: error.hint }
  return { code: 'unexpected', message: error instanceof Error ? error.message : String(error) }
}
