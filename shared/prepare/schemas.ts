/**
 * The Prepare step's data, as it crosses the contract: each type is declared once, as a zod schema,
 * and its TypeScript type is inferred from it. The engine's own records that hold more (the source
 * file's path, which stays in main) extend these in electron/services/prepare/.
 */
import { z } from 'zod'
import { perGroup } from '../ids'

/**
 * Why a data row could not go into either group. The order is the order of the checks, except that
 * reasons added later come last (a job folder's indexes store a reason by its place here):
 * `email_too_long` is checked right after `invalid_email`, and `overruled_flag` (an address marked
 * for both groups, settled by the person's rule) is not a check of its own row.
 */
export const PROBLEM_REASONS = [
  'missing_email',
  'invalid_email',
  'missing_flag',
  'unrecognized_flag',
  'conflicting_flag',
  'duplicate',
  'malformed_row',
  'email_too_long',
  /** An address marked for both groups, settled by the person's rule (first or last row wins): another row decided. */
  'overruled_flag',
] as const
const ProblemReasonSchema = z.enum(PROBLEM_REASONS)
export type ProblemReason = z.infer<typeof ProblemReasonSchema>

/** Encodings the reader can decode; the names are the ones shown to the person. */
export const TEXT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'macintosh'] as const
const TextEncodingSchema = z.enum(TEXT_ENCODINGS)
export type TextEncoding = z.infer<typeof TextEncodingSchema>

export const DELIMITERS = [',', ';', '\t', '|'] as const
const DelimiterSchema = z.enum(DELIMITERS)
export type Delimiter = z.infer<typeof DelimiterSchema>

const SourceFormatSchema = z.enum(['csv', 'xlsx'])
export type SourceFormat = z.infer<typeof SourceFormatSchema>

/** What to do with an address marked 0 on one row and 1 on another. */
const ConflictPolicySchema = z.enum(['exclude', 'first', 'last'])
export type ConflictPolicy = z.infer<typeof ConflictPolicySchema>

/** Constant Contact's standard contact fields accepted by a bulk import (besides `email`). */
export const CONTACT_FIELDS = [
  'first_name',
  'last_name',
  'job_title',
  'company_name',
  'phone',
  'home_phone',
  'work_phone',
  'mobile_phone',
  'street',
  'street2',
  'city',
  'state',
  'zip',
  'country',
  'birthday_month',
  'birthday_day',
  'anniversary',
] as const
export type ContactFieldName = (typeof CONTACT_FIELDS)[number]

/**
 * A table has at most as many columns as an Excel sheet (A to XFD): the reader refuses a workbook
 * cell beyond them, and a file with more columns, in the same words in the app and the command.
 */
export const MAX_COLUMNS = 16_384
/** Excel's last row: a workbook's row numbers go no further (a CSV file's may). */
export const MAX_ROW_NUMBER = 1_048_576

const count = z.number().int().nonnegative()
/** A column's 0-based position; -1 for "none chosen". */
const column = z
  .number()
  .int()
  .min(-1)
  .max(MAX_COLUMNS - 1)
/**
 * The most of one cell a review table shows (Excel's own cells hold 32,767): a longer one, such as a
 * malformed row's megabytes, is cut with "…". The job's files keep it whole.
 */
export const MAX_SHOWN_CELL_CHARS = 10_000
const cellText = z.string().max(MAX_SHOWN_CELL_CHARS)
const value = z.string().max(1_000)

// ---- choosing what the columns are ----------------------------------------------------------

/** What a source column is sent to Constant Contact as. */
const ColumnTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('email') }),
  z.object({ kind: z.literal('flag') }),
  z.object({ kind: z.literal('field'), field: z.enum(CONTACT_FIELDS) }),
  z.object({ kind: z.literal('custom'), name: z.string().min(1).max(50) }),
  z.object({ kind: z.literal('ignore') }),
])
export type ColumnTarget = z.infer<typeof ColumnTargetSchema>

/**
 * Which column is which. Columns are identified by their 0-based position, because header names
 * can repeat or be blank.
 */
export const ColumnMappingSchema = z.object({
  emailColumn: column,
  flagColumn: column,
  /** Extra columns to send. Columns not listed here (or listed as `ignore`) are not sent. */
  fields: z.array(z.object({ column: column, target: ColumnTargetSchema })).max(1_000),
})
export type ColumnMapping = z.infer<typeof ColumnMappingSchema>

