import { Alert, Badge, Button, Card, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core'
import { useCallback, useEffect, useState } from 'react'
import type { ContractErrorData } from '../../../../shared/errors'
import type { ReportModel } from '../upload/types'
import { errorData, useApi } from '../../common/api/client'
import { CautionAlert } from '../../common/components/CautionAlert'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { ReportChart } from './ReportChart'
import { ReportFileButtons } from './ReportFileButtons'
import { ActivitiesTable, ExtraSection, GroupsTable, OutcomesTable } from './ReportTables'
import { useCurrentJob } from '../upload/current-job'
import { formatCount, when } from '../../common/words'

const STATUS_COLORS: Record<ReportModel['status'], string> = {
  all_added: 'green',
  some_not_added: 'yellow',
  cancelled: 'yellow',
  stopped: 'red',
  not_started: 'gray',
  in_progress: 'blue',
}

/**
 * Step 7: a record of what happened, for someone who wasn't there: the same summary as
 * report.html (file, when, account, lists, counts per group and outcome, a chart, the imports with
 * their IDs, every warning), with the report files to open or save.
 */
export function ReportScreen({ onBack }: { onBack(): void }) {
  const api = useApi()
  const { jobId } = useCurrentJob()
  const [model, setModel] = useState<ReportModel | null>(null)
  const [host, setHost] = useState<'electron' | 'web' | null>(null)
  const [problem, setProblem] = useState<ContractErrorData | null>(null)
  const [loading, setLoading] = useState(false)

  const load = useCallback(async () => {
    if (!jobId) return
    setLoading(true)
    setProblem(null)
    try {
      const [next, info] = await Promise.all([api.call('report.model', { jobId }), api.call('app.info')])
      setModel(next)
      setHost(info.host)
    } catch (error) {
      setProblem(errorData(error))
    } finally {
      setLoading(false)
    }
  }, [api, jobId])

  useEffect(() => {
    setModel(null)
    void load()
  }, [load])

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

  const account = model?.account
  const facts: Array<[string, string]> = model
    ? [
        ['File', model.sourceFile],
        ['Prepared', when(model.preparedAt)],
        ['Uploaded', model.uploadStartedAt ? when(model.uploadStartedAt) : 'not yet'],
        [
          'Constant Contact account',
          account
            ? `${account.name ?? 'Constant Contact account'}${account.email ? ` (${account.email})` : ''}`
            : 'not recorded',
        ],
        ['Rows in the file', formatCount(model.rowsInFile)],
        ['Report made', when(model.generatedAt)],
      ]
    : []

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={2}>Report</Title>
        {model && (
          <Button variant="default" onClick={() => void load()} loading={loading}>
            Bring up to date
          </Button>
        )}
      </Group>
      {problem && <ProblemAlert problem={problem} onClose={() => setProblem(null)} />}
      {!model && !problem && <Loader aria-label="Making the report" />}
      {model && (
        <>
          <Alert
            color={STATUS_COLORS[model.status]}
            title={model.statusText}
            styles={{ title: { color: 'var(--mantine-color-text)' } }}
            data-testid="report-status"
          />
          <Card withBorder>
            <Table variant="vertical" withTableBorder aria-label="About this upload" data-testid="report-facts">
              <Table.Tbody>
                {facts.map(([label, value]) => (
                  <Table.Tr key={label}>
                    <Table.Th w={240}>{label}</Table.Th>
                    <Table.Td>
                      {value}
                      {label === 'Constant Contact account' && account?.practice && (
                        <Badge ml="sm" color="violet" variant="filled">
                          Practice account: nothing really sent
                        </Badge>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
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
          <Stack gap="sm">
            <Title order={3}>Imports</Title>
            <ActivitiesTable model={model} />
          </Stack>
          {model.warnings.length > 0 ? (
            <CautionAlert title="Warnings" items={model.warnings} />
          ) : (
            <Text>No warnings.</Text>
          )}
          {model.sections.map((section) => (
            <ExtraSection key={section.title} section={section} />
          ))}
          <Card withBorder>
            <Stack gap="sm">
              <Title order={3}>The report files</Title>
              {host && <ReportFileButtons jobId={jobId} host={host} />}
            </Stack>
          </Card>
        </>
      )}
      <Group>
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
      </Group>
    </Stack>
  )
}
