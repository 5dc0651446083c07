import { Alert, Button, Code, Group, List, Stack, Text } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { useApi } from '../../common/api/client'
import { ask, useRequest } from '../../common/api/queries'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { downloadFrom } from '../../common/download'
import type { GroupNames, PreparedCopyKind } from '../prepare/types'

const APP_INFO = ask('app.info')

/** What each copy is, in words. */
function meaning(kind: PreparedCopyKind, names: GroupNames): string {
  switch (kind) {
    case 'group0':
      return `“${names['0']}”, ready for Constant Contact’s import page`
    case 'group1':
      return `“${names['1']}”, ready for Constant Contact’s import page`
    case 'problems':
      return 'the rows with problems and why, to fix in your spreadsheet'
    case 'summary':
      return 'the counts and your choices, for your records'
  }
}

const SAFE_COPIES_NOTE =
  'In these copies a cell that starts with =, +, - or @ has an apostrophe in front, so Excel shows it as text instead of running it as a formula. What Splitsend uploads to Constant Contact is not changed.'

/**
 * "Save prepared files…": copies of the groups (named after them), the problems and the summary.
 * The desktop app asks for a folder; a browser downloads each file, asking where as it is set to.
 */
export function SavePreparedFiles({ jobId, groupNames }: { jobId: string; groupNames: GroupNames }) {
  const info = useRequest(APP_INFO, { staleTime: Infinity })
  if (!info.data) return null
  return info.data.host === 'web' ? (
    <DownloadPreparedFiles jobId={jobId} groupNames={groupNames} />
  ) : (
    <SaveToFolder jobId={jobId} groupNames={groupNames} />
  )
}

function SaveToFolder({ jobId, groupNames }: { jobId: string; groupNames: GroupNames }) {
  const api = useApi()
  // Asks where (the host's folder picker), then copies; null when the person cancels the picker.
  const save = useMutation({
    mutationFn: async () => {
      const choice = await api.call('dialog.chooseFolder', { title: 'Choose where to save the prepared files' })
      return choice.cancelled ? null : api.call('prepare.save', { jobId, folder: choice.folder })
    },
  })
  const saved = save.data ?? null
  return (
    <Stack gap="sm">
      <Group wrap="nowrap" align="flex-start">
        <Button onClick={() => save.mutate()} loading={save.isPending} variant="outline" style={{ flexShrink: 0 }}>
          Save prepared files…
        </Button>
        <Text size="sm" c="dimmed" data-testid="safe-copies-note">
          The two groups as CSV files you can also upload by hand, the problems list and a summary. {SAFE_COPIES_NOTE}
        </Text>
      </Group>
      {save.error && <ProblemAlert problem={save.error} onClose={save.reset} />}
      {saved && (
        <Alert color="teal" title="Saved" data-testid="saved">
          <Text size="sm">
            In the folder <Code data-testid="saved-folder">{saved.folder}</Code>:
          </Text>
          <List size="sm" mt="xs">
            {saved.files.map((file) => (
              <List.Item key={file.kind}>
                <Code>{file.name}</Code> — {meaning(file.kind, groupNames)}
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
    </Stack>
  )
}

const KINDS: PreparedCopyKind[] = ['group0', 'group1', 'problems', 'summary']

function DownloadPreparedFiles({ jobId, groupNames }: { jobId: string; groupNames: GroupNames }) {
  const api = useApi()
  const download = useMutation({
    mutationFn: async (file: PreparedCopyKind) => {
      downloadFrom(await api.call('prepare.download', { jobId, file }))
    },
  })
  const label: Record<PreparedCopyKind, string> = {
    group0: `“${groupNames['0']}”`,
    group1: `“${groupNames['1']}”`,
    problems: 'the problems',
    summary: 'the summary',
  }
  return (
    <Stack gap="sm">
      <Text fw={600}>Save prepared files</Text>
      <Text size="sm" c="dimmed" data-testid="safe-copies-note">
        Each file downloads on its own: the two groups as CSV files you can also upload by hand, the problems list and a
        summary. {SAFE_COPIES_NOTE}
      </Text>
      <Group>
        {KINDS.map((kind) => (
          <Button
            key={kind}
            variant="outline"
            onClick={() => download.mutate(kind)}
            loading={download.isPending && download.variables === kind}
            title={meaning(kind, groupNames)}
          >
            Download {label[kind]}
          </Button>
        ))}
      </Group>
      {download.error && <ProblemAlert problem={download.error} onClose={download.reset} />}
    </Stack>
  )
}
