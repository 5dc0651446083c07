import { Accordion, Alert, Button, Card, Group, List, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core'
import { ask, useRequest } from '../../common/api/queries'
import { CautionAlert } from '../../common/components/CautionAlert'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { useCurrentJob } from '../upload/current-job'
import type { ReportModel } from '../upload/types'
import { SaveAsRoutine, useRecordRoutineRun } from '../routines/SaveAsRoutine'
import { ReportChart } from './ReportChart'
import { ReportFacts } from './ReportFacts'
import { ReportFileButtons } from './ReportFileButtons'
import { ActivitiesTable, ExtraSection, GroupsTable, OutcomesTable } from './ReportTables'

const STATUS_COLORS: Record<ReportModel['status'], string> = {
  all_added: 'green',
  some_not_added: 'yellow',
  cancelled: 'yellow',
  stopped: 'red',
  not_started: 'gray',
  in_progress: 'blue',
}

const APP_INFO = ask('app.info')

/**
 * Step 7: a record of what happened, for someone who wasn't there: the same summary as
 * report.html (file, when, account, lists, counts per group and outcome, a chart, what is worth
 * knowing, the sends; the imports in Constant Contact's terms under "Technical details"), with the
 * report files to open or save, and the way on to next month's file.
 */
export function ReportScreen({ onBack, onNextFile }: { onBack(): void; onNextFile(): void }) {
  const { jobId } = useCurrentJob()
  const report = useRequest(jobId ? ask('report.model', { jobId }) : null)
  const info = useRequest(APP_INFO, { staleTime: Infinity })
  useRecordRoutineRun(jobId, report.data?.generatedAt ?? null)

  if (!jobId) {
    return (
      <Stack>
        <Title order={2}>Report</Title>
        <Text>There is nothing to report yet: prepare a spreadsheet and upload it first.</Text>
        <Button w="fit-content" onClick={onBack}>
          Back
        </Button>
      </Stack>
    )
  }

  const model = report.data
  const problem = report.error ?? info.error
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={2}>Report</Title>
        {model && (
          <Button variant="default" onClick={() => void report.refetch()} loading={report.isFetching}>
            Bring up to date
          </Button>
        )}
      </Group>
      {problem && (
        <ProblemAlert problem={problem} onRetry={() => void Promise.all([report.refetch(), info.refetch()])} />
      )}
      {!model && !problem && <Loader role="status" aria-label="Making the report" />}
      {model && <Report model={model} />}
      {model && (
        <Card withBorder>
          <Stack gap="sm">
            <Title order={3}>The report files</Title>
            {info.data && <ReportFileButtons jobId={jobId} host={info.data.host} />}
          </Stack>
        </Card>
      )}
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        <Group>
          {(model?.status === 'all_added' || model?.status === 'some_not_added') && <SaveAsRoutine jobId={jobId} />}
          {model && (
            <Button size="md" onClick={onNextFile}>
              Start the next file
            </Button>
          )}
        </Group>
      </Group>
    </Stack>
  )
}

/** The report itself, as report.html has it. */
function Report({ model }: { model: ReportModel }) {
  return (
    <>
      <Alert
        color={STATUS_COLORS[model.status]}
        title={model.statusText}
        styles={{ title: { color: 'var(--mantine-color-text)' } }}
        data-testid="report-status"
      />
      <Card withBorder>
        <ReportFacts model={model} />
      </Card>
      <Stack gap="sm">
        <Title order={3}>Groups and lists</Title>
        <GroupsTable model={model} />
      </Stack>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <Stack gap="sm">
          <Title order={3}>Every row of the file</Title>
          <OutcomesTable model={model} />
        </Stack>
        <Stack gap="sm">
          <Title order={3}>Contacts of each group</Title>
          <ReportChart model={model} />
        </Stack>
      </SimpleGrid>
      {model.warnings.length > 0 ? (
        <CautionAlert title="Worth knowing" items={model.warnings} />
      ) : (
        <Text>Nothing else worth knowing.</Text>
      )}
      {model.sections.map((section) => (
        <ExtraSection key={section.title} section={section} />
      ))}
      <Accordion variant="contained">
        <Accordion.Item value="technical">
          <Accordion.Control>Technical details, for Constant Contact’s support</Accordion.Control>
          <Accordion.Panel>
            <Stack gap="sm">
              <Text size="sm">Each import as Constant Contact recorded it, with its activity ID.</Text>
              <ActivitiesTable model={model} />
              {model.technicalNotes.length > 0 && (
                <List size="sm">
                  {model.technicalNotes.map((note) => (
                    <List.Item key={note}>{note}</List.Item>
                  ))}
                </List>
              )}
            </Stack>
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </>
  )
}
