import { Alert, Button, Code, Group, List, Stack, Text } from '@mantine/core'
import { useMutation } from '@tanstack/react-query'
import { useApi } from '../../common/api/client'
import { ProblemAlert } from '../../common/components/ProblemAlert'

const FILE_MEANINGS: Record<string, string> = {
  'group-0.csv': 'the first group, ready for Constant Contact’s import page',
  'group-1.csv': 'the second group, ready for Constant Contact’s import page',
  'problems.csv': 'the rows with problems and why, to fix in your spreadsheet',
  'summary.json': 'the counts and your choices, for your records',
}

/** "Save prepared files…": the person picks a folder (or the app uses its own) and sees where they went. */
export function SavePreparedFiles({
  jobId,
  groupFileNames,
}: {
  jobId: string
  groupFileNames: Record<string, string>
}) {
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
      <Group>
        <Button onClick={() => save.mutate()} loading={save.isPending} variant="outline">
          Save prepared files…
        </Button>
        <Text size="sm" c="dimmed">
          The two groups as CSV files you can also upload by hand, the problems list and a summary.
        </Text>
      </Group>
      {save.error && <ProblemAlert problem={save.error} onClose={save.reset} />}
      {saved && (
        <Alert color="teal" title="Saved" data-testid="saved">
          <Text size="sm">
            In the folder <Code data-testid="saved-folder">{saved.folder}</Code>:
          </Text>
          <List size="sm" mt="xs">
            {saved.files
              .filter((file) => FILE_MEANINGS[file])
              .map((file) => (
                <List.Item key={file}>
                  <Code>{file}</Code> —{' '}
                  {groupFileNames[file]
                    ? `“${groupFileNames[file]}”, ready for Constant Contact’s import page`
                    : FILE_MEANINGS[file]}
                </List.Item>
              ))}
          </List>
          {saved.files.some((file) => !FILE_MEANINGS[file]) && (
            <Text size="sm" mt="xs">
              The other files let Splitsend upload these groups from this folder later.
            </Text>
          )}
        </Alert>
      )}
    </Stack>
  )
}
