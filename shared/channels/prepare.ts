/** The Import, Map and Review steps' part of the contract: reading a file and preparing its groups (see ../contract.ts). */
import { z } from 'zod'
import { FileIdSchema, JobIdSchema, RunIdSchema } from '../ids'
import {
  FlagAssignmentsSchema,
  PrepareOptionsSchema,
  PrepareProgressSchema,
  PrepareSummarySchema,
  ReadOptionsSchema,
  ResultsPageQuerySchema,
  ResultsPageSchema,
  SourceInspectionSchema,
} from '../prepare/schemas'
import { request, type RequestSpec } from './request'

const folder = z.string().min(1).max(4096)

export const prepareRequests = {
  /** Read the beginning of a file: format, columns, first rows, suggested mapping (fast, even for huge files). */
  'prepare.inspect': request(
    z.object({
      fileId: FileIdSchema,
      read: ReadOptionsSchema.optional(),
      flagColumn: z.number().int().min(0).optional(),
      flags: FlagAssignmentsSchema.optional(),
    }),
    SourceInspectionSchema,
  ),
  /** The full pass: every row into group 0, group 1 or the problems list, written to the file's job folder. */
  'prepare.run': request(
    z.object({ fileId: FileIdSchema, runId: RunIdSchema, options: PrepareOptionsSchema }),
    z.object({ jobId: JobIdSchema, summary: PrepareSummarySchema }),
  ),
  /** Stop a full pass (the pending run then fails with code `cancelled`). */
  'prepare.cancel': request(z.object({ runId: RunIdSchema }), z.boolean()),
  /** A page of a prepared job's groups or problems, for the review tables. */
  'prepare.page': request(z.object({ jobId: JobIdSchema, query: ResultsPageQuerySchema }), ResultsPageSchema),
  /** Copy a prepared job's files (groups, problems, summary) to a folder; returns where they went. */
  'prepare.save': request(
    z.object({ jobId: JobIdSchema, folder: folder.nullable() }),
    z.object({ folder: z.string(), files: z.array(z.string()) }),
  ),
} satisfies Record<string, RequestSpec<z.ZodType, z.ZodType>>

export const prepareEvents = {
  /** How far a full Prepare pass has got. */
  'prepare.progress': z.object({ runId: RunIdSchema, progress: PrepareProgressSchema }),
} satisfies Record<string, z.ZodType>
