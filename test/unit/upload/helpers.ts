import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Papa from 'papaparse'
import { prepareJob } from '../../../electron/services/prepare/pass'
import type { CcClient } from '../../../electron/services/constant-contact/client'
import { allPages } from '../../../electron/services/constant-contact/client'
import { startUpload, type UploadRunOptions, type UploadStart } from '../../../electron/services/upload/index'
import type { ColumnMapping } from '../../../shared/prepare/schemas'
import type { PrepareSummary } from '../../../electron/services/prepare/job-files'
import type { UploadProgress, UploadResult } from '../../../electron/services/upload/run'
import { TEST_POLL } from '../pace'
import { tempDir } from '../temp'
import { csvRecord } from '../../../electron/services/spreadsheet/csv-text'

export { tempDir }

/** `startUpload` with status checks at the tests' pace ({@link TEST_POLL}). */
export function upload(jobDir: string, client: CcClient, start: UploadStart, options: UploadRunOptions = {}) {
  return startUpload(jobDir, client, start, { poll: TEST_POLL, ...options })
}

export interface JobSpec {
  /** Rows of group 0 and 1 (valid addresses made from `tag`). */
  group0: number
  group1: number
  /** Extra rows that Prepare leaves out (no email, bad address, unknown flag). */
  problems?: number
  /** Custom-field columns, each filled with `customWidth` characters. */
  customFields?: number
  customWidth?: number
  tag?: string
  /** Extra rows appended as they are (cells: email, flag, first name, custom…). */
  extraRows?: string[][]
}

export interface PreparedJob {
  dir: string
  summary: PrepareSummary
  emails: { '0': string[]; '1': string[] }
}

/**
 * Writes a CSV with the given groups and prepares it with the real Prepare engine, into a folder of
 * its own (the job folder is the only thing in its parent folder).
 */
export async function preparedJob(spec: JobSpec): Promise<PreparedJob> {
  const tag = spec.tag ?? 'u'
  const customs = spec.customFields ?? 0
  const header = ['Email', 'Flag', 'First Name', ...Array.from({ length: customs }, (_, i) => `Note ${i + 1}`)]
  const rows: string[][] = [header]
  const emails: PreparedJob['emails'] = { '0': [], '1': [] }
  const filler = (i: number, c: number): string => `${c}-${i}-`.padEnd(spec.customWidth ?? 20, 'x')
  const total = spec.group0 + spec.group1
  for (let i = 0; i < total; i++) {
    const group = i % 2 === 0 && emails['0'].length < spec.group0 ? '0' : emails['1'].length < spec.group1 ? '1' : '0'
    const email = `${tag}${i}@example.com`
    emails[group].push(email)
    rows.push([email, group, `Name ${i}`, ...Array.from({ length: customs }, (_, c) => filler(i, c))])
  }
  for (let i = 0; i < (spec.problems ?? 0); i++) {
    const kind = i % 3
    rows.push(
      kind === 0
        ? ['', '1', 'No email']
        : kind === 1
          ? [`broken-${i}`, '0', 'Bad']
          : [`${tag}-flag-${i}@example.com`, 'maybe', 'Flag?'],
    )
  }
  for (const extra of spec.extraRows ?? []) {
    rows.push(extra)
    if (extra[1] === '0' || extra[1] === '1') emails[extra[1]].push(extra[0]!.toLowerCase())
  }
  const source = join(tempDir('source'), 'contacts.csv')
  writeFileSync(source, Papa.unparse(rows, { newline: '\r\n' }))
  const mapping: ColumnMapping = {
    emailColumn: 0,
    flagColumn: 1,
    fields: [
      { column: 2, target: { kind: 'field', field: 'first_name' } },
      ...Array.from({ length: customs }, (_, c) => ({
        column: 3 + c,
        target: { kind: 'custom' as const, name: `Note ${c + 1}` },
      })),
    ],
  }
  const dir = join(tempDir('jobs'), 'job')
  const summary = await prepareJob(source, { mapping, headerRow: 1, delimiter: ',', encoding: 'utf-8' }, dir)
  return { dir, summary, emails }
}

/** Every email address on a list, read through the API (GET /contacts?lists=). */
export async function listEmails(client: CcClient, listId: string): Promise<string[]> {
  const emails: string[] = []
  for await (const page of allPages(
    () => client.getContacts({ lists: listId, limit: 500 }),
    (next) => client.getContacts(next),
  )) {
    for (const c of page.contacts ?? []) emails.push(c.email_address?.address ?? '')
  }
  return emails.sort()
}

export function readReportCsv(dir: string): { text: string; rows: Array<Record<string, string>> } {
  const text = readFileSync(join(dir, 'report.csv'), 'utf8')
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\ufeff/, ''), { header: true, skipEmptyLines: true })
  return { text, rows: parsed.data }
}

/** Collects progress snapshots (as they would cross IPC: through JSON). */
export function progressRecorder(): { events: UploadProgress[]; onProgress: (p: UploadProgress) => void } {
  const events: UploadProgress[] = []
  return { events, onProgress: (p) => events.push(JSON.parse(JSON.stringify(p)) as UploadProgress) }
}

export function sorted(values: readonly string[]): string[] {
  return [...values].map((v) => v.toLowerCase()).sort()
}

export function expectOutcome(result: UploadResult, outcome: UploadResult['outcome']): void {
  if (result.outcome !== outcome)
    throw new Error(`Expected outcome ${outcome}, got ${result.outcome}: ${JSON.stringify(result.error ?? result)}`)
}

/**
 * Gives records of a prepared group file longer values, as a Prepare without the length rules would
 * have written them (the index is rewritten to match): for the tests of what Constant Contact
 * refuses at upload. `changes`: record number → column → value.
 */
export function withValues(dir: string, group: '0' | '1', changes: Record<number, Record<string, string>>): void {
  const csvPath = join(dir, `group-${group}.csv`)
  const indexPath = join(dir, `group-${group}.idx`)
  const text = readFileSync(csvPath, 'utf8')
  const parsed = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { newline: '\r\n' }).data.filter(
    (r) => r.length > 1 || r[0] !== '',
  )
  const [header, ...records] = parsed as [string[], ...string[][]]
  for (const [record, values] of Object.entries(changes))
    for (const [column, value] of Object.entries(values)) records[Number(record)]![header.indexOf(column)] = value
  const index = readFileSync(indexPath)
  let offset = Buffer.byteLength((text.startsWith('\ufeff') ? '\ufeff' : '') + csvRecord(header))
  const out = [csvRecord(header)]
  records.forEach((cells, i) => {
    index.writeDoubleLE(offset, i * 16)
    const line = csvRecord(cells)
    out.push(line)
    offset += Buffer.byteLength(line)
  })
  writeFileSync(csvPath, (text.startsWith('\ufeff') ? '\ufeff' : '') + out.join(''))
  writeFileSync(indexPath, index)
}

/** The upload journal's entries as they are in the file (upload-journal.jsonl). */
export function journalLines(dir: string): Array<Record<string, unknown>> {
  return readFileSync(join(dir, 'upload-journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}
