/** The Upload and Report steps' data as the renderer sees it (inferred from ./schemas.ts). */
import type { z } from 'zod'
import type {
  AccountListSchema,
  ActivityProgressSchema,
  ListChoiceSchema,
  ReportFileKindSchema,
  ReportFilesSchema,
  ReportModelSchema,
  SavedFileSchema,
  UnfinishedUploadViewSchema,
  UploadChoicesSchema,
  UploadJobStatusSchema,
  UploadPlanViewSchema,
  UploadProgressViewSchema,
  UploadResultViewSchema,
} from './schemas'

export type ListChoice = z.infer<typeof ListChoiceSchema>
export type UploadChoices = z.infer<typeof UploadChoicesSchema>
export type AccountList = z.infer<typeof AccountListSchema>
export type UploadPlanView = z.infer<typeof UploadPlanViewSchema>
export type ActivityProgressView = z.infer<typeof ActivityProgressSchema>
export type UploadProgressView = z.infer<typeof UploadProgressViewSchema>
export type UploadResultView = z.infer<typeof UploadResultViewSchema>
export type UnfinishedUploadView = z.infer<typeof UnfinishedUploadViewSchema>
export type UploadJobStatus = z.infer<typeof UploadJobStatusSchema>
export type ReportModelView = z.infer<typeof ReportModelSchema>
export type ReportFileKind = z.infer<typeof ReportFileKindSchema>
export type ReportFiles = z.infer<typeof ReportFilesSchema>
export type SavedFile = z.infer<typeof SavedFileSchema>
