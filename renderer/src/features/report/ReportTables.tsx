import { List, Stack, Table, Text, Title } from '@mantine/core'
import { ROW_STATUSES, ROW_STATUS_WORDS } from '../../../../shared/upload/schemas'
import type { ReportModel } from '../upload/types'
import { formatCount } from '../../common/words'

const dash = '—'

/** Each group: its list, and how many of its contacts were added, not added, not sent. */
export function GroupsTable({ model }: { model: ReportModel }) {
  return (
    <Table withTableBorder striped aria-label="Groups and lists" data-testid="report-groups">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Group</Table.Th>
          <Table.Th ta="right">Rows</Table.Th>
          <Table.Th>List</Table.Th>
          <Table.Th ta="right">Added</Table.Th>
          <Table.Th ta="right">Not added</Table.Th>
          <Table.Th ta="right">Not sent / not finished</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {model.groups.map((g) => (
          <Table.Tr key={g.group} data-testid={`report-group-${g.group}`}>
            <Table.Td>{g.groupName}</Table.Td>
            <Table.Td ta="right">{formatCount(g.rows)}</Table.Td>
            <Table.Td>
              {g.skipped
                ? 'Skipped (not uploaded)'
                : `${g.listName ?? ''}${g.listCreated ? ' (new list)' : ''}${g.membersBefore ? ` — had ${formatCount(g.membersBefore)} members before` : ''}`}
            </Table.Td>
            <Table.Td ta="right" data-testid="added">
              {g.skipped ? dash : formatCount(g.added)}
            </Table.Td>
            <Table.Td ta="right" data-testid="not-added">
              {g.skipped ? dash : formatCount(g.notAdded)}
            </Table.Td>
            <Table.Td ta="right">{g.skipped ? dash : formatCount(g.notSent)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

/** Every row of the file by outcome (what report.csv says row by row), the rows left out told apart by why. */
export function OutcomesTable({ model }: { model: ReportModel }) {
  const rows = ROW_STATUSES.filter((s) => model.rowCounts[s] > 0).flatMap((s) =>
    s === 'left_out' && model.leftOut.length > 0
      ? model.leftOut.map((l) => ({
          key: `left_out-${l.reason}`,
          words: `${ROW_STATUS_WORDS.left_out}: ${l.title}`,
          rows: l.rows,
        }))
      : [{ key: s, words: ROW_STATUS_WORDS[s], rows: model.rowCounts[s] }],
  )
  return (
    <Table withTableBorder aria-label="Rows of the file by outcome" data-testid="report-outcomes">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Outcome</Table.Th>
          <Table.Th ta="right">Rows</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.key} data-testid={`outcome-${row.key}`}>
            <Table.Td>{row.words}</Table.Td>
            <Table.Td ta="right">{formatCount(row.rows)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  )
}

/** The import activities with Constant Contact's IDs and counts, and the errors it reported. */
export function ActivitiesTable({ model }: { model: ReportModel }) {
  if (model.activities.length === 0) return <Text>No imports were sent.</Text>
  const errorLines = model.activities.flatMap((a) => [
    ...a.errors.slice(0, 20).map((e) => `Import ${a.id}: ${e}`),
    ...(a.errors.length > 20 || a.moreErrors
      ? [
          `Import ${a.id}: ${formatCount(a.errors.length - Math.min(20, a.errors.length) + a.moreErrors)} more error lines (in report.csv).`,
        ]
      : []),
  ])
  return (
    <Stack gap="sm">
      <Table.ScrollContainer minWidth={900}>
        <Table withTableBorder striped aria-label="Imports to Constant Contact" data-testid="report-activities">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Import</Table.Th>
              <Table.Th>Constant Contact activity ID</Table.Th>
              <Table.Th ta="right">Contacts</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th ta="right">Added</Table.Th>
              <Table.Th ta="right">Errors</Table.Th>
              <Table.Th ta="right">Correctable</Table.Th>
              <Table.Th ta="right">Unsubscribed before</Table.Th>
              <Table.Th ta="right">Tries</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {model.activities.map((a) => (
              <Table.Tr key={a.id} data-testid="report-activity">
                <Table.Td>{a.id}</Table.Td>
                <Table.Td style={{ wordBreak: 'break-all' }}>{a.activityId ?? dash}</Table.Td>
                <Table.Td ta="right">{formatCount(a.contacts)}</Table.Td>
                <Table.Td>{a.state}</Table.Td>
                <Table.Td ta="right">{a.counts ? formatCount(a.counts.person_count) : dash}</Table.Td>
                <Table.Td ta="right">{a.counts ? formatCount(a.counts.error_count) : dash}</Table.Td>
                <Table.Td ta="right">{a.counts ? formatCount(a.counts.correctable_count) : dash}</Table.Td>
                <Table.Td ta="right">{a.counts ? formatCount(a.counts.cannot_add_to_list_count) : dash}</Table.Td>
                <Table.Td ta="right">{a.attempts}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {errorLines.length > 0 && (
        <>
          <Title order={4}>What Constant Contact reported</Title>
          <List size="sm">
            {errorLines.map((line, i) => (
              <List.Item key={i}>{line}</List.Item>
            ))}
          </List>
        </>
      )}
    </Stack>
  )
}

/** A section a later step added (e.g. the sends), as it comes. */
export function ExtraSection({ section }: { section: ReportModel['sections'][number] }) {
  return (
    <Stack gap="xs">
      <Title order={3}>{section.title}</Title>
      {(section.paragraphs ?? []).map((p, i) => (
        <Text key={i}>{p}</Text>
      ))}
      {section.table && (
        <Table.ScrollContainer minWidth={600}>
          <Table withTableBorder striped aria-label={section.title}>
            <Table.Thead>
              <Table.Tr>
                {section.table.headers.map((h) => (
                  <Table.Th key={h}>{h}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {section.table.rows.map((row, i) => (
                <Table.Tr key={i}>
                  {row.map((cell, j) => (
                    <Table.Td key={j}>{cell}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  )
}
