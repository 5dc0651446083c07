import { Select, Table, Text, TextInput } from '@mantine/core'
import { trimCell } from '../../../../shared/prepare/email'
import { CONTACT_FIELD_LABELS } from '../../../../shared/prepare/words'
import { customFieldName } from '../../../../shared/prepare/output-columns'
import { CONTACT_FIELDS } from '../../../../shared/prepare/schemas'
import type { ColumnInfo, ColumnTarget, ContactFieldName } from '../prepare/types'
import { columnLabel } from './columns'
import type { MappingDraft } from '../prepare/mapping'
import type { Inspection } from '../prepare/types'

const DONT_SEND = 'ignore'
const CUSTOM = 'custom'

/**
 * Every other column, sent to Constant Contact as one of its standard fields, as a custom field the
 * person names, or not at all. Each standard field can take one column.
 */
export function OtherColumns({
  inspection,
  draft,
  onChange,
}: {
  inspection: Inspection
  draft: MappingDraft
  onChange(column: number, target: ColumnTarget): void
}) {
  const others = inspection.columns.filter(
    (column) => column.index !== draft.emailColumn && column.index !== draft.flagColumn,
  )
  if (others.length === 0) return <Text c="dimmed">The file has no other columns.</Text>
  const usedBy = new Map<ContactFieldName, number>()
  for (const [column, target] of Object.entries(draft.targets))
    if (target.kind === 'field') usedBy.set(target.field, Number(column))

  return (
    <Table withTableBorder aria-label="Other columns">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Column</Table.Th>
          <Table.Th scope="col">For example</Table.Th>
          <Table.Th scope="col">Send to Constant Contact as</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {others.map((column) => (
          <OtherColumnRow
            key={column.index}
            column={column}
            label={columnLabel(column, inspection.columns)}
            example={
              inspection.previewRows
                .map((row) => trimCell(row.cells[column.index] ?? ''))
                .find((cell) => cell !== '') ?? ''
            }
            target={draft.targets[column.index] ?? { kind: 'ignore' }}
            takenFields={new Set([...usedBy].filter(([, by]) => by !== column.index).map(([field]) => field))}
            onChange={(target) => onChange(column.index, target)}
          />
        ))}
      </Table.Tbody>
    </Table>
  )
}

function OtherColumnRow({
  column,
  label,
  example,
  target,
  takenFields,
  onChange,
}: {
  column: ColumnInfo
  label: string
  example: string
  target: ColumnTarget
  takenFields: Set<ContactFieldName>
  onChange(target: ColumnTarget): void
}) {
  const value = target.kind === 'field' ? target.field : target.kind === 'custom' ? CUSTOM : DONT_SEND
  const data = [
    { group: 'Not sent', items: [{ value: DONT_SEND, label: 'Don’t send' }] },
    {
      group: 'Constant Contact fields',
      items: CONTACT_FIELDS.map((field) => ({
        value: field,
        label: CONTACT_FIELD_LABELS[field] + (takenFields.has(field) ? ' (used by another column)' : ''),
        disabled: takenFields.has(field),
      })),
    },
    { group: 'Your own field', items: [{ value: CUSTOM, label: 'A custom field (you name it)' }] },
  ]
  const choose = (next: string | null) => {
    if (next === null || next === value) return
    if (next === DONT_SEND) onChange({ kind: 'ignore' })
    else if (next === CUSTOM)
      onChange({ kind: 'custom', name: customFieldName(column.name || `column ${column.index + 1}`) })
    else onChange({ kind: 'field', field: next as ContactFieldName })
  }
  return (
    <Table.Tr>
      <Table.Td>{label}</Table.Td>
      <Table.Td>
        <Text size="sm" lineClamp={1} maw={220}>
          {example}
        </Text>
      </Table.Td>
      <Table.Td>
        <Select
          aria-label={`Send “${label}” as`}
          data={data}
          value={value}
          onChange={choose}
          allowDeselect={false}
          searchable
          maw={320}
        />
        {target.kind === 'custom' && (
          <TextInput
            mt="xs"
            maw={320}
            label={`Custom field name for “${label}”`}
            description={`Saved in Constant Contact as “${customFieldName(target.name)}”.`}
            value={target.name}
            maxLength={50}
            onChange={(event) => onChange({ kind: 'custom', name: event.currentTarget.value })}
            error={target.name.trim() === '' ? 'Give the field a name.' : null}
          />
        )}
      </Table.Td>
    </Table.Tr>
  )
}
