import { Button, Card, Group, Progress, Stack, Text, Title } from '@mantine/core'
import { Dropzone } from '@mantine/dropzone'
import { useApi } from '../../common/api/client'
import { ContinueToMap, FileDetails } from './FileDetails'
import { hasNoRows } from './row-count'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { RunProgress } from '../prepare/RunProgress'
import { usePrepareSession } from '../prepare/session'
import { LockedChoices } from '../prepare/LockedChoices'
import { NextFileChoices } from '../jobs/next-file'
import { useDelayed } from '../../common/use-delayed'

/**
 * Step 2: the person drops a spreadsheet (anywhere on the window) or opens one, and sees what
 * Splitsend found: how it is read (each setting changeable), its columns, first rows and size.
 */
export function ImportScreen({ onContinue }: { onContinue(): void }) {
  const api = useApi()
  const session = usePrepareSession()
  const { loaded, reading, run } = session
  const slowReading = useDelayed(reading !== null && loaded === null)
  const slowRun = useDelayed(run.status === 'running')

  const openWithPicker = () => void session.openFile(() => api.call('files.pick'))
  const openDropped = (files: File[]) => {
    const [file] = files
    if (file) void session.openFile(() => api.attachFile(file), file.name)
  }

  return (
    <Stack gap="lg">
      <Title order={2}>Open the spreadsheet</Title>
      <NextFileChoices />
      {/* Catches a file dropped anywhere on the window, not only on the box below. */}
      <Dropzone.FullScreen onDrop={openDropped} multiple={false} withinPortal={false}>
        <Text size="xl" ta="center" py="xl">
          Drop the spreadsheet to open it
        </Text>
      </Dropzone.FullScreen>
      <Dropzone
        onDrop={openDropped}
        multiple={false}
        activateOnClick={false}
        activateOnKeyboard={false}
        loading={reading !== null && loaded === null}
      >
        <Stack align="center" gap="xs" py="xl">
          <Text size="lg">Drop your contact spreadsheet here</Text>
          <Text size="sm" c="dimmed">
            An Excel workbook (.xlsx), or a CSV or text export from Excel or another program
          </Text>
        </Stack>
      </Dropzone>
      <Group>
        <Text>or</Text>
        <Button onClick={openWithPicker} disabled={reading !== null && loaded === null}>
          Open a spreadsheet…
        </Button>
      </Group>

      {session.problem && <ProblemAlert problem={session.problem} onClose={session.dismissProblem} />}

      {slowReading && reading && (
        <Card withBorder>
          <Stack gap="xs">
            <Text>Opening “{reading.name}”…</Text>
            <Progress value={100} striped animated aria-label={`Opening ${reading.name}`} />
            <Button variant="default" w="fit-content" onClick={session.abandonReading}>
              Cancel
            </Button>
          </Stack>
        </Card>
      )}

      {loaded && (
        <>
          <LockedChoices>
            <FileDetails
              file={loaded.file}
              inspection={loaded.inspection}
              run={run}
              rereading={reading !== null}
              sheetChosenByPerson={loaded.read.sheet !== undefined}
              onChangeReading={(change) => void session.changeReading(change)}
            />
          </LockedChoices>
          {slowRun && run.status === 'running' && (
            <RunProgress
              title="Reading the whole file to count its rows and check every address"
              progress={run.progress}
              onStop={session.stopRun}
            />
          )}
          {hasNoRows(loaded.inspection) ? (
            <ProblemAlert
              problem={{
                code: 'no_contacts',
                message: `“${loaded.file.name}” has no contacts: it has column names, but no rows below them.`,
                hint: 'Check that you opened the right file, and that its rows were saved in it. If the column names are on another row, change the header row above.',
              }}
            />
          ) : (
            <ContinueToMap onContinue={onContinue} />
          )}
        </>
      )}
    </Stack>
  )
}
