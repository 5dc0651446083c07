/**
 * Compile-time checks that the Send step's contract schemas (shared/send/schemas.ts) describe
 * exactly the Send engine's own types (./send/types.ts). Nothing here runs; `npm run typecheck`
 * fails if one side changes without the other.
 */
import type { z } from 'zod'
import type {
  CampaignChoiceSchema,
  CampaignDetailsSchema,
  GroupSendStateSchema,
  PreflightCheckSchema,
  PreflightResultSchema,
  RecipientRefSchema,
  SendConfirmationSchema,
  SendResultSchema,
  TestSendInputSchema,
  TestSendResultSchema,
  UploadOutcomeSchema,
} from '../../shared/send/schemas'
import type {
  CampaignChoice,
  CampaignDetails,
  GroupSendState,
  PreflightCheck,
  PreflightResult,
  RecipientRef,
  SendConfirmation,
  SendResult,
  TestSendRequest,
  TestSendResult,
  UploadOutcomeForSend,
} from './send/index'
import type { Assert, Same } from '../../shared/type-equality'

export type SendSchemaChecks = [
  Assert<Same<z.infer<typeof CampaignChoiceSchema>, CampaignChoice>>,
  Assert<Same<z.infer<typeof RecipientRefSchema>, RecipientRef>>,
  Assert<Same<z.infer<typeof CampaignDetailsSchema>, CampaignDetails>>,
  Assert<Same<z.infer<typeof UploadOutcomeSchema>, UploadOutcomeForSend>>,
  Assert<Same<z.infer<typeof PreflightCheckSchema>, PreflightCheck>>,
  Assert<Same<z.infer<typeof PreflightResultSchema>, PreflightResult>>,
  Assert<Same<z.infer<typeof SendConfirmationSchema>, SendConfirmation>>,
  Assert<Same<z.infer<typeof GroupSendStateSchema>, GroupSendState>>,
  Assert<Same<z.infer<typeof SendResultSchema>, SendResult>>,
  Assert<Same<z.infer<typeof TestSendResultSchema>, TestSendResult>>,
  // The input the contract accepts is what the engine's test send takes.
  Assert<Same<z.infer<typeof TestSendInputSchema>, TestSendRequest>>,
]
