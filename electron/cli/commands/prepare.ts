import { resolve } from 'node:path'
import { UserFacingError } from '../../../shared/errors'
import { REASON_TITLES } from '../../../shared/prepare/explain'
import {
  PROBLEM_REASONS,
  type PrepareOptions,
  type PrepareSummary,
  type ReadOptions,
} from '../../../shared/prepare/types'
import { inspectSource } from '../../services/prepare/inspect'
import { JOB_FILES } from '../../services/prepare/job-files'
import {
  parseConflictPolicy,
  parseDelimiter,
  parseEncoding,
  parseHeaderRow,
  parseValueList,
  resolveColumn,
} from '../../services/prepare/option-values'
import { prepareJob } from '../../services/prepare/pass'
import { ENCODING_LABELS } from '../../services/spreadsheet/encoding'
import { EXIT, type CliCommand, type CliIO } from '../command'

/** Options that take a value, and flags that don't. */
export interface ArgSpec {
  values: readonly string[]
  flags: readonly string[]
}

export interface ParsedArgs {
  positional: string[]
  values: Map<string, string>
  flags: Set<string>
}

/** `--name value`, `--name=value` and bare `--flag`; anything unknown is a usage error. */
export function parseArgs(args: readonly string[], spec: ArgSpec): ParsedArgs {
  const parsed: ParsedArgs = { positional: [], values: new Map(), flags: new Set() }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (!arg.startsWith('--') || arg === '--') {
      parsed.positional.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq)
    if (spec.flags.includes(name)) {
      if (eq !== -1) throw new UserFacingError('usage', `--${name} takes no value.`)
      parsed.flags.add(name)
    } else if (spec.values.includes(name)) {
      const value = eq === -1 ? args[++i] : arg.slice(eq + 1)
      if (value === undefined) throw new UserFacingError('usage', `--${name} needs a value.`)
      parsed.values.set(name, value)
    } else {
      throw new UserFacingError('usage', `Unknown option --${name}.`, 'Run the command with --help to see its options.')
    }
  }
  return parsed
}

/** Encoding, delimiter, sheet and header row, as the person gave them. */
export function readOptionsFrom(parsed: ParsedArgs): ReadOptions {
  const options: ReadOptions = {}
  const encoding = parsed.values.get('encoding')
  const delimiter = parsed.values.get('delimiter')
  const sheet = parsed.values.get('sheet')
  const headerRow = parsed.values.get('header-row')
  if (encoding !== undefined) options.encoding = parseEncoding(encoding)
  if (delimiter !== undefined) options.delimiter = parseDelimiter(delimiter)
  if (sheet !== undefined) options.sheet = sheet
  if (headerRow !== undefined) options.headerRow = parseHeaderRow(headerRow)
  return options
}

/** Prints a usage error the way the dispatcher prints other errors, and returns exit code 2. */
export function usageError(command: string, error: UserFacingError, io: CliIO): number {
  io.stderr(`splitsend ${command}: ${error.message}${error.hint ? `\n${error.hint}` : ''}\n`)
  return EXIT.usage
}

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
  --on-conflict <choice>    An address marked 0 on one row and 1 on another:
                            exclude (default: leave all its rows out), first or last (that row wins)
  --group0-name <name>      Name of group 0 in reports (default "Flag 0")
  --group1-name <name>      Name of group 1 in reports (default "Flag 1")
  --json                    Print summary.json instead of the summary

