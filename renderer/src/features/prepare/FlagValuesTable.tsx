import { Badge, Group, Select, Table, Text } from '@mantine/core'
import { isStandardFlagValue } from '../../../../shared/prepare/flags'
import { BLANK_FLAG, flagRulesOf, placementOf, type FlagPlacement, type MappingDraft } from './mapping'
import { READABLE_BADGE } from '../../common/styles'
import { formatCount } from '../../common/words'

export interface FlagValueRow {
  value: string
  count: number
}

/**
 * The flag column's distinct values and where each one's rows go. The standard values (0/1,
 * yes/no, true/false…) start in their group; any other value starts "not decided", and its rows
 * are listed as problems until the person assigns it — it is never quietly put in a group. Empty
 * flag cells are a row of their own, placed like any value.
 */
export function FlagValuesTable({
  values,
  blanks,
  draft,
  countTitle,
  onPlace,
}: {
  values: FlagValueRow[]
  /** Rows whose flag cell is empty. */
  blanks: number
  draft: MappingDraft
  countTitle: string
  onPlace(value: string, placement: FlagPlacement): void
}) {
  const rules = flagRulesOf(draft)
  const rows = blanks > 0 ? [...values, { value: BLANK_FLAG, count: blanks }] : values
  const { groupNames } = draft
  return (
    <Table withTableBorder aria-label="Flag values">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">Value in the file</Table.Th>
          <Table.Th scope="col" ta="right">
            {countTitle}
          </Table.Th>
          <Table.Th scope="col">Where these rows go</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map(({ value, count }) => {
          const blank = value === BLANK_FLAG
          const placement = placementOf(rules, value)
          const options = [
            { value: '0', label: `To “${groupNames['0']}”` },
            { value: '1', label: `To “${groupNames['1']}”` },
            { value: 'leave_out', label: 'Leave these rows out' },
            ...(isStandardFlagValue(value)
              ? []
              : [
                  {
                    value: 'unassigned',
                    label: blank ? 'Listed as problems (no flag)' : 'Not decided (listed as problems)',
                  },
                ]),
          ]
          return (
            <Table.Tr key={blank ? '(empty)' : value} data-testid="flag-value-row">
              <Table.Td>
                <Group gap="xs">
                  {blank ? (
                    <Text fs="italic">(empty)</Text>
                  ) : (
                    <Text ff="monospace" fw={600}>
                      {value}
                    </Text>
                  )}
                  {placement === 'unassigned' && (
                    <Badge color="orange" variant="light" styles={READABLE_BADGE}>
                      Needs a decision
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td ta="right">{formatCount(count)}</Table.Td>
              <Table.Td>
                <Select
                  aria-label={
                    blank ? 'Where rows with an empty flag go' : `Where rows with the flag value “${value}” go`
                  }
                  data={options}
                  value={placement}
                  onChange={(next) => next && onPlace(value, next as FlagPlacement)}
                  allowDeselect={false}
                  maw={340}
                />
              </Table.Td>
            </Table.Tr>
          )
        })}
      </Table.Tbody>
    </Table>
  )
}
