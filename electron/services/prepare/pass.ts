import { mkdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { UserFacingError } from '../../../shared/errors'
import { RowClassifier } from '../../../shared/prepare/classify'
import {
  csvField,
  csvLine,
  csvRecord,
  neutralizeFormula,
  startsFormula,
  UTF8_BOM,
} from '../../../shared/prepare/csv-text'
import { DOCUMENTED_EMAIL_LENGTH, trimCell } from '../../../shared/prepare/email'
import {
  explainAddressProblem,
  explainMalformedRow,
  explainRowProblem,
  type ExplainContext,
} from '../../../shared/prepare/explain'
import { isBlankRow } from '../../../shared/prepare/header-row'
import { mappingErrors, outputColumns } from '../../../shared/prepare/output-columns'
import {
  PROBLEM_REASONS,
  type ColumnInfo,
  type GroupKey,
  type PrepareOptions,
  type PrepareProgress,
  type PrepareSummary,
  type ProblemCounts,
  type ProblemReason,
} from '../../../shared/prepare/types'
import { writeJsonAtomically } from '../files/atomic-file'
import { ADDRESS_NONE, ADDRESS_UNKNOWN, PLAIN_CELL_BITS, type CsvRecordView } from '../spreadsheet/csv-parse'
import { openSource } from '../spreadsheet/source'
import { IndexedCsvWriter, JOB_FILES, NumberList, ProblemSpool, SPOOLED_LINE } from './job-files'
import { openGroupFiles, type GroupFiles } from './group-files'
import { flagRules } from './inspect'
import { readTableStart } from './table-start'

export interface PrepareHooks {
  onProgress?(progress: PrepareProgress): void
  signal?: AbortSignal
  /** Whether the group files are written by a writer thread (see group-files.ts); by default for large workbooks. */
  writerThread?: boolean
  /** Whether a CSV source is read and parsed on a thread of its own (see csv-read-thread.ts); by default for large ones. */
  readThread?: boolean
}

/** What `job.json` holds: everything the upload step needs to run from the folder alone. */
export interface PreparedJob {
  version: 1
  status: 'prepared'
  preparedAt: string
  source: PrepareSummary['source']
  /** The options as applied, with the detected encoding / delimiter / sheet / header row filled in. */
  options: PrepareOptions & {
    onConflict: NonNullable<PrepareOptions['onConflict']>
    groupNames: { '0': string; '1': string }
  }
  columns: ColumnInfo[]
  outputColumns: string[]
  counts: { rows: number; groups: { '0': number; '1': number }; problems: ProblemCounts }
  files: typeof JOB_FILES
  indexFormat: string
}

/**
 * From this source size on, the pass uses a helper thread — for a CSV a read thread, for a
 * workbook a writer thread for the group files: it pays for its start (tens of milliseconds) and
 * for handing work over.
 */
const HELPER_THREADS_MIN_BYTES = 16 * 1024 * 1024

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
  const startedAt = Date.now()
  const groupNames = {
    '0': options.groupNames?.['0']?.trim() || 'Flag 0',
    '1': options.groupNames?.['1']?.trim() || 'Flag 1',
  }
  const onConflict = options.onConflict ?? 'exclude'
  flagRules(options) // fails early, in plain words, when a value is assigned twice
  const source = await openSource(path, options)
  const written: string[] = []
  let groupFiles: GroupFiles | null = null
  try {
    const start = await readTableStart(source, options.headerRow, hooks.signal)
    const { columns, headerRow } = start
    const errors = mappingErrors(options.mapping, columns)
    if (errors.length > 0)
      throw new UserFacingError('invalid_mapping', errors.join(' '), 'Change the column choices and try again.')
    const output = outputColumns(options.mapping)
    const columnName = (index: number): string => columns[index]?.name ?? `Column ${index + 1}`
    const context: ExplainContext = {
      emailColumnName: columnName(options.mapping.emailColumn),
      flagColumnName: columnName(options.mapping.flagColumn),
      groupNames,
    }

    mkdirSync(outDir, { recursive: true })
    const file = (name: string): string => {
      const full = join(outDir, name)
      written.push(full)
      return full
    }
    const progress = progressReporter(hooks.onProgress)

    // One helper thread, so that two cores each have one: reading a CSV (decoding, parsing) is as
    // much work as the rest of the pass, so it gets the thread; a workbook's XML is read here, and
    // the group files are written by the thread instead. (With both threads for a CSV the text
    // crosses one more thread and the cores are shared three ways: measured on 1,000,000 rows,
    // 3-5 % more processor time and about 40 MB more memory.)
    const large = source.sizeBytes >= HELPER_THREADS_MIN_BYTES
    const readThread = hooks.readThread ?? (large && source.format === 'csv')
    const writerThread = hooks.writerThread ?? (large && !readThread)

    // 1. Read. Each row is classified on its own. A row that is the first of its address in its
    //    group is written to the group file straight away; problems go to a spool. Whether a
    //    written row must come out again (its address also appears in the other group further
    //    down) is only known at the end, which is rare, so it is repaired afterwards. A row whose
    //    address is already a settled conflict never enters a group file.
    const classifier = new RowClassifier({ ...options, onConflict })
    const book = classifier.addresses
    // Room for as many addresses as the file is likely to have rows, judged by the length of the
    // rows at its start (their cells and separators: a character is at least a byte).
    if (source.format === 'csv' && !start.complete) {
      const sampleChars = start.rows.reduce(
        (sum, row) => sum + row.cells.reduce((cells, cell) => cells + cell.length + 1, 1),
        0,
      )
      if (sampleChars > 0) book.reserve(Math.floor((source.sizeBytes / sampleChars) * start.rows.length))
    }
    const headerLine = csvRecord(output.map((c) => c.header))
    const group = (groupFiles = openGroupFiles(
      {
        '0': { csv: file(JOB_FILES.group0), index: file(JOB_FILES.group0Index) },
        '1': { csv: file(JOB_FILES.group1), index: file(JOB_FILES.group1Index) },
      },
      headerLine,
      writerThread ? 'writer thread' : large ? 'here, drop on a thread' : 'here',
    ))
    // Per written group record: its address and where it sits in the source, to find it again.
    const placed = {
      '0': {
        addressIds: new NumberList((n) => new Uint32Array(n)),
        rows: new NumberList((n) => new Uint32Array(n)),
        starts: new NumberList((n) => new Float64Array(n)),
        ends: new NumberList((n) => new Float64Array(n)),
      },
      '1': {
        addressIds: new NumberList((n) => new Uint32Array(n)),
        rows: new NumberList((n) => new Uint32Array(n)),
        starts: new NumberList((n) => new Float64Array(n)),
        ends: new NumberList((n) => new Float64Array(n)),
      },
    }
    const spool = new ProblemSpool(file(JOB_FILES.spool))
    let rows = 0
    let widerRows = 0
    let longAddresses = 0
    const width = columns.length
    /**
     * Spools a row with a problem of its own as its problems.csv line. `original`: the row's cells
     * as problems.csv has them (see originalFromCells), worked out now rather than after the read,
     * when nothing else is left to do at the same time.
     */
    const spoolProblem = (row: number, reason: ProblemReason, explanation: string, original: string): void => {
      spool.addLine(row, PROBLEM_REASONS.indexOf(reason), `${problemHead(row, reason, explanation)}${original}\r\n`)
    }
    /** A row's original cells as problems.csv has them: made safe to open in Excel, and as many as the header has columns at least. */
    const originalCells: string[] = []
    const originalFromCells = (cells: readonly string[]): string => {
      originalCells.length = 0
      for (let i = 0; i < cells.length; i++) originalCells.push(neutralizeFormula(cells[i]!))
      while (originalCells.length < width) originalCells.push('')
      return csvLine(originalCells)
    }
    /**
     * The same for a record of the CSV fast path: a cell that is written just as it stands in a
     * comma-separated file is copied from it, neighbours together as one piece.
     */
    const originalFromView = (view: CsvRecordView): string => {
      if (!commaSeparated) return originalFromCells(view.cells())
      const text = view.text
      let line = ''
      let separate = false // whether the next part needs a comma before it
      let runStart = -1
      let runEnd = -1
      for (let i = 0; i < view.count; i++) {
        if (view.isWrittenAsIs(i) && !startsFormula(text.charCodeAt(view.valueStart(i)))) {
          if (runStart === -1) runStart = view.rawStart(i)
          runEnd = view.rawEnd(i)
          continue
        }
        if (runStart !== -1) {
          line += separate ? `,${text.slice(runStart, runEnd)}` : text.slice(runStart, runEnd)
          runStart = -1
          separate = true
        }
        const cell = csvField(neutralizeFormula(view.cell(i)))
        line += separate ? `,${cell}` : cell
        separate = true
      }
      if (runStart !== -1) line += separate ? `,${text.slice(runStart, runEnd)}` : text.slice(runStart, runEnd)
      for (let i = view.count; i < width; i++) line += ','
      return line
    }
    const outputCells = new Array<string>(output.length).fill('')
    const outputSources = output.map((c) => c.source)
    const emailColumn = options.mapping.emailColumn
    const flagColumn = options.mapping.flagColumn
    // Cells of a comma-separated source that stand side by side in the output can be copied together.
    const commaSeparated = source.delimiter === ','

    /** Whether the candidate just classified goes into its group file now (else: the spool). */
    const entersGroup = (addressId: number): boolean =>
      book.firstInGroup && !(book.seenInOtherGroup && book.isSettledConflict(addressId, classifier.group))
    /** A duplicate for now; it becomes a conflict if the address turns up in the other group. (Or already a conflict whatever comes later: then it never enters the group file.) */
    const spoolDuplicate = (addressId: number, row: number, original: string): void => {
      spool.addWaiting(row, classifier.group === '0' ? 0 : 1, addressId, `${original}\r\n`)
    }
    /** Notes a candidate row whose line has just been written to its group file. */
    const addToGroup = (addressId: number, row: number, start: number, end: number): void => {
      const key = classifier.group
      if (classifier.addressLength > DOCUMENTED_EMAIL_LENGTH) longAddresses++
      const where = placed[key]
      where.addressIds.push(addressId)
      where.rows.push(row)
      where.starts.push(start)
      where.ends.push(end)
    }

    /** The group-file line of a candidate row given as cells (`plain` as in CsvSink.row). */
    const lineFromCells = (cells: readonly string[], plain: number | undefined): string => {
      const address = classifier.address
      if (plain === undefined) {
        for (let i = 0; i < output.length; i++) {
          const sourceColumn = outputSources[i]!
          outputCells[i] = sourceColumn === -1 ? address : trimCell(cells[sourceColumn] ?? '')
        }
        return csvLine(outputCells)
      }
      // The parser says which cells hold nothing to quote: only the others need a look. (The
      // address comes from the email cell by trimming, unwrapping and lower-casing, which adds no
      // such character.) Equal to csvLine, which quotes exactly the cells csvField does.
      for (let i = 0; i < output.length; i++) {
        const sourceColumn = outputSources[i]!
        const column = sourceColumn === -1 ? emailColumn : sourceColumn
        const cell = sourceColumn === -1 ? address : trimCell(cells[sourceColumn] ?? '')
        outputCells[i] = column < PLAIN_CELL_BITS && (plain >>> column) & 1 ? cell : csvField(cell)
      }
      return outputCells.join(',')
    }

    /**
     * Writes the same line for a record the CSV fast path read: cells that would be written just as
     * they stand in the file are copied from it, neighbours together as one piece, and only the
     * others are cut out, trimmed and quoted. (For a usual file that is the whole line in one
     * piece, which a read thread has already found: see RecordFactsRequest.)
     * `addressAsIs`: whether the address is the email cell as it stands.
     */
    const writeLineFromView = (view: CsvRecordView, addressAsIs: boolean, row: number): void => {
      const key = classifier.group
      // Found to be one piece by the read thread.
      if (view.lineStart !== -1) return group.addLine(key, view.text.slice(view.lineStart, view.lineEnd), row)
      let line = ''
      let runStart = -1 // the text of the cells copied as they stand, not yet added to the line
      let runEnd = -1
      let runColumn = -1
      for (let i = 0; i < outputSources.length; i++) {
        const sourceColumn = outputSources[i]!
        const column = sourceColumn === -1 ? emailColumn : sourceColumn
        const asIs = (sourceColumn !== -1 || addressAsIs) && view.isWrittenAsIs(column)
        if (asIs && runStart !== -1 && commaSeparated && column === runColumn + 1) {
          runEnd = view.rawEnd(column)
          runColumn = column
          continue
        }
        if (runStart !== -1) {
          line += view.text.slice(runStart, runEnd)
          runStart = -1
        }
        if (i > 0) line += ','
        if (asIs) {
          runStart = view.rawStart(column)
          runEnd = view.rawEnd(column)
          runColumn = column
        } else line += sourceColumn === -1 ? classifier.address : csvField(trimCell(view.cell(column)))
      }
      group.addLine(key, runStart === -1 ? line : line + view.text.slice(runStart, runEnd), row)
    }

    /** Any row, given as cells (and as the record of the CSV fast path they come from, if so). */
    const readRow = (
      cells: string[],
      row: number,
      start: number,
      end: number,
      plain?: number,
      view?: CsvRecordView,
    ): void => {
      if (row <= headerRow || isBlankRow(cells)) return
      rows++
      if (cells.length > width && cells.slice(width).some((cell) => trimCell(cell) !== '')) widerRows++
      const addressId = classifier.classifyRow(cells, row)
      if (addressId === -1) {
        const verdict = classifier.verdict
        spoolProblem(
          row,
          verdict.kind,
          explainRowProblem(verdict, context),
          view ? originalFromView(view) : originalFromCells(cells),
        )
        return
      }
      if (!entersGroup(addressId))
        return spoolDuplicate(addressId, row, view ? originalFromView(view) : originalFromCells(cells))
      group.addLine(classifier.group, lineFromCells(cells, plain), row)
      addToGroup(addressId, row, start, end)
    }

    /**
     * A record of the CSV fast path. The usual row (no wider than the table, a group's flag, a
     * plain address) is decided from its email and flag cells alone and needs no other cell cut
     * out of the text; anything else is read as cells by {@link readRow}.
     */
    const readRecord = (view: CsvRecordView, row: number, start: number, end: number): void => {
      if (row <= headerRow) return
      if (view.count <= width && view.addressLength !== ADDRESS_NONE) {
        let addressId: number
        let addressAsIs: boolean
        if (view.addressLength === ADDRESS_UNKNOWN) {
          const emailCell = view.cell(emailColumn)
          addressId = classifier.classifyPlain(emailCell, view.cell(flagColumn), row)
          addressAsIs = addressId !== -1 && classifier.address === emailCell
        } else {
          // The read thread found the plain address (see csv-read-thread.ts).
          addressId = classifier.classifyPlainBytes(
            view.addressBytes,
            view.addressFrom,
            view.addressLength,
            view.addressHash,
            view.cell(flagColumn),
            row,
          )
          addressAsIs = view.addressAsIs
        }
        if (addressId !== -1) {
          rows++ // a plain address: not a blank row
          if (!entersGroup(addressId)) return spoolDuplicate(addressId, row, originalFromView(view))
          writeLineFromView(view, addressAsIs, row)
          return addToGroup(addressId, row, start, end)
        }
      }
      readRow(view.cells(), row, start, end, view.plain, view)
    }

    const readResult = await source.readRows(
      {
        row: readRow,
        record: readRecord,
        malformed(raw, row, detail) {
          if (row <= headerRow) return
          rows++
          spoolProblem(row, 'malformed_row', explainMalformedRow(detail), originalFromCells([raw]))
        },
      },
      {
        expectedWidth: width,
        readThread,
        recordFacts: {
          addressColumn: emailColumn,
          lineColumns: outputSources.map((source) => (source === -1 ? emailColumn : source)),
          commaSeparated,
        },
        ...(hooks.signal ? { signal: hooks.signal } : {}),
        onProgress: (done, total) =>
          progress.report({
            phase: 'reading',
            rowsDone: rows,
            done,
            total,
            fraction: total > 0 ? (done / total) * READING_SHARE : 0,
          }),
      },
    )
    spool.close()
    hooks.signal?.throwIfAborted()

    // 2. Repair. Every address is now known: take out the group rows whose address turned out
    //    to be in both groups (and lost under the conflict policy); they become problems.
    const moved: Array<{ row: number; start: number; end: number; addressId: number; key: GroupKey }> = []
    const drop: Record<GroupKey, number[]> = { '0': [], '1': [] }
    for (const key of ['0', '1'] as const) {
      const where = placed[key]
      for (let record = 0; record < where.addressIds.length; record++) {
        const addressId = where.addressIds.get(record)
        if (book.resolve(addressId, key, true) === 'group') continue
        drop[key].push(record)
        moved.push({
          row: where.rows.get(record),
          start: where.starts.get(record),
          end: where.ends.get(record),
          addressId,
          key,
        })
      }
    }
    // With a writer thread, the group files are finished there while the problems are written here.
    const groupsFinished = group.close(drop)
    groupsFinished.catch(() => {}) // a failure is thrown where it is awaited, below
    moved.sort((a, b) => a.row - b.row)
    const movedCells = await source.fetchRows(moved, hooks.signal)
    hooks.signal?.throwIfAborted()

    // 3. Problems, in row order: the spooled ones merged with the rows taken out of the groups.
    const problems = new IndexedCsvWriter(
      file(JOB_FILES.problems),
      file(JOB_FILES.problemsIndex),
      UTF8_BOM + csvRecord(['Row', 'Reason', 'Explanation', ...columns.map((c) => c.name)]),
    )
    const problemCounts = Object.fromEntries(PROBLEM_REASONS.map((reason) => [reason, 0])) as ProblemCounts
    let rowsWritten = group.counts['0'] + group.counts['1'] - moved.length
    /** Writes a problems.csv record: `head` (see problemHead, or '' when the bytes hold it) and then `bytes[start..end)`. */
    const addProblemBytes = (
      row: number,
      reason: ProblemReason,
      head: string,
      bytes: Buffer,
      start: number,
      end: number,
    ): void => {
      problems.addBytes(head, bytes, start, end, row, PROBLEM_REASONS.indexOf(reason))
      problemCounts[reason]++
      rowsWritten++
    }
    let nextMoved = 0
    const flushMovedBefore = (row: number): void => {
      while (nextMoved < moved.length && moved[nextMoved]!.row < row) {
        const { row: movedRow, addressId, key } = moved[nextMoved++]!
        const explanation = explainAddressProblem(
          'conflicting_flag',
          book.addressOf(addressId),
          key,
          addressId,
          book,
          onConflict,
          context,
        )
        const original = Buffer.from(`${originalFromCells(movedCells.get(movedRow) ?? [])}\r\n`)
        addProblemBytes(
          movedRow,
          'conflicting_flag',
          problemHead(movedRow, 'conflicting_flag', explanation),
          original,
          0,
          original.length,
        )
      }
    }
    try {
      // The spooled rows are copied as they are, with the verdict put in front of the waiting ones.
      spool.readBack(
        (row, kind, detail, bytes, start, end) => {
          flushMovedBefore(row)
          let reason: ProblemReason
          let head = ''
          if (kind === SPOOLED_LINE) reason = PROBLEM_REASONS[detail]!
          else {
            const key: GroupKey = kind === 0 ? '0' : '1'
            reason = book.resolve(detail, key, false) as 'duplicate' | 'conflicting_flag'
            head = problemHead(
              row,
              reason,
              explainAddressProblem(reason, book.addressOf(detail), key, detail, book, onConflict, context),
            )
          }
          addProblemBytes(row, reason, head, bytes, start, end)
        },
        () => {
          hooks.signal?.throwIfAborted()
          progress.report({
            phase: 'writing',
            rowsDone: rowsWritten,
            done: rowsWritten,
            total: rows,
            fraction: READING_SHARE + (rows > 0 ? (rowsWritten / rows) * (1 - READING_SHARE) : 0),
          })
        },
      )
      flushMovedBefore(Number.POSITIVE_INFINITY)
    } finally {
      problems.close()
    }
    rmSync(join(outDir, JOB_FILES.spool), { force: true })
    await groupsFinished
    const groups = { '0': group.counts['0'], '1': group.counts['1'] }
    for (const key of ['0', '1'] as const) groups[key] -= moved.filter((m) => m.key === key).length
    longAddresses -= moved.filter((m) => book.addressOf(m.addressId).length > DOCUMENTED_EMAIL_LENGTH).length

    const problemTotal = PROBLEM_REASONS.reduce((sum, reason) => sum + problemCounts[reason], 0)
    if (groups['0'] + groups['1'] + problemTotal !== rows || rowsWritten !== rows) {
      throw new Error(
        `Accounting mismatch: ${rows} rows read, ${groups['0']} + ${groups['1']} + ${problemTotal} written`,
      )
    }

    // 3. Describe the job.
    const warnings: string[] = []
    if (longAddresses > 0) {
      warnings.push(
        `${longAddresses} ${longAddresses === 1 ? 'address is' : 'addresses are'} longer than 50 characters. Constant Contact accepts up to 80, but its bulk import documents 50; if the import reports errors, check these first.`,
      )
    }
    if (readResult.undecodable) {
      warnings.push(
        `Some characters could not be read as ${source.encoding}; if names or addresses look wrong, choose another encoding and prepare again.`,
      )
    }
    if (widerRows > 0)
      warnings.push(
        `${widerRows} ${widerRows === 1 ? 'row has' : 'rows have'} more cells than the header has columns; the extra cells were not used.`,
      )
    const stat = statSync(path)
    const flagAssignments = {
      group0Values: options.group0Values ?? [],
      group1Values: options.group1Values ?? [],
      leaveOutValues: options.leaveOutValues ?? [],
    }
    const summary: PrepareSummary = {
      rows,
      groups,
      problems: problemCounts,
      groupNames,
      source: {
        path,
        fileName: source.fileName,
        sizeBytes: source.sizeBytes,
        modifiedAt: stat.mtime.toISOString(),
        format: source.format,
        ...(source.encoding ? { encoding: source.encoding } : {}),
        ...(source.delimiter ? { delimiter: source.delimiter } : {}),
        ...(source.sheet ? { sheet: source.sheet } : {}),
        headerRow,
      },
      columns,
      mapping: options.mapping,
      outputColumns: output.map((c) => c.header),
      onConflict,
      flagAssignments,
      flagValues: classifier.flagValues.list(classifier.flagRules),
      flagValuesTruncated: classifier.flagValues.truncated,
      longAddresses,
      warnings,
      preparedAt: new Date().toISOString(),
      durationMs: Date.now() - startedAt,
    }
    const job: PreparedJob = {
      version: 1,
      status: 'prepared',
      preparedAt: summary.preparedAt,
      source: summary.source,
      options: {
        ...options,
        ...flagAssignments,
        ...(source.encoding ? { encoding: source.encoding } : {}),
        ...(source.delimiter ? { delimiter: source.delimiter } : {}),
        ...(source.sheet ? { sheet: source.sheet } : {}),
        headerRow,
        onConflict,
        groupNames,
      },
      columns,
      outputColumns: summary.outputColumns,
      counts: { rows, groups, problems: problemCounts },
      files: JOB_FILES,
      indexFormat:
        'one 16-byte little-endian entry per CSV record: float64 byte offset, uint32 source row, uint32 reason index (0xffffffff for groups)',
    }
    writeJsonAtomically(file(JOB_FILES.summary), summary)
    // job.json last: its presence means the folder is complete.
    writeJsonAtomically(file(JOB_FILES.job), job, { syncFolder: true })
    progress.report({ phase: 'writing', rowsDone: rows, done: rows, total: rows, fraction: 1 }, true)
    return summary
  } catch (error) {
    await groupFiles?.abort()
    for (const path of written) rmSync(path, { force: true })
    throw error
  } finally {
    source.close()
  }
}

/**
 * The start of a problems.csv record, up to its original cells: csvRecord([row, reason,
 * explanation]) and a comma (the row number and the reason never need quotes).
 */
function problemHead(row: number, reason: ProblemReason, explanation: string): string {
  return `${row},${reason},${csvField(explanation)},`
}

/** Passes progress on at most every 100 ms. */
function progressReporter(onProgress: PrepareHooks['onProgress']): {
  report(progress: PrepareProgress, force?: boolean): void
} {
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
