import { Progress, Table, Text } from '@mantine/core'
import type { GroupKey } from '../../../../shared/ids'
import type { ActivityProgress } from './types'
import { ACTIVITY_STATE_WORDS, activityCounts, activityName } from './words'
import { formatCount } from '../../common/words'

/** One row per import activity: what it is, where it stands, and Constant Contact's counts once known. */
export function ActivityRows({
  activities,
  groupNames,
}: {
  activities: ActivityProgress[]
  groupNames: Record<GroupKey, string>
}) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table striped withTableBorder aria-label="Imports to Constant Contact">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Import</Table.Th>
            <Table.Th>List</Table.Th>
            <Table.Th ta="right">Contacts</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th w={180}>Progress</Table.Th>
            <Table.Th ta="right">Added</Table.Th>
            <Table.Th ta="right">Not added</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {activities.map((a) => {
            const name = activityName(a, groupNames, activities)
            const percent = a.state === 'completed' ? 100 : Math.round(a.percentDone)
            const counts = activityCounts(a)
            return (
              <Table.Tr key={a.id} data-testid="activity-row" data-state={a.state}>
                <Table.Td>{name}</Table.Td>
                <Table.Td>{a.listName}</Table.Td>
                <Table.Td ta="right">{formatCount(a.contacts)}</Table.Td>
                <Table.Td data-testid="activity-state">
                  {ACTIVITY_STATE_WORDS[a.state]}
                  {a.attempt > 1 ? ` (try ${a.attempt})` : ''}
                </Table.Td>
                <Table.Td>
                  <Progress
                    value={percent}
                    size="md"
                    aria-label={`${name}: ${percent} percent`}
                    color={
                      a.state === 'failed' || a.state === 'rejected' || a.state === 'timed_out' ? 'red.8' : undefined
                    }
                  />
                  <Text size="xs" data-testid="activity-percent">
                    {percent} %
                  </Text>
                </Table.Td>
                <Table.Td ta="right" data-testid="activity-added">
                  {counts.added}
                </Table.Td>
                <Table.Td ta="right" data-testid="activity-not-added">
                  {counts.notAdded}
                </Table.Td>
              </Table.Tr>
            )
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}
