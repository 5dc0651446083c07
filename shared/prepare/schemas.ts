/**
 * Run-time schemas of the Prepare types that cross the contract. Each is checked against its
 * TypeScript type in ./types.ts at compile time (see `Same` below), so the two cannot drift.
 */
import { z } from 'zod'
import {
  CONTACT_FIELDS,
  DELIMITERS,
  PROBLEM_REASONS,
  TEXT_ENCODINGS,
  type ColumnInfo,
  type ColumnMapping,
  type FlagAssignments,
  type FlagValueCount,
  type PrepareOptions,
  type PrepareProgress,
  type PrepareSummary,
  type ReadOptions,
  type ResultsPage,
  type ResultsPageQuery,
  type SourceInspection,
} from './types'
import type { Assert, Same } from '../type-equality'
import { perGroup } from '../ids'

export const ProblemReasonSchema = z.enum(PROBLEM_REASONS)
const encoding = z.enum(TEXT_ENCODINGS)
const delimiter = z.enum(DELIMITERS)
const format = z.enum(['csv', 'xlsx'])
const count = z.number().int().nonnegative()
const column = z.number().int().min(-1).max(100_000)
const cellText = z.string().max(100_000)
const value = z.string().max(1_000)

const ColumnTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('email') }),
  z.object({ kind: z.literal('flag') }),
  z.object({ kind: z.literal('field'), field: z.enum(CONTACT_FIELDS) }),
  z.object({ kind: z.literal('custom'), name: z.string().min(1).max(50) }),
  z.object({ kind: z.literal('ignore') }),
])

export const ColumnMappingSchema = z.object({
  emailColumn: column,
  flagColumn: column,
  fields: z.array(z.object({ column: column, target: ColumnTargetSchema })).max(1_000),
})

export const ReadOptionsSchema = z.object({
  encoding: encoding.optional(),
  delimiter: delimiter.optional(),
  sheet: z.string().max(255).optional(),
  headerRow: z.number().int().min(0).max(1_048_576).optional(),
})

export const FlagAssignmentsSchema = z.object({
  group0Values: z.array(value).max(1_000).optional(),
  group1Values: z.array(value).max(1_000).optional(),
  leaveOutValues: z.array(value).max(1_000).optional(),
})

const groupNames = perGroup(z.string().min(1).max(100))

export const PrepareOptionsSchema = ReadOptionsSchema.extend(FlagAssignmentsSchema.shape).extend({
  mapping: ColumnMappingSchema,
  onConflict: z.enum(['exclude', 'first', 'last']).optional(),
  groupNames: groupNames.optional(),
})

const ColumnInfoSchema = z.object({ index: count, name: z.string(), generated: z.boolean() })
const FlagValueCountSchema = z.object({
  value: z.string(),
  count,
  assignedTo: z.enum(['0', '1', 'leave_out', 'unassigned']),
})

/** What the renderer gets from an inspection: everything but the file's path, which stays in main. */
export const SourceInspectionSchema = z.object({
  fileName: z.string(),
  sizeBytes: count,
  format,
  encoding: encoding.optional(),
  encodingDetected: encoding.optional(),
  delimiter: delimiter.optional(),
  delimiterDetected: delimiter.optional(),
  sheets: z.array(z.object({ name: z.string(), hasData: z.boolean(), hidden: z.boolean() })).optional(),
  sheet: z.string().optional(),
  headerRow: count,
  headerRowDetected: count,
  columns: z.array(ColumnInfoSchema),
  previewRows: z.array(z.object({ row: count, cells: z.array(z.string()) })),
  suggestion: z.object({
    mapping: ColumnMappingSchema,
    emailBasis: z.enum(['header', 'content', 'none']),
    flagBasis: z.enum(['header', 'content', 'none']),
  }),
  flagValues: z.array(FlagValueCountSchema),
  estimatedRows: count.optional(),
  complete: z.boolean(),
  warnings: z.array(z.string()),
})

export const PrepareProgressSchema = z.object({
  phase: z.enum(['reading', 'writing']),
  rowsDone: count,
  done: z.number().nonnegative(),
  total: z.number().nonnegative(),
  fraction: z.number().min(0).max(1),
})

const problemCounts = z.object(
  Object.fromEntries(PROBLEM_REASONS.map((r) => [r, count])) as Record<(typeof PROBLEM_REASONS)[number], typeof count>,
)

/** The summary as the renderer sees it: the source's path stays in main. */
export const PrepareSummarySchema = z.object({
  rows: count,
  groups: perGroup(count),
  problems: problemCounts,
  groupNames,
  source: z.object({
    fileName: z.string(),
    sizeBytes: count,
    modifiedAt: z.string(),
    format,
    encoding: encoding.optional(),
    delimiter: delimiter.optional(),
    sheet: z.string().optional(),
    headerRow: count,
  }),
  columns: z.array(ColumnInfoSchema),
  mapping: ColumnMappingSchema,
  outputColumns: z.array(z.string()),
  onConflict: z.enum(['exclude', 'first', 'last']),
  flagAssignments: z.object({
    group0Values: z.array(z.string()),
    group1Values: z.array(z.string()),
    leaveOutValues: z.array(z.string()),
  }),
  flagValues: z.array(FlagValueCountSchema),
  flagValuesTruncated: z.boolean(),
  longAddresses: count,
  warnings: z.array(z.string()),
  preparedAt: z.string(),
  durationMs: z.number().nonnegative(),
})

export const ResultsPageQuerySchema = z.object({
  kind: z.enum(['group0', 'group1', 'problems']),
  reason: ProblemReasonSchema.optional(),
  offset: count,
  limit: z.number().int().min(1).max(1_000),
  search: z.string().max(200).optional(),
})

export const ResultsPageSchema = z.object({
  kind: z.enum(['group0', 'group1', 'problems']),
  columns: z.array(z.string()),
  total: count,
  offset: count,
  rows: z.array(
    z.object({
      row: count,
      reason: ProblemReasonSchema.optional(),
      explanation: z.string().optional(),
      cells: z.array(cellText),
    }),
  ),
})

// ---- compile-time checks that each schema describes exactly its TypeScript type ----
type WithoutPath<T> = Omit<T, 'path'>
export type SchemaChecks = [
  Assert<Same<z.infer<typeof ColumnMappingSchema>, ColumnMapping>>,
  Assert<Same<z.infer<typeof ReadOptionsSchema>, ReadOptions>>,
  Assert<Same<z.infer<typeof FlagAssignmentsSchema>, FlagAssignments>>,
  Assert<Same<z.infer<typeof PrepareOptionsSchema>, PrepareOptions>>,
  Assert<Same<z.infer<typeof ColumnInfoSchema>, ColumnInfo>>,
  Assert<Same<z.infer<typeof FlagValueCountSchema>, FlagValueCount>>,
  Assert<Same<z.infer<typeof SourceInspectionSchema>, WithoutPath<SourceInspection>>>,
  Assert<Same<z.infer<typeof PrepareProgressSchema>, PrepareProgress>>,
  Assert<
    Same<
      z.infer<typeof PrepareSummarySchema>,
      Omit<PrepareSummary, 'source'> & { source: WithoutPath<PrepareSummary['source']> }
    >
  >,
  Assert<Same<z.infer<typeof ResultsPageQuerySchema>, ResultsPageQuery>>,
  Assert<Same<z.infer<typeof ResultsPageSchema>, ResultsPage>>,
]
