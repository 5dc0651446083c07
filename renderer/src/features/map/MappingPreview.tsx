import { Text } from '@mantine/core'
import { CONTACT_FIELD_LABELS } from '../../../../shared/prepare/words'
import { REASON_TITLES } from '../../../../shared/prepare/words'
import { customFieldName } from '../../../../shared/prepare/output-columns'
import { columnLabel } from './columns'
import { columnMapping, type MappingDraft } from '../prepare/mapping'
import { classifyPreview, type PreviewDestination } from './preview'
import type { Inspection } from '../prepare/types'
import { FirstRowsTable, type FirstRowsColumn } from '../../common/components/FirstRowsTable'

const ROWS_SHOWN = 10

/** The first rows as they would be sent: where each goes, and what goes to Constant Contact. */
export function MappingPreview({ inspection, draft }: { inspection: Inspection; draft: MappingDraft }) {
  if (draft.emailColumn < 0 || draft.flagColumn < 0)
    return <Text c="dimmed">Choose the email and flag columns to see where the first rows go.</Text>
  const rows = classifyPreview(inspection, draft).slice(0, ROWS_SHOWN)
  const destinationOf = new Map(rows.map((row) => [row.row, row.destination]))
  const source = (index: number) => columnLabel(inspection.columns[index]!, inspection.columns)
  const columns: FirstRowsColumn[] = [
    {
      key: 'goes-to',
      title: 'Goes to',
      cell: (row) => <Destination destination={destinationOf.get(row.row)!} names={draft.groupNames} />,
    },
    {
      key: 'email',
      title: `Email address (from “${source(draft.emailColumn)}”)`,
      cell: (row) => row.cells[draft.emailColumn],
    },
    { key: 'flag', title: `Flag (from “${source(draft.flagColumn)}”)`, cell: (row) => row.cells[draft.flagColumn] },
    ...columnMapping(draft).fields.map(({ column, target }) => ({
      key: String(column),
      title: `${target.kind === 'field' ? CONTACT_FIELD_LABELS[target.field] : target.kind === 'custom' ? `Custom: ${customFieldName(target.name)}` : ''} (from “${source(column)}”)`,
      cell: (row: { cells: string[] }) => row.cells[column],
    })),
  ]
  return <FirstRowsTable label="Where the first rows go" columns={columns} rows={rows} />
}

function Destination({ destination, names }: { destination: PreviewDestination; names: MappingDraft['groupNames'] }) {
  if (destination.kind === 'group') {
    return (
      <Text
        size="sm"
        fw={600}
        c={destination.group === '1' ? 'var(--mantine-color-teal-text)' : 'var(--mantine-color-blue-text)'}
        data-testid="preview-destination"
      >
        {names[destination.group]}
      </Text>
    )
  }
  return (
    <Text size="sm" fw={600} c="var(--mantine-color-red-text)" data-testid="preview-destination">
      Problem: {REASON_TITLES[destination.reason]}
    </Text>
  )
}
