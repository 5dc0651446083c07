import { Button, Group, Stack, Text } from '@mantine/core'
import { useState } from 'react'
import type { ContractErrorData } from '../../../../shared/errors'
import type { ReportFileKind } from '../upload/types'
import { errorData, useApi } from '../../common/api/client'
import { ProblemAlert } from '../../common/components/ProblemAlert'

/**
 * The report files for the person's records. The desktop app opens them with the computer's own
 * apps, saves copies where the person chooses, and can save report.html as a PDF; a browser
 * downloads them.
 */
export function ReportFileButtons({ jobId, host }: { jobId: string; host: 'electron' | 'web' }) {
  const api = useApi()
  const [working, setWorking] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const [problem, setProblem] = useState<ContractErrorData | null>(null)

  const run = async (key: string, work: () => Promise<string | null>) => {
    setWorking(key)
    setProblem(null)
    setDone(null)
    try {
      setDone(await work())
    } catch (error) {
      setProblem(errorData(error))
    } finally {
      setWorking(null)
    }
  }
  const save = (file: ReportFileKind) =>
    run(`save-${file}`, async () => {
      const saved = await api.call('report.save', { jobId, file })
      return saved.saved
        ? saved.path
          ? `Saved report.${file} to ${saved.path}.`
          : `report.${file} was downloaded.`
        : null
    })
  const open = (file: ReportFileKind) =>
    run(`open-${file}`, async () => {
      await api.call('report.open', { jobId, file })
      return null
    })
  const pdf = () =>
    run('pdf', async () => {
      const saved = await api.call('report.savePdf', { jobId })
      return saved.saved && saved.path ? `Saved the report as PDF to ${saved.path}.` : null
    })

  return (
    <Stack gap="xs">
      {host === 'electron' ? (
        <>
          <Group>
            <Button onClick={() => open('html')} loading={working === 'open-html'}>
              Open report.html
            </Button>
            <Button variant="default" onClick={() => open('csv')} loading={working === 'open-csv'}>
              Open report.csv
            </Button>
          </Group>
          <Group>
            <Button variant="default" onClick={() => save('html')} loading={working === 'save-html'}>
              Save a copy of report.html…
            </Button>
            <Button variant="default" onClick={() => save('csv')} loading={working === 'save-csv'}>
              Save a copy of report.csv…
            </Button>
            <Button variant="default" onClick={pdf} loading={working === 'pdf'}>
              Save as PDF…
            </Button>
          </Group>
        </>
      ) : (
        <Group>
          <Button onClick={() => save('html')} loading={working === 'save-html'}>
            Download report.html
          </Button>
          <Button variant="default" onClick={() => save('csv')} loading={working === 'save-csv'}>
            Download report.csv
          </Button>
        </Group>
      )}
      <Text size="sm" c="dimmed">
        report.html is a one-page summary you can print; report.csv lists every row of the file with what happened to
        it.
      </Text>
      {done && (
        <Text size="sm" role="status" data-testid="report-file-done">
          {done}
        </Text>
      )}
      {problem && <ProblemAlert problem={problem} onClose={() => setProblem(null)} />}
    </Stack>
  )
}
