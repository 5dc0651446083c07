import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core'
import { REASON_TITLES } from '../../../../shared/prepare/words'
import { PROBLEM_REASONS } from '../../../../shared/prepare/schemas'
import type { ProblemReason } from '../prepare/types'
import { formatCount } from '../../common/words'
import { REASON_DESCRIPTIONS } from './words'
import type { Summary } from '../prepare/types'

/** The problems grouped by reason: how many, what it means, and a way to see those rows. */
export function ProblemsByReason({ summary, onShow }: { summary: Summary; onShow(reason: ProblemReason): void }) {
  const present = PROBLEM_REASONS.filter((reason) => summary.problems[reason] > 0)
  if (present.length === 0) {
    return (
      <Alert color="teal" title="No problems">
        Every row is in one of the two groups.
      </Alert>
    )
  }
  return (
    <Stack gap="sm">
      {present.map((reason) => (
        <Card key={reason} withBorder padding="sm" data-testid={`reason-${reason}`}>
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Stack gap={4}>
              <Group gap="xs">
                <Title order={4} size="h5">
                  {REASON_TITLES[reason]}
                </Title>
                <Badge color="red" variant="light" data-testid="reason-count">
                  {formatCount(summary.problems[reason])}
                </Badge>
              </Group>
              <Text size="sm">{REASON_DESCRIPTIONS[reason]}</Text>
            </Stack>
            <Button
              variant="light"
              size="xs"
              style={{ flexShrink: 0 }}
              onClick={() => onShow(reason)}
              aria-label={`Show the rows: ${REASON_TITLES[reason]}`}
            >
              Show these rows
            </Button>
          </Group>
        </Card>
      ))}
    </Stack>
  )
}
