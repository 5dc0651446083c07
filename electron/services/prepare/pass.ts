import { mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { AddressBook } from '../../../shared/prepare/classify'
import { PassClassifier } from './pass-classifier'
import { csvRecord } from '../spreadsheet/csv-text'
import { describeCut } from '../../../shared/prepare/words'
import {
  PROBLEM_REASONS,
  type ConflictPolicy,
  type CutColumn,
  type PrepareOptions,
  type PrepareProgress,
  type ProblemCounts,
} from '../../../shared/prepare/schemas'
import { GROUP_KEYS, type GroupKey } from '../../../shared/ids'
import {
  type PrepareSummary,
  type PreparedJob,
  JOB_FILES,
  NEW_JOB_HINT,
  ProblemSpool,
  refuseUsedJobFolder,
} from './job-files'
import { writeJsonAtomically } from '../files/atomic-file'
import { PRIVATE_FOLDER_MODE } from '../files/private'
import { openSource, type OpenedSource, type RowReadResult } from '../spreadsheet/source'
import { conflictRows, type ConflictRow } from './conflicts'
import { passWays, type PassWays, type SpeedHooks } from './fast'
import type { GroupFilePaths, GroupFiles } from './group-files'
import { flagRules } from './inspect'
import { writeProblemsFile } from './problems-file'
import type { RowSorter } from './row-sorter'
import { readTableLayout, type TableLayout } from './table-layout'
import type { TableStart } from './table-start'

export interface PrepareHooks extends SpeedHooks {
  onProgress?(progress: PrepareProgress): void
  signal?: AbortSignal
}

/** The share of the progress bar the read takes; writing problems.csv takes the rest. */
const READING_SHARE = 0.8
const PROGRESS_INTERVAL_MS = 100

/**
 * The full pass: reads every row of the source once, applies the rules, and writes the job folder
 * (group-0.csv, group-1.csv, problems.csv with their indexes, summary.json, job.json). Runs in
 * the prepare worker; see index.ts for the public entry point. Memory holds only the addresses.
 */
export async function prepareJob(
  path: string,
  options: PrepareOptions,
  outDir: string,
  hooks: PrepareHooks = {},
): Promise<PrepareSummary> {
  refuseUsedJobFolder(outDir, NEW_JOB_HINT)
  const startedAt = Date.now()
  const onConflict = settledConflictPolicy(options)
  const source = await openSource(path, options)
  const folder = new JobFolder(outDir)
  let groups: GroupFiles | null = null
  try {
    const { layout: table, start } = await readTableLayout(source, options, hooks.signal)
    const choices: Choices = { onConflict, groupNames: table.explain.groupNames }
    folder.create()
    const progress = progressReporter(hooks.onProgress)
    const ways = passWays(source, table, hooks)
    const classifier = new PassClassifier({ ...options, onConflict: choices.onConflict })
    const book = classifier.addresses
    reserveAddressRoom(book, source, start)
    groups = ways.openGroupFiles(folder.groupFilePaths(), csvRecord(table.outputHeaders))
    const spool = new ProblemSpool(folder.file(JOB_FILES.spool))
    const sorter = ways.rowSorter(table, classifier, groups, spool)
    const read = await sortRows(source, sorter, ways, table.width, progress, hooks.signal)
    spool.close()
    hooks.signal?.throwIfAborted()

    const conflicts = await takeOutConflicts(sorter, book, groups, source, hooks.signal)
    const groupRows = groups.counts['0'] + groups.counts['1'] - conflicts.rows.length
    const problems = writeProblemsFile({
      csvPath: folder.file(JOB_FILES.problems),
      indexPath: folder.file(JOB_FILES.problemsIndex),
      columns: table.columns,
      spool,
      conflicts: conflicts.rows,
      conflictCells: conflicts.cells,
      book,
      onConflict: choices.onConflict,
      explain: table.explain,
      onProgress: (written) => {
        hooks.signal?.throwIfAborted()
        progress.report(writingProgress(groupRows + written, sorter.rows))
      },
    })
    rmSync(join(outDir, JOB_FILES.spool), { force: true })
    await conflicts.groupsFinished
    const counts = {
      ...countOutcomes(sorter, groups, conflicts.rows, problems),
      cutValues: cutColumns(sorter, table, conflicts.rows),
    }

    const summary = describeJob({ path, options, choices, source, table, classifier, read, counts, startedAt })
    const job = jobRecord(summary, options, choices, source)
    writeJsonAtomically(folder.file(JOB_FILES.summary), summary)
    // job.json last: its presence means the folder is complete.
    writeJsonAtomically(folder.file(JOB_FILES.job), job, { syncFolder: true })
    progress.report(
      { phase: 'writing', rowsDone: counts.rows, done: counts.rows, total: counts.rows, fraction: 1 },
      true,
    )
    return summary
  } catch (error) {
    await groups?.abort()
    folder.removeWritten()
    throw error
  } finally {
    source.close()
  }
}

/** The choices the pass applies where the options leave them open (the names: see readTableLayout). */
interface Choices {
  groupNames: Record<GroupKey, string>
  onConflict: ConflictPolicy
}

/** The conflict rule; fails early, in plain words, on flag values assigned twice. */
function settledConflictPolicy(options: PrepareOptions): ConflictPolicy {
  flagRules(options)
  return options.onConflict ?? 'exclude'
}

/** The job folder, and the files the pass has written in it (removed again when the pass fails). */
class JobFolder {
  private readonly written: string[] = []

  constructor(private readonly dir: string) {}

  /**
   * Made the owner's only; a folder the person named that exists already (the command's `--out .`)
   * keeps its permissions: it may be theirs for other things too, and the job's files are 0600.
   */
  create(): void {
    mkdirSync(this.dir, { recursive: true, mode: PRIVATE_FOLDER_MODE })
  }

  /** The path of one of the job's files, noted as written. */
  file(name: string): string {
    const full = join(this.dir, name)
    this.written.push(full)
    return full
  }

  groupFilePaths(): Record<GroupKey, GroupFilePaths> {
    return {
      '0': { csv: this.file(JOB_FILES.group0), index: this.file(JOB_FILES.group0Index) },
      '1': { csv: this.file(JOB_FILES.group1), index: this.file(JOB_FILES.group1Index) },
    }
  }

  removeWritten(): void {
    for (const path of this.written) rmSync(path, { force: true })
  }
}

/**
 * Makes room in the address table for as many addresses as a CSV file is likely to have rows,
 * judged by the length of the rows at its start (their cells and separators: a character is at
 * least a byte).
 */
function reserveAddressRoom(book: AddressBook, source: OpenedSource, start: TableStart): void {
  if (source.format !== 'csv' || start.complete) return
  const sampleChars = start.rows.reduce(
    (sum, row) => sum + row.cells.reduce((cells, cell) => cells + cell.length + 1, 1),
    0,
  )
  if (sampleChars > 0) book.reserve(Math.floor((source.sizeBytes / sampleChars) * start.rows.length))
}

/** Stage 1: reads every row of the source once, each one sorted as it comes (see RowSorter). */
function sortRows(
  source: OpenedSource,
  sorter: RowSorter,
  ways: PassWays,
  width: number,
  progress: ProgressReporter,
  signal: AbortSignal | undefined,
): Promise<RowReadResult> {
  return source.readRows(sorter, {
    expectedWidth: width,
    ...(ways.csvReader ? { csvReader: ways.csvReader } : {}),
    ...(signal ? { signal } : {}),
    onProgress: (done, total) =>
      progress.report({
        phase: 'reading',
        rowsDone: sorter.rows,
        done,
        total,
        fraction: total > 0 ? (done / total) * READING_SHARE : 0,
      }),
  })
}

/**
 * Stage 2, once every address is known: takes the group rows whose address turned out to be in
 * both groups (and lost under the conflict policy) out of the group files, and reads their cells
 * again, for problems.csv. With a helper thread the group files are finished there while the
 * problems are written here: `groupsFinished` settles when they are.
 */
async function takeOutConflicts(
  sorter: RowSorter,
  book: AddressBook,
  groups: GroupFiles,
  source: OpenedSource,
  signal: AbortSignal | undefined,
): Promise<{ rows: ConflictRow[]; cells: Map<number, string[]>; groupsFinished: Promise<void> }> {
  const { rows, drop } = conflictRows(sorter.placed, book)
  const groupsFinished = groups.close(drop)
  groupsFinished.catch(() => {}) // a failure is thrown where it is awaited
  const cells = await source.fetchRows(rows, signal)
  signal?.throwIfAborted()
  return { rows, cells, groupsFinished }
}

interface Outcomes {
  rows: number
  groups: Record<GroupKey, number>
  problems: ProblemCounts
  cutValues: CutColumn[]
  widerRows: number
}

/** What the job holds in the end; throws when a row was lost or written twice. */
function countOutcomes(
  sorter: RowSorter,
  groups: GroupFiles,
  conflicts: ConflictRow[],
  problems: ProblemCounts,
): Outcomes {
  const kept = { '0': groups.counts['0'], '1': groups.counts['1'] }
  for (const key of GROUP_KEYS) kept[key] -= conflicts.filter((m) => m.key === key).length
  const problemTotal = PROBLEM_REASONS.reduce((sum, reason) => sum + problems[reason], 0)
  if (kept['0'] + kept['1'] + problemTotal !== sorter.rows) {
    throw new Error(
      `Accounting mismatch: ${sorter.rows} rows read, ${kept['0']} + ${kept['1']} + ${problemTotal} written`,
    )
  }
  return { rows: sorter.rows, groups: kept, problems, cutValues: [], widerRows: sorter.widerRows }
}

/** The most row numbers of one column's cut values kept in summary.json (the count is exact). */
const CUT_ROWS_LISTED = 100

/** Per output column, the rows of the group files whose value was cut (rows taken out as conflicts aside). */
function cutColumns(sorter: RowSorter, table: TableLayout, conflicts: readonly ConflictRow[]): CutColumn[] {
  const gone = new Set(conflicts.map((c) => c.row))
  return table.outputHeaders.flatMap((column, i): CutColumn[] => {
    const rows = sorter.cuts.rows[i]!.filter((row) => !gone.has(row)).sort((a, b) => a - b)
    if (rows.length === 0) return []
    return [
      {
        column,
        sourceColumn: table.columns[table.outputSources[i]!]?.name ?? column,
        limit: table.outputLimits[i]!,
        rows: rows.length,
        firstRows: rows.slice(0, CUT_ROWS_LISTED),
      },
    ]
  })
}

interface JobFacts {
  path: string
  options: PrepareOptions
  choices: Choices
  source: OpenedSource
  table: TableLayout
  classifier: PassClassifier
  read: RowReadResult
  counts: Outcomes
  startedAt: number
}

/** summary.json: what the pass found, for the person and for the steps after it. */
function describeJob(facts: JobFacts): PrepareSummary {
  const { path, options, choices, source, table, classifier, counts } = facts
  return {
    rows: counts.rows,
    groups: counts.groups,
    problems: counts.problems,
    groupNames: choices.groupNames,
    source: {
      path,
      fileName: source.fileName,
      sizeBytes: source.sizeBytes,
      modifiedAt: statSync(path).mtime.toISOString(),
      format: source.format,
      ...(source.encoding ? { encoding: source.encoding } : {}),
      ...(source.delimiter ? { delimiter: source.delimiter } : {}),
      ...(source.sheet ? { sheet: source.sheet } : {}),
      headerRow: table.headerRow,
    },
    columns: table.columns,
    mapping: options.mapping,
    outputColumns: table.outputHeaders,
    onConflict: choices.onConflict,
    flagAssignments: flagAssignments(options),
    blankFlag: classifier.flagRules.blank,
    blankFlags: classifier.flagValues.blanks,
    flagValues: classifier.flagValues.list(classifier.flagRules),
    flagValuesTruncated: classifier.flagValues.truncated,
    cutValues: counts.cutValues,
    warnings: jobWarnings(facts),
    preparedAt: new Date().toISOString(),
    durationMs: Date.now() - facts.startedAt,
  }
}

function flagAssignments(options: PrepareOptions): PrepareSummary['flagAssignments'] {
  return {
    group0Values: options.group0Values ?? [],
    group1Values: options.group1Values ?? [],
    leaveOutValues: options.leaveOutValues ?? [],
  }
}

/** What the person should know about the result besides the counts. */
function jobWarnings({ counts, read, source }: JobFacts): string[] {
  const warnings: string[] = []
  const { cutValues, widerRows } = counts
  for (const cut of cutValues) warnings.push(describeCut(cut))
  if (read.undecodable) {
    warnings.push(
      `Some characters could not be read as ${source.encoding}; if names or addresses look wrong, choose another encoding and prepare again.`,
    )
  }
  if (widerRows > 0)
    warnings.push(
      `${widerRows} ${widerRows === 1 ? 'row has' : 'rows have'} more cells than the header has columns; the extra cells were not used.`,
    )
  return warnings
}

/** job.json: the options as applied, so that the upload step can run from the folder alone. */
function jobRecord(
  summary: PrepareSummary,
  options: PrepareOptions,
  choices: Choices,
  source: OpenedSource,
): PreparedJob {
  return {
    version: 1,
    status: 'prepared',
    preparedAt: summary.preparedAt,
    source: summary.source,
    options: {
      ...options,
      ...flagAssignments(options),
      ...(source.encoding ? { encoding: source.encoding } : {}),
      ...(source.delimiter ? { delimiter: source.delimiter } : {}),
      ...(source.sheet ? { sheet: source.sheet } : {}),
      headerRow: summary.source.headerRow,
      onConflict: choices.onConflict,
      groupNames: choices.groupNames,
    },
    columns: summary.columns,
    outputColumns: summary.outputColumns,
    counts: { rows: summary.rows, groups: summary.groups, problems: summary.problems },
    files: JOB_FILES,
    indexFormat:
      'one 16-byte little-endian entry per CSV record: float64 byte offset, uint32 source row, uint32 reason index (0xffffffff for groups)',
  }
}

/** Progress while problems.csv is written: rows now in their place, of `rows`. */
function writingProgress(written: number, rows: number): PrepareProgress {
  return {
    phase: 'writing',
    rowsDone: written,
    done: written,
    total: rows,
    fraction: READING_SHARE + (rows > 0 ? (written / rows) * (1 - READING_SHARE) : 0),
  }
}

interface ProgressReporter {
  report(progress: PrepareProgress, force?: boolean): void
}

/** Passes progress on at most every 100 ms. */
function progressReporter(onProgress: PrepareHooks['onProgress']): ProgressReporter {
  let last = 0
  return {
    report(progress, force = false) {
      if (!onProgress) return
      const now = Date.now()
      if (!force && now - last < PROGRESS_INTERVAL_MS) return
      last = now
      onProgress(progress)
    },
  }
}
