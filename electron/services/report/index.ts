/**
 * The job's report, built from summary.json, the prepared files and the job's journals (upload and
 * send) only, so it can be made (again) at any time, even after a crash. Three files in the job folder:
 *
 *   report.csv   one row per row of the source file, in file order: row number, email, group,
 *                outcome (added to list X / left out: reason / in an activity that reported
 *                errors / not sent …), details, list, Constant Contact activity ID, status code.
 *                UTF-8 with BOM (Excel), formula-looking cells neutralised.
 *   report.html  one printable page (file name, when, account, lists, counts per group and outcome,
 *                an inline SVG chart, the activities with IDs and counts, every warning, the sends),
 *                rendered from React components on the server side; no scripts, nothing loaded from
 *                elsewhere.
 *   report.json  the same summary as plain data (the Report screen's model) and which state of the
 *                job's files it was built from.
 *
 * `writeJobReport(jobDir)` (./build.ts) is the one function that writes all of it, every section
 * included; it reads every row, so it runs in a worker thread. Everything else goes through
 * `jobReports` (./writer.ts):
 *
 *   await jobReports.current(jobDir) → { csvPath, htmlPath, model, builtFrom }
 *       the stored report when it is current with the job's files, else the one being written
 *   jobReports.journalChanged(jobDir)   write it now in the background (a journal changed)
 *
 * The upload writes it when a run ends (however it ends), the app after each send request, the
 * `send` command after sending; a request that finds it out of date (e.g. the command changed the
 * job while the app was open) waits for it to be written again.
 */
export { jobReports } from './writer'
