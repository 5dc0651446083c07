import { Badge, Button, Card, Group, LoadingOverlay, Stack, Text, Title } from '@mantine/core'
import { CautionAlert } from '../../common/components/CautionAlert'
import type { AttachedFile } from '../prepare/types'
import { hasNoRows, rowCountOf, type RowCount } from './row-count'
import type { RunState } from '../prepare/session'
import { countOf, formatBytes, formatCount } from '../../common/words'
import { DELIMITER_NAMES, FORMAT_NAMES } from './words'
import type { Inspection } from '../prepare/types'
import { FirstRowsTable } from '../../common/components/FirstRowsTable'
import { ColumnsTable } from './ColumnsTable'
import { ReadingSettings } from './ReadingSettings'
import type { ReadOptions } from '../prepare/types'

const FIRST_ROWS_SHOWN = 5

/** What Splitsend found in the file: how it is read (changeable), its size in rows, its columns and first rows. */
export function FileDetails({
  file,
  inspection,
  run,
  rereading,
  sheetChosenByPerson,
  onChangeReading,
}: {
  file: AttachedFile
  inspection: Inspection
  run: RunState
  rereading: boolean
  sheetChosenByPerson: boolean
  onChangeReading(change: ReadOptions): void
}) {
  const rows = rowCountOf(inspection, file.fileId, run)
  return (
    <Card withBorder aria-label="The spreadsheet you opened" pos="relative">
      <LoadingOverlay visible={rereading} overlayProps={{ blur: 1 }} />
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={3}>{file.name}</Title>
            <Text size="sm" c="dimmed">
              {FORMAT_NAMES[inspection.format]}, {formatBytes(inspection.sizeBytes)}
            </Text>
          </Stack>
          <RowCountBadge count={rows} />
        </Group>
        <Text size="sm">{describeLayout(inspection)}</Text>
        <ReadingSettings
          inspection={inspection}
          sheetChosenByPerson={sheetChosenByPerson}
          disabled={rereading}
          onChange={onChangeReading}
        />
        {/* With no rows, what the columns might be is beside the point (the screen says the file has no contacts). */}
        {!hasNoRows(inspection) && <CautionAlert title="Please check" items={inspection.warnings} />}
        <Title order={4}>Columns</Title>
        <ColumnsTable inspection={inspection} />
        <Title order={4}>First rows</Title>
        <FirstRowsTable
          label="First rows of the file"
          rows={inspection.previewRows.slice(0, FIRST_ROWS_SHOWN)}
          columns={inspection.columns.map((column) => ({
            key: String(column.index),
            title: column.name,
            cell: (row) => row.cells[column.index],
          }))}
        />
      </Stack>
    </Card>
  )
}

function RowCountBadge({ count }: { count: RowCount }) {
  const text =
    count.kind === 'exact'
      ? countOf(count.rows, 'row')
      : count.kind === 'about'
        ? `About ${formatCount(count.rows)} rows`
        : 'Counting rows…'
  return (
    <Badge size="lg" variant={count.kind === 'exact' ? 'filled' : 'light'} data-testid="row-count">
      {text}
    </Badge>
  )
}

function describeLayout(inspection: Inspection): string {
  const columns = countOf(inspection.columns.length, 'column')
  const header = inspection.headerRow === 0 ? 'no header row' : `column names on row ${inspection.headerRow}`
  if (inspection.format === 'xlsx') return `${columns} on sheet “${inspection.sheet ?? ''}”, ${header}.`
  const separator = inspection.delimiter
    ? DELIMITER_NAMES[inspection.delimiter].replace(/ \(.*\)$/, '').toLowerCase()
    : 'commas'
  return `${columns}, separated by ${separator}, ${header}.`
}

/** Offers the next step once a file is read. */
export function ContinueToMap({ onContinue }: { onContinue(): void }) {
  return (
    <Group justify="flex-end">
      <Button size="md" onClick={onContinue}>
        Continue: choose the columns
      </Button>
    </Group>
  )
}
