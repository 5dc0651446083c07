import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core'
import { REASON_TITLES } from '../../../../shared/prepare/words'
import type { ProblemReason, Summary } from '../prepare/types'
import { formatCount } from '../../common/words'
import { conflictRuleWords, REASON_DESCRIPTIONS, reasonsPresent } from './words'

/**
 * The problems grouped by reason: how many, what it means, and a way to see those rows. Rows the
 * person's own conflict rule settled are listed apart: they need nothing more.
 */
export function ProblemsByReason({ summary, onShow }: { summary: Summary; onShow(reason: ProblemReason): void }) {
  const { problems, settled } = reasonsPresent(summary)
  return (
    <Stack gap="sm">
      {problems.length === 0 ? (
        <Alert color="teal" title="No problems">
          {settled.length === 0
            ? 'Every row is in one of the two groups.'
            : 'Every row is in one of the two groups, or was settled by the rule you chose.'}
        </Alert>
      ) : (
        problems.map((reason) => <ReasonCard key={reason} reason={reason} summary={summary} onShow={onShow} />)
      )}
      {settled.length > 0 && (
        <>
          <Title order={4}>Settled by {conflictRuleWords(summary.onConflict)}, as you chose</Title>
          {settled.map((reason) => (
            <ReasonCard key={reason} reason={reason} summary={summary} onShow={onShow} settled />
          ))}
        </>
      )}
    </Stack>
  )
}

function ReasonCard({
  reason,
  summary,
  onShow,
  settled = false,
}: {
  reason: ProblemReason
  summary: Summary
  onShow(reason: ProblemReason): void
  settled?: boolean
}) {
  return (
    <Card withBorder padding="sm" data-testid={`reason-${reason}`}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Stack gap={4}>
          <Group gap="xs">
            <Title order={settled ? 5 : 4} size="h5">
              {REASON_TITLES[reason]}
            </Title>
            <Badge color={settled ? 'gray' : 'red'} variant="light" data-testid="reason-count">
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
          aria-label={`Show these rows: ${REASON_TITLES[reason]}`}
        >
          Show these rows
        </Button>
      </Group>
    </Card>
  )
}
