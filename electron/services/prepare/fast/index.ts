/**
 * What makes the full pass fast on a large file, and nothing the pass needs to be right:
 *
 * - the CSV fast path: the usual records read as positions in the text (FastCsvParser, with
 *   CsvRecordView) and their lines copied from it (FastRowSorter), papaparse only for the rest;
 * - for a large CSV, a read thread that reads and parses, handing records over as numbers
 *   (read-thread.ts, read-worker.ts), so that two cores share the pass;
 * - for a large workbook, whose XML the pass reads itself, a writer thread for the group files,
 *   and for any large source a thread that takes the conflict rows out of them at the end
 *   (group-files-thread.ts, group-files-worker.ts).
 *
 * {@link passWays} is what the pass asks. Every way writes the same bytes as the plain one
 * (RowSorter, LocalGroupFiles, papaparse on the pass's thread): tests compare the job folders.
 */
import type { PassClassifier } from '../pass-classifier'
import type { GroupKey } from '../../../../shared/ids'
import type { CsvReader } from '../../spreadsheet/csv-read'
import { readCsvWith } from '../../spreadsheet/csv-read'
import type { OpenedSource } from '../../spreadsheet/source'
import { LocalGroupFiles, type GroupFilePaths, type GroupFiles } from '../group-files'
import type { ProblemSpool } from '../job-files'
import { RowSorter } from '../row-sorter'
import type { TableLayout } from '../table-layout'
import { FastCsvParser } from './csv-parser'
import { GroupFilesDroppedOnThread, ThreadGroupFiles } from './group-files-thread'
import { readCsvInThread, type RecordFactsRequest } from './read-thread'
import { FastRowSorter } from './row-sorter'

/** The pass's choices of way; by default each is taken when it pays. */
export interface SpeedHooks {
  /** False: the plain pass, with neither the fast path nor a helper thread (for tests that compare). */
  fastPath?: boolean
  /** Whether the group files are written by a writer thread; by default for large workbooks. */
  writerThread?: boolean
  /** Whether a CSV source is read and parsed on a thread of its own; by default for large ones. */
  readThread?: boolean
}

/** How the pass reads a CSV, sorts the rows and writes the group files. */
export interface PassWays {
  /** The CSV reader for OpenedSource.readRows (undefined: the plain one). */
  csvReader?: CsvReader
  openGroupFiles(paths: Record<GroupKey, GroupFilePaths>, preamble: string): GroupFiles
  rowSorter(table: TableLayout, classifier: PassClassifier, groups: GroupFiles, spool: ProblemSpool): RowSorter
}

/**
 * From this source size on, the pass uses a helper thread: it pays for its start (tens of
 * milliseconds) and for handing work over.
 */
const HELPER_THREADS_MIN_BYTES = 16 * 1024 * 1024

const PLAIN_WAYS: PassWays = {
  openGroupFiles: (paths, preamble) => new LocalGroupFiles(paths, preamble),
  rowSorter: (...parts) => new RowSorter(...parts),
}

/**
 * The ways for this source. One helper thread at most, so that two cores each have one: reading
 * a CSV (decoding, parsing) is as much work as the rest of the pass, so it gets the thread; a
 * workbook's XML is read on the pass's thread, and the group files are written by the thread
 * instead.
 */
export function passWays(source: OpenedSource, table: TableLayout, hooks: SpeedHooks): PassWays {
  if (hooks.fastPath === false) return PLAIN_WAYS
  const large = source.sizeBytes >= HELPER_THREADS_MIN_BYTES
  const readThread = hooks.readThread ?? (large && source.format === 'csv')
  const writerThread = hooks.writerThread ?? (large && !readThread)
  const facts = recordFacts(table)
  return {
    csvReader: readThread
      ? (file, settings, sink, read) => readCsvInThread(file, settings, sink, { ...read, facts })
      : readCsvFast,
    openGroupFiles: (paths, preamble) =>
      openGroupFiles(paths, preamble, writerThread ? 'writer thread' : large ? 'here, drop on a thread' : 'here'),
    rowSorter: (...parts) => new FastRowSorter(...parts),
  }
}

/** Reads a CSV file on this thread with the fast path. */
export const readCsvFast: CsvReader = (file, settings, sink, read) =>
  readCsvWith(new FastCsvParser(settings, sink), file, read)

/**
 * `where`: 'writer thread' — written by a thread of their own; 'here, drop on a thread' — written
 * on this thread, but the conflict rows are taken out by a thread started for it at the end; 'here'.
 */
export function openGroupFiles(
  paths: Record<GroupKey, GroupFilePaths>,
  preamble: string,
  where: 'writer thread' | 'here, drop on a thread' | 'here',
): GroupFiles {
  if (where === 'writer thread') return new ThreadGroupFiles(paths, preamble)
  if (where === 'here, drop on a thread') return new GroupFilesDroppedOnThread(paths, preamble)
  return new LocalGroupFiles(paths, preamble)
}

/** What the read thread works out for each record for the sorter: its plain address, and whether its line is one piece of the text. */
function recordFacts(table: TableLayout): RecordFactsRequest {
  return {
    addressColumn: table.emailColumn,
    lineColumns: table.outputSources.map((source) => (source === -1 ? table.emailColumn : source)),
    commaSeparated: table.commaSeparated,
  }
}

export { FastCsvParser, type FastCsvSink } from './csv-parser'
export { readCsvInThread } from './read-thread'
export { CsvRecordView, PLAIN_CELL_BITS } from './record-view'