/** How the source is read. Anything left out is detected. */
export const ReadOptionsSchema = z.object({
  encoding: TextEncodingSchema.optional(),
  delimiter: DelimiterSchema.optional(),
  /** Sheet name (XLSX only). */
  sheet: z.string().max(255).optional(),
  /** Excel row number of the header row; 0 means "the file has no header row". */
  headerRow: z.number().int().min(0).max(MAX_ROW_NUMBER).optional(),
})
export type ReadOptions = z.infer<typeof ReadOptionsSchema>

/** Flag values besides the standard ones. Case and surrounding spaces are ignored. */
export const FlagAssignmentsSchema = z.object({
  /** Values that put a row in group 0. */
  group0Values: z.array(value).max(1_000).optional(),
  /** Values that put a row in group 1. */
  group1Values: z.array(value).max(1_000).optional(),
  /** Values whose rows are deliberately left out (reported as `unrecognized_flag`). */
  leaveOutValues: z.array(value).max(1_000).optional(),
})
export type FlagAssignments = z.infer<typeof FlagAssignmentsSchema>

/** The names shown for the groups (default: suggested from the flag column, "Uses app: no" / "Uses app: yes"). */
const groupNames = perGroup(z.string().min(1).max(100))

/** Where rows with an empty flag cell go: listed as problems (the default), left out, or into a group. */
const BLANK_FLAG_CHOICES = ['problem', 'leave_out', '0', '1'] as const
const BlankFlagSchema = z.enum(BLANK_FLAG_CHOICES)
export type BlankFlagChoice = z.infer<typeof BlankFlagSchema>

export const PrepareOptionsSchema = ReadOptionsSchema.extend(FlagAssignmentsSchema.shape).extend({
  /** Where rows whose flag cell is empty go (default `problem`: listed as `missing_flag`). */
  blankFlag: BlankFlagSchema.optional(),
  mapping: ColumnMappingSchema,
  /** Default `exclude`. */
  onConflict: ConflictPolicySchema.optional(),
  groupNames: groupNames.optional(),
})
export type PrepareOptions = z.infer<typeof PrepareOptionsSchema>

// ---- what an inspection finds ---------------------------------------------------------------

const SheetInfoSchema = z.object({
  name: z.string(),
  /** False when the sheet holds no value at all. */
  hasData: z.boolean(),
  /** Its first rows have a column of email addresses: it looks like a contact list. */
  contacts: z.boolean(),
  hidden: z.boolean(),
})
export type SheetInfo = z.infer<typeof SheetInfoSchema>

const ColumnInfoSchema = z.object({
  index: count,
  /** The header text, or a generated name ("Column 3") when the file has no header or it is blank. */
  name: z.string(),
  /** True when `name` was generated, not read from the file. */
  generated: z.boolean(),
})
export type ColumnInfo = z.infer<typeof ColumnInfoSchema>

/** How sure a suggestion is: from the column's `header` name, from its `content`, or `none`. */
const basis = z.enum(['header', 'content', 'none'])
const MappingSuggestionSchema = z.object({ mapping: ColumnMappingSchema, emailBasis: basis, flagBasis: basis })
export type MappingSuggestion = z.infer<typeof MappingSuggestionSchema>

const FlagValueCountSchema = z.object({
  /** The value as it appears (trimmed). */
  value: z.string(),
  count,
  /** Where the value currently goes. */
  assignedTo: z.enum(['0', '1', 'leave_out', 'unassigned']),
})
export type FlagValueCount = z.infer<typeof FlagValueCountSchema>

/** What an inspection learns from the beginning of a file (its path stays in main). */
export const SourceInspectionSchema = z.object({
  fileName: z.string(),
  sizeBytes: count,
  format: SourceFormatSchema,
  /** CSV only: the encoding used and whether it was detected or chosen. */
  encoding: TextEncodingSchema.optional(),
  encodingDetected: TextEncodingSchema.optional(),
  delimiter: DelimiterSchema.optional(),
  delimiterDetected: DelimiterSchema.optional(),
  /** XLSX only. */
  sheets: z.array(SheetInfoSchema).optional(),
  sheet: z.string().optional(),
  /** Excel row number of the header row, 0 when there is none. */
  headerRow: count,
  headerRowDetected: count,
  columns: z.array(ColumnInfoSchema),
  /** Up to 50 data rows below the header, every cell as text, padded to the column count. */
  previewRows: z.array(z.object({ row: count, cells: z.array(z.string()) })),
  suggestion: MappingSuggestionSchema,
  /** Distinct values of the suggested flag column in the sampled rows. */
  flagValues: z.array(FlagValueCountSchema),
  /** Sampled data rows whose flag cell is empty. */
  blankFlags: count,
  /** CSV only: rough number of rows, from the sampled bytes per row; absent when the whole file was read. */
  estimatedRows: count.optional(),
  /** True when the preview covers the whole file. */
  complete: z.boolean(),
  warnings: z.array(z.string()),
})
export type SourceInspectionView = z.infer<typeof SourceInspectionSchema>

