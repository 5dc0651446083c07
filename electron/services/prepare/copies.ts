/**
 * "Save prepared files…": copies of a job's files for the person, to open in Excel or to upload
 * by hand on Constant Contact's import page. They are named after the groups, and every cell that
 * Excel would run as a formula (one starting with =, +, -, @, a tab or a carriage return) has an
 * apostrophe in front, as in problems.csv: opening a copy never runs what a cell of the source
 * file says. The job's own files, which Splitsend uploads, stay exact.
 *
 * The copies are made in a worker thread (see prepare-worker.ts): a group file can be large.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Papa from 'papaparse'
import type { GroupKey } from '../../../shared/ids'
import { writeFileAtomically } from '../files/atomic-file'
import { safeFileName } from '../files/file-names'
import { csvRecord, neutralizeFormula, UTF8_BOM } from '../spreadsheet/csv-text'
import { JOB_FILES, type PrepareSummary } from './job-files'

/** The files a person gets: the two groups, the problems, the summary. */
export type CopyKind = 'group0' | 'group1' | 'problems' | 'summary'

export interface PreparedCopy {
  kind: CopyKind
  /** The job file it is made from. */
  source: string
  /** Its name for the person: a group's file is named after the group. */
  name: string
}

/** The copies of a job, named: "Uses the app- no.csv", "Uses the app- yes.csv", "problems.csv", "summary.json". */
export function preparedCopies(summary: Pick<PrepareSummary, 'groupNames'>): PreparedCopy[] {
  const groupFile = (group: GroupKey) => `${safeFileName(summary.groupNames[group], 100, `group ${group}`)}.csv`
  let zero = groupFile('0')
  let one = groupFile('1')
  // Names that differ only in characters a file name can't hold, or that take the other files' names.
  const taken = new Set(['problems.csv', 'summary.json'])
  if (zero.toLowerCase() === one.toLowerCase() || taken.has(zero.toLowerCase()) || taken.has(one.toLowerCase())) {
    zero = `${zero.slice(0, -4)} (group 0).csv`
    one = `${one.slice(0, -4)} (group 1).csv`
  }
  return [
    { kind: 'group0', source: JOB_FILES.group0, name: zero },
    { kind: 'group1', source: JOB_FILES.group1, name: one },
    { kind: 'problems', source: JOB_FILES.problems, name: 'problems.csv' },
    { kind: 'summary', source: JOB_FILES.summary, name: 'summary.json' },
  ]
}

/** A copy's text: CSV with every formula-like cell guarded, with a byte order mark for Excel; JSON as it is. */
function copyText(jobDir: string, copy: PreparedCopy): string {
  const text = readFileSync(join(jobDir, copy.source), 'utf8')
  return copy.source.endsWith('.csv') ? safeCsvText(text) : text
}

/** `text` (CSV as Splitsend writes it) with each cell made safe to open in Excel. */
export function safeCsvText(text: string): string {
  const body = text.startsWith(UTF8_BOM) ? text.slice(UTF8_BOM.length) : text
  const { data } = Papa.parse<string[]>(body.replace(/\r\n$/, ''), { delimiter: ',', newline: '\r\n' })
  let out = UTF8_BOM
  for (const cells of data) out += csvRecord(cells.map(neutralizeFormula))
  return out
}

/** Writes every copy into `folder` (created if needed); returns their names. */
export function writePreparedCopies(jobDir: string, folder: string, copies: readonly PreparedCopy[]): string[] {
  mkdirSync(folder, { recursive: true })
  for (const copy of copies) writeFileAtomically(join(folder, copy.name), copyText(jobDir, copy))
  return copies.map((copy) => copy.name)
}
