/**
 * Plain-data types of the Prepare step, shared by the engine (main / worker thread), the command
 * and the renderer. Everything here is JSON-serialisable so it can cross IPC unchanged.
 */

/** Why a data row could not go into either group. The order is the order of the checks. */
export const PROBLEM_REASONS = [
  'missing_email',
  'invalid_email',
  'missing_flag',
  'unrecognized_flag',
  'conflicting_flag',
  'duplicate',
  'malformed_row',
] as const
export type ProblemReason = (typeof PROBLEM_REASONS)[number]

import type { GroupKey } from '../ids'
export type { GroupKey }
export type ConflictPolicy = 'exclude' | 'first' | 'last'

export type SourceFormat = 'csv' | 'xlsx'
/** Encodings the reader can decode; the names are the ones shown to the person. */
export const TEXT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'macintosh'] as const
export type TextEncoding = (typeof TEXT_ENCODINGS)[number]
export const DELIMITERS = [',', ';', '\t', '|'] as const
export type Delimiter = (typeof DELIMITERS)[number]

/** What a source column is sent to Constant Contact as. */
export type ColumnTarget =
  | { kind: 'email' }
  | { kind: 'flag' }
  | { kind: 'field'; field: ContactFieldName }
  | { kind: 'custom'; name: string }
  | { kind: 'ignore' }

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
 * Which column is which. Columns are identified by their 0-based position, because header names
 * can repeat or be blank.
 */
export interface ColumnMapping {
  emailColumn: number
  flagColumn: number
  /** Extra columns to send. Columns not listed here (or listed as `ignore`) are not sent. */
  fields: Array<{ column: number; target: ColumnTarget }>
}

/** How the source is read. Anything left out is detected. */
export interface ReadOptions {
  encoding?: TextEncoding
  delimiter?: Delimiter
  /** Sheet name (XLSX only). */
  sheet?: string
  /** Excel row number of the header row; 0 means "the file has no header row". */
  headerRow?: number
}

export interface FlagAssignments {
  /** Values (besides the standard ones) that put a row in group 0. Case and surrounding spaces are ignored. */
  group0Values?: string[]
  /** Values (besides the standard ones) that put a row in group 1. */
  group1Values?: string[]
  /** Values whose rows are deliberately left out (reported as `unrecognized_flag`). */
  leaveOutValues?: string[]
}

export interface PrepareOptions extends ReadOptions, FlagAssignments {
  mapping: ColumnMapping
  /** What to do with an address marked 0 on one row and 1 on another. Default `exclude`. */
  onConflict?: ConflictPolicy
  /** Names shown for the groups. Default "Flag 0" and "Flag 1". */
  groupNames?: { '0': string; '1': string }
}

export interface SheetInfo {
  name: string
  /** False when the sheet holds no value at all. */
  hasData: boolean
  hidden: boolean
}

export interface ColumnInfo {
  index: number
  /** The header text, or a generated name ("Column 3") when the file has no header or it is blank. */
  name: string
  /** True when `name` was generated, not read from the file. */
  generated: boolean
}

export interface MappingSuggestion {
  mapping: ColumnMapping
  /** How sure the suggestion for the email / flag column is: `header` (its name), `content` (its values), `none`. */
  emailBasis: 'header' | 'content' | 'none'
  flagBasis: 'header' | 'content' | 'none'
}

export interface FlagValueCount {
  /** The value as it appears (trimmed). */
  value: string
  count: number
  /** Where the value currently goes. */
  assignedTo: GroupKey | 'leave_out' | 'unassigned'
}

/** What `inspect` learns from the beginning of a file. */
export interface SourceInspection {
  path: string
  fileName: string
  sizeBytes: number
  format: SourceFormat
  /** CSV only: the encoding used and whether it was detected or chosen. */
  encoding?: TextEncoding
  encodingDetected?: TextEncoding
  delimiter?: Delimiter
  delimiterDetected?: Delimiter
  /** XLSX only. */
  sheets?: SheetInfo[]
  sheet?: string
  /** Excel row number of the header row, 0 when there is none. */
  headerRow: number
  headerRowDetected: number
  columns: ColumnInfo[]
  /** Up to 50 data rows below the header, every cell as text, padded to the column count. */
  previewRows: Array<{ row: number; cells: string[] }>
  suggestion: MappingSuggestion
  /** Distinct values of the suggested flag column in the sampled rows. */
  flagValues: FlagValueCount[]
  /** CSV only: rough number of rows, from the sampled bytes per row; undefined when the whole file was read. */
  estimatedRows?: number
  /** True when the preview covers the whole file. */
  complete: boolean
  warnings: string[]
}

export interface PrepareProgress {
  phase: 'reading' | 'writing'
  /** Rows read so far (reading) or rows written (writing). */
  rowsDone: number
  /** Units are bytes of the source (reading) or rows (writing). */
  done: number
  total: number
  /** 0..1 over the whole job. */
  fraction: number
}

export type ProblemCounts = Record<ProblemReason, number>

/** The content of `summary.json`. */
export interface PrepareSummary {
  rows: number
  groups: { '0': number; '1': number }
  problems: ProblemCounts
  groupNames: { '0': string; '1': string }
  source: {
    path: string
    fileName: string
    sizeBytes: number
    modifiedAt: string
    format: SourceFormat
    encoding?: TextEncoding
    delimiter?: Delimiter
    sheet?: string
    headerRow: number
  }
  columns: ColumnInfo[]
  mapping: ColumnMapping
  /** The output columns of group-0.csv / group-1.csv, in order. */
  outputColumns: string[]
  onConflict: ConflictPolicy
  flagAssignments: Required<FlagAssignments>
  /** Distinct flag values with their row counts (at most {@link MAX_DISTINCT_FLAG_VALUES}). */
  flagValues: FlagValueCount[]
  /** True when the column had more distinct values than were counted. */
  flagValuesTruncated: boolean
  /** Addresses of 51–80 characters that were accepted (Constant Contact's bulk schema documents 50). */
  longAddresses: number
  warnings: string[]
  preparedAt: string
  durationMs: number
}

export const MAX_DISTINCT_FLAG_VALUES = 200

export type ResultKind = 'group0' | 'group1' | 'problems'

export interface ResultsPageQuery {
  kind: ResultKind
  /** Problems only: just this reason. */
  reason?: ProblemReason
  offset: number
  limit: number
  /** Case-insensitive text that must appear in one of the row's cells. */
  search?: string
}

export interface ResultsRow {
  /** Excel row number in the source file. */
  row: number
  /** Problems only. */
  reason?: ProblemReason
  explanation?: string
  /** Groups: the output columns; problems: the row's original cells. */
  cells: string[]
}

export interface ResultsPage {
  kind: ResultKind
  /** Column names of `cells`. */
  columns: string[]
  /** Rows matching the query (reason and search) in total. */
  total: number
  offset: number
  rows: ResultsRow[]
}
