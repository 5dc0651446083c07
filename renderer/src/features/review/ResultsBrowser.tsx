import { Group, Select, Stack, Tabs, Text, TextInput } from '@mantine/core'
import { useDebouncedValue } from '@mantine/hooks'
import { useMemo, useState } from 'react'
import { REASON_TITLES } from '../../../../shared/prepare/words'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { countOf, formatCount } from '../../common/words'
import type { PrepareResult, ProblemReason, ResultKind, Summary } from '../prepare/types'
import { groupColumns, problemColumns, ResultsTable } from './ResultsTable'
import { useResultsTotal, type ResultsSource } from './use-result-rows'
import { leftOutCounts, outputColumnLabel, reasonsPresent } from './words'

export interface BrowserFilter {
  kind: ResultKind
  reason: ProblemReason | null
}

/** A full pass's result (`runId` tells its passes apart) and which of its rows are shown. */
export interface PreparedRows {
  result: PrepareResult
  runId: string
  filter: BrowserFilter
  onFilter(filter: BrowserFilter): void
}

/**
 * The rows of each group and the problems, one tab each, with a search and (for problems) a
 * reason filter. The filter can also be set from outside ("Show these rows" on a reason).
 */
export function ResultsBrowser({ result, runId, filter, onFilter }: PreparedRows) {
  const { summary } = result
  const [search, setSearch] = useState('')
  const [debouncedSearch] = useDebouncedValue(search, 300)
  const leftOut = leftOutCounts(summary)
  const tabs: Array<{ kind: ResultKind; label: string; count: number }> = [
    { kind: 'group0', label: summary.groupNames['0'], count: summary.groups['0'] },
    { kind: 'group1', label: summary.groupNames['1'], count: summary.groups['1'] },
    {
      kind: 'problems',
      label: leftOut.settled > 0 ? 'Problems and settled rows' : 'Problems',
      count: leftOut.problems + leftOut.settled,
    },
  ]
  const current = tabs.find((tab) => tab.kind === filter.kind)!
  const source: ResultsSource = {
    jobId: result.jobId,
    generation: runId,
    kind: filter.kind,
    ...(filter.kind === 'problems' && filter.reason ? { reason: filter.reason } : {}),
    search: debouncedSearch,
  }

  const content = (
    <Stack gap="sm" pt="sm">
      <RowFilters summary={summary} search={search} onSearch={setSearch} filter={filter} onFilter={onFilter} />
      <MatchingRows
        label={current.kind === 'problems' ? 'Rows with problems' : `Rows in “${current.label}”`}
        summary={summary}
        source={source}
        filtered={debouncedSearch.trim() !== '' || filter.reason !== null}
      />
    </Stack>
  )

  return (
    <Tabs
      value={filter.kind}
      onChange={(kind) => kind && onFilter({ kind: kind as ResultKind, reason: null })}
      keepMounted={false}
    >
      <Tabs.List>
        {tabs.map((tab) => (
          <Tabs.Tab key={tab.kind} value={tab.kind}>
            {tab.label} ({formatCount(tab.count)})
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {tabs.map((tab) => (
        <Tabs.Panel key={tab.kind} value={tab.kind}>
          {tab.kind === filter.kind && content}
        </Tabs.Panel>
      ))}
    </Tabs>
  )
}

/** The search, and for the problems the kind of problem to show. */
function RowFilters({
  summary,
  search,
  onSearch,
  filter,
  onFilter,
}: {
  summary: Summary
  search: string
  onSearch(search: string): void
  filter: BrowserFilter
  onFilter(filter: BrowserFilter): void
}) {
  const present = reasonsPresent(summary)
  return (
    <Group align="flex-end">
      <TextInput
        label="Search"
        description="Rows with this text in any cell"
        value={search}
        onChange={(event) => onSearch(event.currentTarget.value)}
        maxLength={200}
        w={320}
      />
      {filter.kind === 'problems' && (
        <Select
          label="Kind of problem"
          description="Show only one kind"
          data={[
            { value: 'all', label: 'All problems' },
            ...[...present.problems, ...present.settled].map((reason) => ({
              value: reason,
              label: `${REASON_TITLES[reason]} (${formatCount(summary.problems[reason])})`,
            })),
          ]}
          value={filter.reason ?? 'all'}
          onChange={(value) =>
            onFilter({ kind: 'problems', reason: value && value !== 'all' ? (value as ProblemReason) : null })
          }
          allowDeselect={false}
          w={360}
        />
      )}
    </Group>
  )
}

/** How many rows match, and the table of them (shown afresh, at the top, for every new filter). */
function MatchingRows({
  label,
  summary,
  source,
  filtered,
}: {
  label: string
  summary: Summary
  source: ResultsSource
  filtered: boolean
}) {
  const total = useResultsTotal(source)
  const count = total.data?.total
  const columns = useMemo(
    () =>
      source.kind === 'problems'
        ? problemColumns(summary.columns.map((column) => column.name))
        : groupColumns(summary.outputColumns, outputColumnLabel),
    [source.kind, summary],
  )
  return (
    <>
      {total.error && <ProblemAlert problem={total.error} onRetry={() => void total.refetch()} />}
      <Text size="sm" aria-live="polite" data-testid="results-total">
        {count === undefined
          ? 'Loading…'
          : count === 0
            ? 'No rows match.'
            : `${countOf(count, 'row')}${filtered ? (count === 1 ? ' matches' : ' match') : ''}`}
      </Text>
      <ResultsTable key={JSON.stringify(source)} label={label} source={source} total={count ?? 0} columns={columns} />
    </>
  )
}
