import { resolve } from 'node:path'
import { CONTACT_FIELD_LABELS } from '../../../shared/prepare/words'
import type { SourceInspection } from '../../services/prepare/inspect'
import { inspectInWorker } from '../../services/prepare/inspect-thread'
import { ENCODING_LABELS } from '../../services/spreadsheet/encoding'
import { EXIT, type CliCommand } from '../command'
import { onePositional, parseCommandLine, READ_OPTIONS, readOptionsFrom } from '../command-line'
import { oneLine } from '../terminal-text'

const USAGE = `Usage: splitsend inspect <file> [--json] [--sheet <name>] [--header-row <n>] [--encoding <enc>] [--delimiter <d>]

Reads only the beginning of a spreadsheet and shows what Splitsend found: the format, encoding,
delimiter and sheets, the header row and columns, the suggested email and flag columns and
Constant Contact fields, and the first rows. Nothing is written.

Options:
  --json              Print the result as JSON
  --sheet, --header-row, --encoding, --delimiter   As for 'splitsend prepare'
`

export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary: 'Show the columns, suggested mapping and first rows of a spreadsheet',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseCommandLine(args, { ...READ_OPTIONS, json: { type: 'boolean' } })
    const path = onePositional(
      positionals,
      'Name the spreadsheet to inspect.',
      'Name exactly one spreadsheet to inspect.',
      'Usage: splitsend inspect <file> [--json]',
    )
    const inspection = await inspectInWorker(resolve(path), readOptionsFrom(values))
    io.stdout(values.json ? `${JSON.stringify(inspection, null, 2)}\n` : humanInspection(inspection))
    return EXIT.ok
  },
}

function humanInspection(inspection: SourceInspection): string {
  const lines: string[] = [
    `${oneLine(inspection.fileName)}: ${inspection.format === 'xlsx' ? 'Excel workbook' : 'text (CSV)'}, ${inspection.sizeBytes.toLocaleString('en-US')} bytes`,
  ]
  if (inspection.encoding)
    lines.push(
      `Encoding: ${ENCODING_LABELS[inspection.encoding]}${inspection.encoding === inspection.encodingDetected ? ' (detected)' : ''}`,
    )
  if (inspection.delimiter)
    lines.push(
      `Delimiter: ${JSON.stringify(inspection.delimiter)}${inspection.delimiter === inspection.delimiterDetected ? ' (detected)' : ''}`,
    )
  if (inspection.sheets)
    lines.push(
      `Sheets: ${inspection.sheets.map((s) => `"${oneLine(s.name)}"${s.name === inspection.sheet ? ' (chosen)' : ''}${s.hasData ? '' : ' (empty)'}`).join(', ')}`,
    )
  lines.push(
    inspection.headerRow > 0 ? `Header row: ${inspection.headerRow}` : 'Header row: none (columns are numbered)',
  )
  const { mapping } = inspection.suggestion
  const target = (index: number): string => {
    if (index === mapping.emailColumn) return `email (${inspection.suggestion.emailBasis})`
    if (index === mapping.flagColumn) return `flag (${inspection.suggestion.flagBasis})`
    const field = mapping.fields.find((f) => f.column === index)?.target
    if (field?.kind === 'field') return CONTACT_FIELD_LABELS[field.field]
    if (field?.kind === 'custom') return `custom field ${oneLine(field.name)}`
    return 'not sent'
  }
  lines.push('Columns:')
  for (const column of inspection.columns)
    lines.push(`  ${String(column.index + 1).padStart(3)}  ${oneLine(column.name)}  →  ${target(column.index)}`)
  if (inspection.flagValues.length > 0) {
    lines.push(
      `Flag values in the first rows: ${inspection.flagValues.map((v) => `"${oneLine(v.value)}" ${v.count}× (${v.assignedTo === 'unassigned' ? 'not assigned' : v.assignedTo === 'leave_out' ? 'left out' : `group ${v.assignedTo}`})`).join(', ')}`,
    )
  }
  lines.push(
    `First rows${inspection.complete ? '' : ` (of about ${inspection.estimatedRows?.toLocaleString('en-US') ?? 'many'})`}:`,
  )
  for (const row of inspection.previewRows.slice(0, 10))
    lines.push(`  ${String(row.row).padStart(5)}  ${row.cells.map(oneLine).join(' | ')}`)
  for (const warning of inspection.warnings) lines.push(`Note: ${warning}`)
  return `${lines.join('\n')}\n`
}
