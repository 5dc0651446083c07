import { resolve } from 'node:path'
import { CONTACT_FIELD_LABELS, REASON_TITLES } from '../../../shared/prepare/words'
import {
  CONTACT_FIELDS,
  PROBLEM_REASONS,
  type ColumnInfo,
  type ColumnMapping,
  type ColumnTarget,
  type PrepareOptions,
  type ReadOptions,
} from '../../../shared/prepare/schemas'
import type { GroupKey } from '../../../shared/ids'
import { type PrepareSummary, JOB_FILES, refuseUsedJobFolder } from '../../services/prepare/job-files'
import { flagRules } from '../../services/prepare/inspect'
import { inspectInWorker } from '../../services/prepare/inspect-thread'
import {
  describeContactFields,
  parseBlankFlag,
  parseConflictPolicy,
  parseValueList,
  resolveColumn,
} from '../../services/prepare/option-values'
import { runPrepare } from '../../services/prepare/run'
import { ENCODING_LABELS } from '../../services/spreadsheet/encoding'
import { EXIT, type CliCommand } from '../command'
import {
  onePositional,
  parseCommandLine,
  READ_OPTIONS,
  readingCommandLine,
  readOptionsFrom,
  usageError,
} from '../command-line'
import { oneLine } from '../terminal-text'

const USAGE = `Usage: splitsend prepare <file> --out <dir> [options]

Splits a contact spreadsheet (CSV or .xlsx) by its 0/1 flag column into two groups, ready for
Constant Contact, plus a list of the rows that can't go anywhere and why. Works offline.

Options:
  --out <dir>               Folder to write the prepared files into (created if needed)
  --email-column <name>     Column with the email addresses (header, number or letter; default: suggested)
  --flag-column <name>      Column with the 0/1 flag (default: suggested)
  --sheet <name>            Worksheet to read (.xlsx; default: the first one with data)
  --header-row <n>          Excel row number of the header row; 0 if there is none (default: detected)
  --encoding <enc>          utf-8, utf-16le, utf-16be, windows-1252 or mac-roman (default: detected)
  --delimiter <d>           comma, semicolon, tab or pipe (default: detected)
  --group0-values a,b       Other flag values that mean group 0 (besides 0, 0.0, false, no, n)
  --group1-values c,d       Other flag values that mean group 1 (besides 1, 1.0, true, yes, y)
  --leave-out-values e,f    Flag values whose rows are deliberately left out
  --blank-flag <choice>     Rows whose flag cell is empty: problem (default: listed as problems),
                            leave-out, 0 or 1 (into that group)
  --on-conflict <choice>    An address marked 0 on one row and 1 on another:
                            exclude (default: leave all its rows out), first or last (that row wins)
  --field "<column>=<field>" Send a column as a Constant Contact field (repeatable): a contact
                            field by its name or label (first_name, "First name", city…), else a
                            custom field of that name; "<column>=-" leaves a suggested column out
  --group0-name <name>      Name of group 0 in reports (default: from the flag column, e.g. "Uses app: no")
  --group1-name <name>      Name of group 1 in reports (default: from the flag column, e.g. "Uses app: yes")
  --json                    Print summary.json instead of the summary

Writes group-0.csv, group-1.csv, problems.csv, summary.json and job.json into the folder.
Exit codes: 0 prepared (even if some rows had problems), 1 the file can't be read, 2 usage error.
`

