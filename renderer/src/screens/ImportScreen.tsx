import { Badge, Button, Card, Group, Progress, Stack, Table, Text, Title } from '@mantine/core'
import { Dropzone } from '@mantine/dropzone'
import { useEffect, useRef, useState } from 'react'
import type { AttachedFile, SpreadsheetOverview } from '../../../shared/contract'
import type { ContractErrorData } from '../../../shared/errors'
import { errorData, useApi } from '../api/client'
import { ProblemAlert } from '../components/ProblemAlert'

type ImportState =
  | { phase: 'idle' }
  | { phase: 'reading'; file: AttachedFile; percent: number }
  | { phase: 'read'; overview: SpreadsheetOverview }

const DELIMITER_NAMES: Record<string, string> = { ',': 'commas', ';': 'semicolons', '\t': 'tabs', '|': 'vertical bars' }

/** Step 2: the person drops a spreadsheet (anywhere on the window) or opens one, and sees its columns. */
export function ImportScreen() {
  const api = useApi()
  const [state, setState] = useState<ImportState>({ phase: 'idle' })
  const [problem, setProblem] = useState<ContractErrorData | null>(null)
  const currentFile = useRef<string | null>(null)

  useEffect(
    () =>
      api.subscribe('spreadsheet.progress', ({ fileId, bytesRead, totalBytes }) => {
        if (fileId !== currentFile.current) return
        const percent = totalBytes > 0 ? Math.min(100, (bytesRead / totalBytes) * 100) : 100
        setState((s) => (s.phase === 'reading' ? { ...s, percent } : s))
      }),
    [api],
  )

  const read = async (attach: () => Promise<AttachedFile | null>) => {
    setProblem(null)
    try {
      const file = await attach()
      if (!file) return
      currentFile.current = file.fileId
      setState({ phase: 'reading', file, percent: 0 })
      const overview = await api.call('spreadsheet.overview', { fileId: file.fileId })
      if (currentFile.current === file.fileId) setState({ phase: 'read', overview })
    } catch (error) {
      const data = errorData(error)
      if (data.code !== 'cancelled') setProblem(data)
      setState({ phase: 'idle' })
    }
  }

  const openWithPicker = () => read(() => api.call('files.pick'))
  const openDropped = (files: File[]) => {
    const [file] = files
    if (file) void read(() => api.attachFile(file))
  }
  const cancel = () => {
    if (state.phase === 'reading') void api.call('spreadsheet.cancel', { fileId: state.file.fileId })
  }

  return (
    <Stack gap="lg">
      <Title order={2}>Open the spreadsheet</Title>
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
        loading={state.phase === 'reading'}
      >
        <Stack align="center" gap="xs" py="xl">
          <Text size="lg">Drop your contact spreadsheet here</Text>
          <Text size="sm" c="dimmed">
            A CSV or text export from Excel or another program
          </Text>
        </Stack>
      </Dropzone>
      <Group>
        <Text>or</Text>
        <Button onClick={openWithPicker} disabled={state.phase === 'reading'}>
          Open a spreadsheet…
        </Button>
      </Group>

      {problem && <ProblemAlert problem={problem} onClose={() => setProblem(null)} />}

      {state.phase === 'reading' && (
        <Card withBorder>
          <Stack gap="xs">
            <Text>Reading “{state.file.name}”…</Text>
            <Progress value={state.percent} aria-label={`Reading ${state.file.name}`} animated />
            <Button variant="default" w="fit-content" onClick={cancel}>
              Stop reading
            </Button>
          </Stack>
        </Card>
      )}

      {state.phase === 'read' && <Overview overview={state.overview} />}
    </Stack>
  )
}

function Overview({ overview }: { overview: SpreadsheetOverview }) {
  return (
    <Card withBorder aria-label="The spreadsheet you opened">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3}>{overview.name}</Title>
          <Badge size="lg" variant="filled" data-testid="row-count">
            {overview.rowCount.toLocaleString()} {overview.rowCount === 1 ? 'row' : 'rows'}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          {overview.headers.length} columns, separated by {DELIMITER_NAMES[overview.delimiter] ?? `“${overview.delimiter}”`}, text encoded as{' '}
          {overview.encoding.toUpperCase()}.
        </Text>
        <Table striped withTableBorder aria-label="Columns">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">#</Table.Th>
              <Table.Th scope="col">Column</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {overview.headers.map((header, index) => (
              <Table.Tr key={index}>
                <Table.Td>{index + 1}</Table.Td>
                <Table.Td data-testid="column-name">{header || <Text c="dimmed">(no name)</Text>}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Card>
  )
}
