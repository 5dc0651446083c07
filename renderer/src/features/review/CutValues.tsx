import { Card, Stack, Table, Text, Title } from '@mantine/core'
import { formatCount } from '../../common/words'
import type { Summary } from '../prepare/types'
import { outputColumnLabel } from './words'

/**
 * Values longer than Constant Contact's import takes, which were cut to that length in the group
 * files: per column, the limit, how many rows, and which (the first 100). The spreadsheet itself is
 * not changed.
 */
export function CutValues({ summary }: { summary: Summary }) {
  if (summary.cutValues.length === 0) return null
  return (
    <Card withBorder data-testid="cut-values">
      <Stack gap="xs">
        <Title order={3}>Values cut to Constant Contact’s lengths</Title>
        <Text size="sm">
          Constant Contact’s import takes values of limited length (names, phones, city and the like 50 characters;
          street and your own fields 255). These values were longer, so the group files hold their first characters
          only; the rest would have made Constant Contact refuse the contact. Your spreadsheet is not changed.
        </Text>
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Column</Table.Th>
              <Table.Th>Sent as</Table.Th>
              <Table.Th>Cut to</Table.Th>
              <Table.Th>Rows</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {summary.cutValues.map((cut) => (
              <Table.Tr key={cut.column} data-testid={`cut-${cut.column}`}>
                <Table.Td>{cut.sourceColumn}</Table.Td>
                <Table.Td>{outputColumnLabel(cut.column)}</Table.Td>
                <Table.Td>{cut.limit} characters</Table.Td>
                <Table.Td>
                  {formatCount(cut.rows)}: row{cut.rows === 1 ? '' : 's'} {cut.firstRows.join(', ')}
                  {cut.rows > cut.firstRows.length ? ` and ${formatCount(cut.rows - cut.firstRows.length)} more` : ''}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Card>
  )
}