const OPTIONS = {
  ...READ_OPTIONS,
  out: { type: 'string' },
  'email-column': { type: 'string' },
  'flag-column': { type: 'string' },
  'group0-values': { type: 'string' },
  'group1-values': { type: 'string' },
  'leave-out-values': { type: 'string' },
  'blank-flag': { type: 'string' },
  'on-conflict': { type: 'string' },
  'group0-name': { type: 'string' },
  'group1-name': { type: 'string' },
  field: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const

export const prepareCommand: CliCommand = {
  name: 'prepare',
  summary: 'Split a contact spreadsheet into two groups and a problems list',
  usage: USAGE,
  async run(args, io) {
    const request = readingCommandLine(() => readRequest(args))
    refuseUsedOutFolder(request.outDir)
    const options = await prepareOptions(request)
    const summary = await runPrepare(request.path, options, { outDir: request.outDir })
    io.stdout(request.json ? `${JSON.stringify(summary, null, 2)}\n` : humanSummary(summary, request.outDir))
    return EXIT.ok
  },
}

/** A job folder that was uploaded keeps its data: the command says to choose another --out (a usage error, exit 2). */
function refuseUsedOutFolder(outDir: string): void {
  try {
    refuseUsedJobFolder(outDir, '')
  } catch (error) {
    throw usageError(
      (error as Error).message,
      `Choose another --out folder (a new one for each month's file); the job in “${outDir}” stays as it was.`,
    )
  }
}

/** What the command line asks for, before the file is looked at. */
interface PrepareRequest {
  path: string
  outDir: string
  json: boolean
  read: ReadOptions
  flagValues: Required<Pick<PrepareOptions, 'group0Values' | 'group1Values' | 'leaveOutValues'>>
  onConflict: NonNullable<PrepareOptions['onConflict']>
  blankFlag: NonNullable<PrepareOptions['blankFlag']>
  columns: { email?: string | undefined; flag?: string | undefined }
  /** --field choices in order: a column (as typed) and what it is sent as; `ignore` leaves it out. */
  fields: Array<{ column: string; target: ColumnTarget }>
  /** Names the person gave; the others are suggested from the flag column by the pass ("Uses app: no"). */
  groupNames: Partial<Record<GroupKey, string>>
}

function readRequest(args: string[]): PrepareRequest {
  const { values, positionals } = parseCommandLine(args, OPTIONS)
  const path = onePositional(
    positionals,
    'Name the spreadsheet to prepare.',
    'Name exactly one spreadsheet.',
    'Usage: splitsend prepare <file> --out <dir> [options]',
  )
  if (!values.out) throw usageError('Say where to write the prepared files with --out <dir>.')
  const flagValues = {
    group0Values: parseValueList(values['group0-values'] ?? ''),
    group1Values: parseValueList(values['group1-values'] ?? ''),
    leaveOutValues: parseValueList(values['leave-out-values'] ?? ''),
  }
  flagRules(flagValues) // a value given for two groups
  return {
    path: resolve(path),
    outDir: resolve(values.out),
    json: values.json ?? false,
    read: readOptionsFrom(values),
    flagValues,
    onConflict: parseConflictPolicy(values['on-conflict'] ?? 'exclude'),
    blankFlag: parseBlankFlag(values['blank-flag'] ?? 'problem'),
    columns: { email: values['email-column'], flag: values['flag-column'] },
    fields: (values.field ?? []).map(parseFieldChoice),
    groupNames: {
      ...(values['group0-name'] !== undefined ? { '0': values['group0-name'] } : {}),
      ...(values['group1-name'] !== undefined ? { '1': values['group1-name'] } : {}),
    },
  }
}

/** The options of the full pass: the columns suggested exactly as the app does, the person's choices replacing the suggestion. */
async function prepareOptions(request: PrepareRequest): Promise<PrepareOptions> {
  const { read, flagValues, columns } = request
  const inspection = await inspectInWorker(request.path, { ...read, ...flagValues })
  const mapping = structuredClone(inspection.suggestion.mapping)
  if (columns.email !== undefined)
    mapping.emailColumn = resolveColumn(columns.email, inspection.columns, 'email addresses')
  if (columns.flag !== undefined) mapping.flagColumn = resolveColumn(columns.flag, inspection.columns, 'flag')
  const columnList = inspection.columns.map((c) => `"${c.name}"`).join(', ')
  if (mapping.emailColumn < 0)
    throw usageError(
      'Splitsend could not tell which column holds the email addresses.',
      `Name it with --email-column. The columns are: ${columnList}.`,
    )
  if (mapping.flagColumn < 0)
    throw usageError(
      'Splitsend could not tell which column holds the 0/1 flag.',
      `Name it with --flag-column. The columns are: ${columnList}.`,
    )
  if (mapping.emailColumn === mapping.flagColumn)
    throw usageError('The email column and the flag column must be two different columns.')
  applyFieldChoices(mapping, request.fields, inspection.columns)
  return {
    ...read,
    ...flagValues,
    // Keep the detected reading choices so the full pass reads exactly what was inspected.
    ...(inspection.encoding ? { encoding: inspection.encoding } : {}),
    ...(inspection.delimiter ? { delimiter: inspection.delimiter } : {}),
    ...(inspection.sheet ? { sheet: inspection.sheet } : {}),
    headerRow: inspection.headerRow,
    mapping,
    onConflict: request.onConflict,
    ...(request.blankFlag !== 'problem' ? { blankFlag: request.blankFlag } : {}),
    ...(request.groupNames['0'] !== undefined || request.groupNames['1'] !== undefined
      ? { groupNames: { '0': request.groupNames['0'] ?? '', '1': request.groupNames['1'] ?? '' } }
      : {}),
  }
}

/**
 * One --field value: "<column>=<field>", split at the last "=" (a column's name may hold one, a
 * field's never does). A contact field by its API name or its label, any case; anything else is a
 * custom field of that name; "-" leaves the column out.
 */
function parseFieldChoice(text: string): { column: string; target: ColumnTarget } {
  const at = text.lastIndexOf('=')
  const column = text.slice(0, Math.max(at, 0)).trim()
  const field = text.slice(at + 1).trim()
  if (at < 0 || !column || !field)
    throw usageError(
      `--field "${text}" should be written "<column>=<Constant Contact field>", e.g. --field "First name=first_name".`,
      `Use "<column>=-" to leave a column out. Contact fields: ${describeContactFields()}.`,
    )
  if (field === '-') return { column, target: { kind: 'ignore' } }
  const wanted = field.toLowerCase()
  const standard = CONTACT_FIELDS.find((f) => f === wanted || CONTACT_FIELD_LABELS[f].toLowerCase() === wanted)
  if (standard) return { column, target: { kind: 'field', field: standard } }
  if (field.length > 50) throw usageError(`The custom field name “${field}” is longer than 50 characters.`)
  return { column, target: { kind: 'custom', name: field } }
}

/** The --field choices over the suggested mapping: each replaces what was suggested for its column. */
function applyFieldChoices(
  mapping: ColumnMapping,
  fields: PrepareRequest['fields'],
  columns: readonly ColumnInfo[],
): void {
  const seen = new Set<number>()
  for (const { column, target } of fields) {
    const index = resolveColumn(column, columns, 'field')
    if (index === mapping.emailColumn || index === mapping.flagColumn)
      throw usageError(
        `“${column}” is the ${index === mapping.emailColumn ? 'email' : 'flag'} column; it can't also be sent as a field.`,
      )
    if (seen.has(index)) throw usageError(`The column “${column}” is named in --field twice.`)
    seen.add(index)
    mapping.fields = mapping.fields.filter((f) => f.column !== index)
    if (target.kind !== 'ignore') mapping.fields.push({ column: index, target })
  }
}

function humanSummary(summary: PrepareSummary, outDir: string): string {
  const n = (value: number): string => value.toLocaleString('en-US')
  const of = (value: number, one: string, many = `${one}s`): string => `${n(value)} ${value === 1 ? one : many}`
  const source = summary.source
  const how = [
    source.format === 'xlsx'
      ? `sheet "${oneLine(source.sheet ?? '')}"`
      : `${source.encoding ? ENCODING_LABELS[source.encoding] : ''}, ${delimiterName(source.delimiter)}-separated`,
    source.headerRow > 0 ? `header on row ${source.headerRow}` : 'no header row',
  ].join(', ')
  const columnName = (index: number): string => oneLine(summary.columns[index]?.name ?? `Column ${index + 1}`)
  const lines = [
    `Prepared ${of(summary.rows, 'row')} from ${oneLine(source.fileName)} (${how}).`,
    `Email column: "${columnName(summary.mapping.emailColumn)}"; flag column: "${columnName(summary.mapping.flagColumn)}".`,
    `  ${oneLine(summary.groupNames['0'])}: ${of(summary.groups['0'], 'contact')} → ${resolve(outDir, JOB_FILES.group0)}`,
    `  ${oneLine(summary.groupNames['1'])}: ${of(summary.groups['1'], 'contact')} → ${resolve(outDir, JOB_FILES.group1)}`,
  ]
  const problemTotal = PROBLEM_REASONS.reduce((sum, reason) => sum + summary.problems[reason], 0)
  lines.push(`  Left out: ${of(problemTotal, 'row')} → ${resolve(outDir, JOB_FILES.problems)}`)
  for (const reason of PROBLEM_REASONS) {
    if (summary.problems[reason] > 0)
      lines.push(`    ${n(summary.problems[reason]).padStart(9)}  ${REASON_TITLES[reason]} (${reason})`)
  }
  const unassigned = summary.flagValues.filter((v) => v.assignedTo === 'unassigned')
  if (unassigned.length > 0) {
    lines.push(
      `Flag values not assigned to a group: ${unassigned
        .slice(0, 10)
        .map((v) => `"${oneLine(v.value)}" (${n(v.count)})`)
        .join(', ')}${unassigned.length > 10 ? ', …' : ''}.`,
    )
    lines.push('  Assign them with --group0-values, --group1-values or --leave-out-values.')
  }
  for (const warning of summary.warnings) lines.push(`Warning: ${warning}`)
  return `${lines.join('\n')}\n`
}

function delimiterName(delimiter: string | undefined): string {
  return delimiter === ';' ? 'semicolon' : delimiter === '\t' ? 'tab' : delimiter === '|' ? 'pipe' : 'comma'
}
