import '@mantine/charts/styles.css'
import { DonutChart } from '@mantine/charts'
import { Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { countOf, formatCount } from '../../common/words'
import type { Summary } from '../prepare/types'
import { conflictRuleWords, leftOutCounts } from './words'

const GROUP_COLORS = { '0': 'blue.8', '1': 'teal.8', problems: 'red.8', settled: 'gray.7' } as const

/**
 * "1,000 rows: 371 in “No” + 612 in “Yes” + 17 problems" — every row accounted for, in words; rows
 * the person's conflict rule settled are counted apart ("+ 3 settled by “the first row wins”").
 */
function identitySentence(summary: Summary): string {
  const { problems, settled } = leftOutCounts(summary)
  const settledPart =
    settled > 0 ? ` + ${formatCount(settled)} settled by ${conflictRuleWords(summary.onConflict)}` : ''
  return `${countOf(summary.rows, 'row')}: ${formatCount(summary.groups['0'])} in “${summary.groupNames['0']}” + ${formatCount(summary.groups['1'])} in “${summary.groupNames['1']}” + ${countOf(problems, 'problem')}${settledPart}.`
}

/** The two groups side by side with their counts, the problems' count, and a chart of the split. */
export function SplitOverview({ summary }: { summary: Summary }) {
  const { problems, settled } = leftOutCounts(summary)
  const share = (n: number) =>
    summary.rows === 0 ? '' : ` · ${((n / summary.rows) * 100).toLocaleString('en-US', { maximumFractionDigits: 1 })} %`
  const cards = [
    {
      key: 'group0',
      title: summary.groupNames['0'],
      count: summary.groups['0'],
      note: 'contacts for its own list',
      color: GROUP_COLORS['0'],
    },
    {
      key: 'group1',
      title: summary.groupNames['1'],
      count: summary.groups['1'],
      note: 'contacts for its own list',
      color: GROUP_COLORS['1'],
    },
    {
      key: 'problems',
      title: 'Problems',
      count: problems,
      note: 'rows that go to neither list',
      color: GROUP_COLORS.problems,
    },
    ...(settled > 0
      ? [
          {
            key: 'settled',
            title: 'Settled by your rule',
            count: settled,
            note: `rows another row of the same address won over (${conflictRuleWords(summary.onConflict)})`,
            color: GROUP_COLORS.settled,
          },
        ]
      : []),
  ]
  return (
    <Stack gap="md">
      <Text size="lg" fw={600} data-testid="identity">
        {identitySentence(summary)}
      </Text>
      <Group align="stretch" wrap="wrap" gap="lg">
        <SimpleGrid cols={{ base: 1, sm: cards.length }} style={{ flex: 1, minWidth: 320 }}>
          {cards.map((card) => (
            <Card
              key={card.key}
              withBorder
              data-testid={`count-${card.key}`}
              style={{ borderTop: `4px solid var(--mantine-color-${card.color.replace('.', '-')})` }}
            >
              <Title order={3} size="h4">
                {card.title}
              </Title>
              <Text size="xl" fw={700} data-testid="count">
                {formatCount(card.count)}
              </Text>
              <Text size="sm" c="dimmed">
                {card.note}
                {share(card.count)}
              </Text>
            </Card>
          ))}
        </SimpleGrid>
        <figure style={{ margin: 0 }} aria-label="Chart of the split">
          <div aria-hidden="true">
            <DonutChart
              size={150}
              thickness={26}
              withTooltip={false}
              accessibilityLayer={false}
              pieProps={{ rootTabIndex: -1 }}
              data={[
                { name: summary.groupNames['0'], value: summary.groups['0'], color: GROUP_COLORS['0'] },
                { name: summary.groupNames['1'], value: summary.groups['1'], color: GROUP_COLORS['1'] },
                { name: 'Problems', value: problems, color: GROUP_COLORS.problems },
                { name: 'Settled by your rule', value: settled, color: GROUP_COLORS.settled },
              ]}
            />
          </div>
          <figcaption>
            <Text size="xs" c="dimmed" ta="center">
              How the {countOf(summary.rows, 'row')} split
            </Text>
          </figcaption>
        </figure>
      </Group>
    </Stack>
  )
}
