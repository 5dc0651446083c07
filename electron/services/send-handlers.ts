import type { sendRequests } from '../../shared/channels/send'
import type { Handlers } from './contract-dispatch'
import type { StepServiceDeps } from './upload-handlers'

export type SendRequestName = keyof typeof sendRequests


/** The Send step over the contract (see shared/channels/send.ts). */
export function createSendHandlers(_deps: StepServiceDeps): { handlers: Pick<Handlers, SendRequestName>; dispose(): Promise<void> } {
  return { handlers: {}, dispose: async () => {} }
}
