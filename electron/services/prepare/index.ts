/**
 * The Prepare engine: a contact spreadsheet in, two groups and a problems list out.
 *
 *   inspectSource(path, options?) → Promise<SourceInspection>
 *     Reads only the beginning of the file (≤ 1 MB / 1,000 rows; for a workbook also the sheet
 *     list): format, encoding, delimiter, sheets, header row, columns, first 50 rows, suggested
 *     mapping, flag values seen. `options` overrides encoding / delimiter / sheet / headerRow, and
 *     takes flag assignments so `flagValues[].assignedTo` reflects them. Fast on a 1 GB file.
 *
 *   runPrepare(path, options: PrepareOptions, { outDir, onProgress?, signal? }) → Promise<PrepareSummary>
 *     The full pass, in a worker thread (entry `prepare-worker`, see prepare-worker.ts). Writes the
 *     job folder (see JOB_FILES in job-files.ts): group-0.csv, group-1.csv (Constant Contact import
 *     format), problems.csv (UTF-8 BOM, formula-safe), their .idx indexes, summary.json and job.json.
 *     Progress at most ~10 times a second. Aborting the signal stops the worker and removes the
 *     partial files; the promise then rejects with an error named 'AbortError'.
 *
 *   openPreparedResults(jobDir) → PreparedResults
 *     `.summary` and `.page({ kind: 'group0'|'group1'|'problems', reason?, offset, limit, search? })`
 *     returning one page (≤ 1,000 rows) with the total; quick on a million-row job. `.close()` when done.
 *
 * Errors meant for the person are UserFacingError (code, message, hint). The types are inferred
 * from the contract's schemas in shared/prepare/schemas.ts, so the renderer uses them too;
 * `SourceInspection` (./inspect.ts) and `PrepareSummary` (./job-files.ts) add the source's path.
 */
export { inspectSource } from './inspect'
export { runPrepare } from './run'
export { openPreparedResults } from './results'
export { prepareJob } from './pass'