Writes group-0.csv, group-1.csv, problems.csv, summary.json and job.json into the folder.
Exit codes: 0 prepared (even if some rows had problems), 1 the file can't be read, 2 usage error.
`

export const prepareCommand: CliCommand = {
  name: 'prepare',
  summary: 'Split a contact spreadsheet into two groups and a problems list',
  usage: USAGE,
  async run(args, io) {
    let path: string
    let outDir: string
    let options: PrepareOptions
    let json: boolean
    try {
      const parsed = parseArgs(args, {
        values: [
          'out',
          'email-column',
          'flag-column',
          'sheet',
          'header-row',
          'encoding',
          'delimiter',
          'group0-values',
          'group1-values',
          'leave-out-values',
          'on-conflict',
          'group0-name',
          'group1-name',
        ],
        flags: ['json'],
      })
      if (parsed.positional.length !== 1)
        throw new UserFacingError(
          'usage',
          parsed.positional.length === 0 ? 'Name the spreadsheet to prepare.' : 'Name exactly one spreadsheet.',
          'Usage: splitsend prepare <file> --out <dir> [options]',
        )
      const out = parsed.values.get('out')
      if (!out) throw new UserFacingError('usage', 'Say where to write the prepared files with --out <dir>.')
      path = resolve(parsed.positional[0]!)
      outDir = resolve(out)
      json = parsed.flags.has('json')
      const read = readOptionsFrom(parsed)
      const flagValues = {
        group0Values: parseValueList(parsed.values.get('group0-values') ?? ''),
        group1Values: parseValueList(parsed.values.get('group1-values') ?? ''),
        leaveOutValues: parseValueList(parsed.values.get('leave-out-values') ?? ''),
      }
      const onConflict = parseConflictPolicy(parsed.values.get('on-conflict') ?? 'exclude')
      const names = { email: parsed.values.get('email-column'), flag: parsed.values.get('flag-column') }
      const group0Name = parsed.values.get('group0-name')
      const group1Name = parsed.values.get('group1-name')

      // Columns are suggested exactly as the app does; the person's choices replace the suggestion.
      const inspection = await inspectSource(path, { ...read, ...flagValues })
      const mapping = structuredClone(inspection.suggestion.mapping)
      if (names.email !== undefined)
        mapping.emailColumn = resolveColumn(names.email, inspection.columns, 'email addresses')
      if (names.flag !== undefined) mapping.flagColumn = resolveColumn(names.flag, inspection.columns, 'flag')
      const columnList = inspection.columns.map((c) => `"${c.name}"`).join(', ')
      if (mapping.emailColumn < 0)
        throw new UserFacingError(
          'usage',
          'Splitsend could not tell which column holds the email addresses.',
          `Name it with --email-column. The columns are: ${columnList}.`,
        )
      if (mapping.flagColumn < 0)
        throw new UserFacingError(
          'usage',
          'Splitsend could not tell which column holds the 0/1 flag.',
          `Name it with --flag-column. The columns are: ${columnList}.`,
        )
      if (mapping.emailColumn === mapping.flagColumn)
        throw new UserFacingError('usage', 'The email column and the flag column must be two different columns.')
      options = {
        ...read,
        ...flagValues,
        // Keep the detected reading choices so the full pass reads exactly what was inspected.
        ...(inspection.encoding ? { encoding: inspection.encoding } : {}),
        ...(inspection.delimiter ? { delimiter: inspection.delimiter } : {}),
        ...(inspection.sheet ? { sheet: inspection.sheet } : {}),
        headerRow: inspection.headerRow,
        mapping,
        onConflict,
        groupNames: { '0': group0Name ?? 'Flag 0', '1': group1Name ?? 'Flag 1' },
      }
    } catch (error) {
      if (error instanceof UserFacingError && (error.code === 'usage' || error.code === 'flag_value_assigned_twice'))
        return usageError('prepare', error, io)
      throw error
    }
    const summary = await prepareJob(path, options, outDir)
    io.stdout(json ? `${JSON.stringify(summary, null, 2)}\n` : humanSummary(summary, outDir))
    return EXIT.ok
  },
}

function humanSummary(summary: PrepareSummary, outDir: string): string {
  const n = (value: number): string => value.toLocaleString('en-US')
  const source = summary.source
  const how = [
    source.format === 'xlsx'
      ? `sheet "${source.sheet}"`
      : `${source.encoding ? ENCODING_LABELS[source.encoding] : ''}, ${delimiterName(source.delimiter)}-separated`,
    source.headerRow > 0 ? `header on row ${source.headerRow}` : 'no header row',
  ].join(', ')
  const columnName = (index: number): string => summary.columns[index]?.name ?? `Column ${index + 1}`
  const lines = [
    `Prepared ${n(summary.rows)} rows from ${source.fileName} (${how}).`,
    `Email column: "${columnName(summary.mapping.emailColumn)}"; flag column: "${columnName(summary.mapping.flagColumn)}".`,
    `  ${summary.groupNames['0']}: ${n(summary.groups['0'])} contacts → ${resolve(outDir, JOB_FILES.group0)}`,
    `  ${summary.groupNames['1']}: ${n(summary.groups['1'])} contacts → ${resolve(outDir, JOB_FILES.group1)}`,
  ]
  const problemTotal = PROBLEM_REASONS.reduce((sum, reason) => sum + summary.problems[reason], 0)
  lines.push(`  Left out: ${n(problemTotal)} rows → ${resolve(outDir, JOB_FILES.problems)}`)
  for (const reason of PROBLEM_REASONS) {
    if (summary.problems[reason] > 0)
      lines.push(`    ${n(summary.problems[reason]).padStart(9)}  ${REASON_TITLES[reason]} (${reason})`)
  }
  const unassigned = summary.flagValues.filter((v) => v.assignedTo === 'unassigned')
  if (unassigned.length > 0) {
    lines.push(
      `Flag values not assigned to a group: ${unassigned
        .slice(0, 10)
        .map((v) => `"${v.value}" (${n(v.count)})`)
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
