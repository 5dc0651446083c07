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
import { LastChoicesSchema } from '../prepare/last-choices'
import { request, type RequestSpec } from './request'
import { BridgeDownloadSchema } from '../web-bridge-protocol'

const folder = z.string().min(1).max(4096)
/** The files "Save prepared files…" makes of a job. */
const PreparedCopyKindSchema = z.enum(['group0', 'group1', 'problems', 'summary'])

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
  /**
   * Copy a prepared job's files (the groups, named after them; problems; summary) to a folder, each
   * cell Excel would run as a formula guarded by an apostrophe; returns where they went and, for
   * each, what it is and its name.
   */
  'prepare.save': request(
    z.object({ jobId: JobIdSchema, folder: folder.nullable() }),
    z.object({ folder: z.string(), files: z.array(z.object({ kind: PreparedCopyKindSchema, name: z.string() })) }),
  ),
  /** One of those copies as a download (the web bridge's; the desktop app saves them with prepare.save). */
  'prepare.download': request(z.object({ jobId: JobIdSchema, file: PreparedCopyKindSchema }), BridgeDownloadSchema, {
    host: true,
  }),
  /** The choices of the last upload of a file with these columns (see ../prepare/last-choices.ts), or null. */
  'prepare.lastChoices': request(
    z.object({ columns: z.array(z.string().max(1_000)).max(16_384) }),
    LastChoicesSchema.nullable(),
  ),
} satisfies Record<string, RequestSpec<z.ZodType, z.ZodType>>

export const prepareEvents = {
  /** How far a full Prepare pass has got. */
  'prepare.progress': z.object({ runId: RunIdSchema, progress: PrepareProgressSchema }),
} satisfies Record<string, z.ZodType>
