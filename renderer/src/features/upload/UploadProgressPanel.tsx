import { Button, Card, Group, Modal, Progress, Stack, Text, Title } from '@mantine/core'
import { useState } from 'react'
import type { GroupKey } from '../../../../shared/ids'
import type { UploadProgress } from './types'
import { overallWords, PHASE_WORDS } from './words'
import { ActivityRows } from './ActivityRows'

/** The upload while it runs: the whole of it as a bar with the time left, each import as a row, and Pause / Resume / Cancel. */
export function UploadProgressPanel({
  progress,
  paused,
  groupNames,
  busy,
  onPause,
  onResume,
  onCancel,
}: {
  progress: UploadProgress
  paused: boolean
  groupNames: Record<GroupKey, string>
  busy: boolean
  onPause(): void
  onResume(): void
  onCancel(): void
}) {
  const [confirming, setConfirming] = useState(false)
  const percent = Math.round(progress.overall.fraction * 100)
  const stopping = progress.phase === 'stopping'
  return (
    <Card withBorder>
      <Stack gap="md">
        <Group justify="space-between" align="baseline">
          <Title order={3}>{paused ? 'The upload is paused' : 'Uploading'}</Title>
          <Text fw={600} data-testid="overall-percent">
            {percent} %
          </Text>
        </Group>
        <Progress value={percent} size="xl" aria-label="The whole upload" animated={!paused && !stopping} />
        <Text data-testid="overall-words">{overallWords(progress)}</Text>
        <Text size="sm" role="status">
          {progress.message ?? PHASE_WORDS[progress.phase]}
        </Text>
        <ActivityRows activities={progress.activities} groupNames={groupNames} />
        <Group>
          {paused ? (
            <Button onClick={onResume} loading={busy}>
              Resume
            </Button>
          ) : (
            <Button variant="default" onClick={onPause} loading={busy} disabled={stopping}>
              Pause
            </Button>
          )}
          <Button variant="outline" color="red.8" onClick={() => setConfirming(true)} disabled={stopping}>
            Cancel the upload…
          </Button>
        </Group>
        {paused && (
          <Text size="sm">
            Imports already sent keep going in Constant Contact; nothing new is sent until you resume.
          </Text>
        )}
      </Stack>
      <ConfirmCancel
        opened={confirming}
        onKeepGoing={() => setConfirming(false)}
        onCancel={() => {
          setConfirming(false)
          onCancel()
        }}
      />
    </Card>
  )
}

/** Cancelling asks first, saying what cancelling does and doesn't do. */
function ConfirmCancel({ opened, onKeepGoing, onCancel }: { opened: boolean; onKeepGoing(): void; onCancel(): void }) {
  return (
    <Modal
      opened={opened}
      onClose={onKeepGoing}
      title="Cancel the upload?"
      centered
      closeButtonProps={{ 'aria-label': 'Close: keep uploading' }}
      // Inside the page's main landmark, so its header is not a second banner of the page.
      withinPortal={false}
    >
      <Stack>
        <Text size="sm">
          Nothing more is sent to Constant Contact, and Splitsend tells you what it already sent and what was added.
          Imports already sent may still finish in Constant Contact. You can resume the upload later: it checks those
          imports first, and nothing is sent twice.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onKeepGoing}>
            Keep uploading
          </Button>
          <Button color="red.8" onClick={onCancel}>
            Cancel the upload
          </Button>
        </Group>
      </Stack>
    </Modal>
  )
}
