import { Button, Group, Stack, Text, Title } from '@mantine/core'
import { chooseFlagPlacement } from '../prepare/mapping'
import { usePrepareSession } from '../prepare/session'
import { countOf } from '../../common/words'
import type { Summary } from '../prepare/types'
import { FlagValuesTable } from '../prepare/FlagValuesTable'

/**
 * Every value the flag column holds across the whole file, with its row count. A value nobody
 * assigned can be assigned here; "Prepare again" then applies it.
 */
export function FlagValueReview({ summary }: { summary: Summary }) {
  const { loaded, updateDraft, run, currentKey, startRun } = usePrepareSession()
  if (!loaded) return null
  const changed = run.status === 'done' && run.key !== currentKey
  const flagColumn = summary.columns[summary.mapping.flagColumn]?.name ?? 'the flag column'
  const undecided = summary.problems.unrecognized_flag
  return (
    <Stack>
      <Title order={3}>Flag values in the whole file</Title>
      <Text size="sm">
        The values of “{flagColumn}” and how many rows have each.
        {undecided > 0 &&
          ` ${countOf(undecided, 'row')} went to neither group because of their flag value; assign the value to a group to include them.`}
      </Text>
      <FlagValuesTable
        values={summary.flagValues}
        blanks={summary.blankFlags ?? 0}
        draft={loaded.draft}
        countTitle="Rows"
        onPlace={(value, placement) => updateDraft((draft) => chooseFlagPlacement(draft, value, placement))}
      />
      {changed && (
        <Group>
          <Button onClick={startRun}>Prepare again</Button>
          <Text size="sm">to apply your changes</Text>
        </Group>
      )}
    </Stack>
  )
}