// ---- the full pass --------------------------------------------------------------------------

export const PrepareProgressSchema = z.object({
  phase: z.enum(['reading', 'writing']),
  /** Rows read so far (reading) or rows written (writing). */
  rowsDone: count,
  /** Units are bytes of the source (reading) or rows (writing). */
  done: z.number().nonnegative(),
  total: z.number().nonnegative(),
  /** 0..1 over the whole job. */
  fraction: z.number().min(0).max(1),
})
export type PrepareProgress = z.infer<typeof PrepareProgressSchema>

const problemCounts = z.object(
  Object.fromEntries(PROBLEM_REASONS.map((r) => [r, count])) as Record<ProblemReason, typeof count>,
)
export type ProblemCounts = z.infer<typeof problemCounts>

/** One output column's values that were cut to the length a bulk import takes (see field-limits.ts). */
const CutColumnSchema = z.object({
  /** The group files' column (`first_name`, `cf:<name>`…). */
  column: z.string(),
  /** The spreadsheet's column it comes from. */
  sourceColumn: z.string(),
  limit: count,
  /** How many rows had their value cut. */
  rows: count,
  /** Their Excel row numbers, in order (the first 100). */
  firstRows: z.array(count),
})
export type CutColumn = z.infer<typeof CutColumnSchema>

/** A job's summary as the renderer sees it (summary.json also holds the source's path, which stays in main). */
export const PrepareSummarySchema = z.object({
  rows: count,
  groups: perGroup(count),
  problems: problemCounts,
  groupNames: perGroup(z.string()),
  source: z.object({
    fileName: z.string(),
    sizeBytes: count,
    modifiedAt: z.string(),
    format: SourceFormatSchema,
    encoding: TextEncodingSchema.optional(),
    delimiter: DelimiterSchema.optional(),
    sheet: z.string().optional(),
    headerRow: count,
  }),
  columns: z.array(ColumnInfoSchema),
  mapping: ColumnMappingSchema,
  /** The output columns of group-0.csv / group-1.csv, in order. */
  outputColumns: z.array(z.string()),
  onConflict: ConflictPolicySchema,
  flagAssignments: FlagAssignmentsSchema.required(),
  /** Where rows with an empty flag cell went. */
  blankFlag: BlankFlagSchema,
  /** Rows whose flag cell is empty (wherever they went). */
  blankFlags: count,
  /** Distinct flag values with their row counts (at most MAX_DISTINCT_FLAG_VALUES, see classify.ts). */
  flagValues: z.array(FlagValueCountSchema),
  /** True when the column had more distinct values than were counted. */
  flagValuesTruncated: z.boolean(),
  /** Values longer than Constant Contact's import takes, cut at the limit in the group files, per output column. */
  cutValues: z.array(CutColumnSchema),
  warnings: z.array(z.string()),
  preparedAt: z.string(),
  durationMs: z.number().nonnegative(),
})
export type PrepareSummaryView = z.infer<typeof PrepareSummarySchema>

// ---- the review tables ----------------------------------------------------------------------

const ResultKindSchema = z.enum(['group0', 'group1', 'problems'])
export type ResultKind = z.infer<typeof ResultKindSchema>

export const ResultsPageQuerySchema = z.object({
  kind: ResultKindSchema,
  /** Problems only: just this reason. */
  reason: ProblemReasonSchema.optional(),
  offset: count,
  limit: z.number().int().min(1).max(1_000),
  /** Case-insensitive text that must appear in one of the row's cells. */
  search: z.string().max(200).optional(),
})
export type ResultsPageQuery = z.infer<typeof ResultsPageQuerySchema>

const ResultsRowSchema = z.object({
  /** Excel row number in the source file. */
  row: count,
  /** Problems only. */
  reason: ProblemReasonSchema.optional(),
  explanation: z.string().optional(),
  /** Groups: the output columns; problems: the row's original cells. */
  cells: z.array(cellText),
})

export const ResultsPageSchema = z.object({
  kind: ResultKindSchema,
  /** Column names of `cells`. */
  columns: z.array(z.string()),
  /** Rows matching the query (reason and search) in total. */
  total: count,
  offset: count,
  rows: z.array(ResultsRowSchema),
})
export type ResultsPage = z.infer<typeof ResultsPageSchema>
