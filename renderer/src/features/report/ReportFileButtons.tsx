import { Button, Group, Stack, Text } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { useApi, type Api } from '../../common/api/client'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import type { ReportFileKind } from '../upload/types'

/** What a button does with the report files. */
type FileWork = { kind: 'open' | 'save'; file: ReportFileKind } | { kind: 'pdf' }

const workKey = (work: FileWork) => (work.kind === 'pdf' ? 'pdf' : `${work.kind}-${work.file}`)

/** Does it, and says what became of it (null when there is nothing to say, e.g. the person cancelled). */
async function doWork(api: Api, jobId: string, work: FileWork): Promise<string | null> {
  switch (work.kind) {
    case 'open':
      await api.call('report.open', { jobId, file: work.file })
      return null
    case 'save': {
      const saved = await api.call('report.save', { jobId, file: work.file })
      if (!saved.saved) return null
      return saved.path ? `Saved report.${work.file} to ${saved.path}.` : `report.${work.file} was downloaded.`
    }
    case 'pdf': {
      const saved = await api.call('report.savePdf', { jobId })
      return saved.saved && saved.path ? `Saved the report as PDF to ${saved.path}.` : null
    }
  }
}

/**
 * The report files for the person's records. The desktop app opens them with the computer's own
 * apps, saves copies where the person chooses, and can save report.html as a PDF; a browser
 * downloads them.
 */
export function ReportFileButtons({ jobId, host }: { jobId: string; host: 'electron' | 'web' }) {
  const api = useApi()
  const work = useMutation({ mutationFn: (what: FileWork) => doWork(api, jobId, what) })
  const working = work.isPending ? workKey(work.variables) : null
  const done = work.data ?? null
  const open = (file: ReportFileKind) => work.mutate({ kind: 'open', file })
  const save = (file: ReportFileKind) => work.mutate({ kind: 'save', file })
  const pdf = () => work.mutate({ kind: 'pdf' })

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
      {work.error && <ProblemAlert problem={work.error} onClose={work.reset} />}
    </Stack>
  )
}
