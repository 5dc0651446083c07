/**
 * Compile-time checks that the Upload step's contract schemas (shared/upload/schemas.ts) describe
 * exactly the Upload engine's own types (./upload/types.ts, ./report/model.ts), minus what stays in
 * main. Nothing here runs; `npm run typecheck` fails if one side changes without the other.
 */
import type { z } from 'zod'
import type {
  AccountListSchema,
  ActivityProgressSchema,
  ImportCountsSchema,
  ListChoiceSchema,
  ReportModelSchema,
  ROW_STATUSES,
  UnfinishedUploadViewSchema,
  UploadChoicesSchema,
  UploadPlanViewSchema,
  UploadProgressViewSchema,
  UploadResultViewSchema,
} from '../../shared/upload/schemas'
import type { ReportModel } from './report/model'
import type { RowStatus } from './report/row-outcomes'
import type {
  ActivityProgress,
  ImportCounts,
  ListChoice,
  PlannedActivity,
  UnfinishedUpload,
  UploadChoices,
  UploadPlan,
  UploadProgress,
  UploadResult,
} from './upload/types'
import type { Assert, Same } from '../../shared/type-equality'

/** The plan as the renderer sees it: no folders, no measuring details, activities without their place in the file. */
export type PlanView = Omit<UploadPlan, 'jobDir' | 'sizing' | 'limits' | 'activities'> & {
  planId: string
  activities: Array<Pick<PlannedActivity, 'id' | 'group' | 'number' | 'count'>>
}
export type ProgressView = Omit<UploadProgress, 'jobDir'>
export type ResultView = Omit<UploadResult, 'report'>
export type UnfinishedView = Omit<UnfinishedUpload, 'jobDir'>

export type UploadSchemaChecks = [
  Assert<Same<z.infer<typeof ListChoiceSchema>, ListChoice>>,
  Assert<Same<z.infer<typeof UploadChoicesSchema>, UploadChoices>>,
  Assert<Same<z.infer<typeof UploadPlanViewSchema>, PlanView>>,
  Assert<Same<z.infer<typeof ImportCountsSchema>, ImportCounts>>,
  Assert<Same<z.infer<typeof ActivityProgressSchema>, ActivityProgress>>,
  Assert<Same<z.infer<typeof UploadProgressViewSchema>, ProgressView>>,
  Assert<Same<z.infer<typeof UploadResultViewSchema>, ResultView>>,
  Assert<Same<z.infer<typeof UnfinishedUploadViewSchema>, UnfinishedView>>,
  Assert<Same<z.infer<typeof ReportModelSchema>, ReportModel>>,
  Assert<Same<(typeof ROW_STATUSES)[number], RowStatus>>,
  Assert<Same<z.infer<typeof AccountListSchema>, { listId: string; name: string; memberCount?: number }>>,
]
