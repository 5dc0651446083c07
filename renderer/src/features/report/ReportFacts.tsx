import { Badge, Table } from '@mantine/core'
import { formatCount, when } from '../../common/words'
import type { ReportModel } from '../upload/types'

/** The file, when it was prepared and uploaded, and the account it went to. */
export function ReportFacts({ model }: { model: ReportModel }) {
  const account = model.account
  const facts: Array<[string, string]> = [
    ['File', model.sourceFile],
    ['Prepared', when(model.preparedAt)],
    ['Uploaded', model.uploadStartedAt ? when(model.uploadStartedAt) : 'not yet'],
    [
      'Constant Contact account',
      account
        ? `${account.name ?? 'Constant Contact account'}${account.email ? ` (${account.email})` : ''}`
        : 'not recorded',
    ],
    ['Rows in the file', formatCount(model.rowsInFile)],
    ['Report made', when(model.generatedAt)],
  ]
  return (
    <Table variant="vertical" withTableBorder aria-label="About this upload" data-testid="report-facts">
      <Table.Tbody>
        {facts.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w={240}>{label}</Table.Th>
            <Table.Td>
              {value}
              {label === 'Constant Contact account' && account?.practice && (
                <Badge ml="sm" color="violet" variant="filled">
                  Practice account: nothing really sent
                </Badge>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}
