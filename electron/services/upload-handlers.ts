import type { uploadRequests } from '../../shared/channels/upload'
import type { EventSink } from '../../shared/contract'
import type { AccountService } from './account/index'
import type { Handlers } from './contract-dispatch'

export type UploadRequestName = keyof typeof uploadRequests

export interface StepServiceDeps {
  account: AccountService
  /** `<dataDir>/jobs`: every prepared job's folder. */
  jobsDir: string
  emit: EventSink
}

/** The Upload step over the contract (see shared/channels/upload.ts). */
export function createUploadHandlers(_deps: StepServiceDeps): { handlers: Pick<Handlers, UploadRequestName>; dispose(): Promise<void> } {
  return { handlers: {}, dispose: async () => {} }
}
