import { Button, Card, Group, Progress, Stack, Text } from '@mantine/core'
import type { PrepareProgress } from './types'
import { countOf } from '../../common/words'

/** How far the full pass has got, in words and as a bar, with a way to stop it. */
export function RunProgress({
  title,
  progress,
  onStop,
}: {
  title: string
  progress: PrepareProgress | null
  onStop(): void
}) {
  const percent = Math.round((progress?.fraction ?? 0) * 100)
  const detail = !progress
    ? 'Starting…'
    : progress.phase === 'reading'
      ? `${countOf(progress.rowsDone, 'row')} read`
      : `Writing the files: ${countOf(progress.rowsDone, 'row')} written`
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{title}</Text>
          <Text size="sm">{percent} %</Text>
        </Group>
        <Progress value={percent} aria-label={title} animated size="lg" />
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {detail}
          </Text>
          <Button variant="default" size="xs" onClick={onStop}>
            Stop
          </Button>
        </Group>
      </Stack>
    </Card>
  )
}
