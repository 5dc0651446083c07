import { Button, Group, Progress, Stack, Text } from '@mantine/core'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { useApi } from '../../common/api/client'
import { requestKey, useAction } from '../../common/api/queries'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { countOf, formatCount } from '../../common/words'
import type { MoveProgress as MoveProgressEvent, PreflightCheck } from './types'
import { moveNowStep } from './words'

/**
 * The choice when some contacts are on both lists: move them now (each off the list of the group
 * it isn't in), or send anyway. Either way the checks of both groups are made again.
 */
export function BothListsActions({
  jobId,
  finding,
}: {
  jobId: string
  finding: NonNullable<PreflightCheck['bothLists']>
}) {
  const client = useQueryClient()
  const checkAgain = () => void client.invalidateQueries({ queryKey: requestKey('send.preflight') })
  const move = useAction<'send.moveBothNow', void>('send.moveBothNow', {
    input: () => ({ jobId }),
    onSuccess: checkAgain,
  })
  const anyway = useAction<'send.sendAnyway', void>('send.sendAnyway', {
    input: () => ({ jobId, checkedAt: finding.checkedAt }),
    onSuccess: checkAgain,
  })
  const result = move.data
  const busy = move.isPending || anyway.isPending
  return (
    <Stack gap="xs" data-testid="both-lists-actions">
      <Group gap="sm">
        {finding.movable > 0 && (
          <Button size="xs" onClick={() => move.mutate()} disabled={busy}>
            Move {countOf(finding.movable, 'contact')} now
          </Button>
        )}
        <Button size="xs" variant="default" onClick={() => anyway.mutate()} loading={anyway.isPending} disabled={busy}>
          Send anyway
        </Button>
      </Group>
      {move.isPending && <MoveProgress jobId={jobId} />}
      {result && (
        <Text size="sm" role="status">
          {result.lists.reduce((n, l) => n + l.removed, 0) > 0
            ? `Taken off: ${result.lists.map((l) => `${formatCount(l.removed)} from “${l.listName}”`).join(', ')}.`
            : 'Nobody had to be taken off a list.'}
        </Text>
      )}
      {move.error && <ProblemAlert problem={move.error} onClose={move.reset} />}
      {anyway.error && <ProblemAlert problem={anyway.error} onClose={anyway.reset} />}
    </Stack>
  )
}

/** While "move them now" runs (its exports and removals take seconds): how far it is, as a bar and in words. */
function MoveProgress({ jobId }: { jobId: string }) {
  const api = useApi()
  const [progress, setProgress] = useState<MoveProgressEvent | null>(null)
  useEffect(
    () => api.subscribe('send.moveProgress', (event) => event.jobId === jobId && setProgress(event.progress)),
    [api, jobId],
  )
  const step = progress ? moveNowStep(progress) : { percent: 2, words: 'Starting…' }
  return (
    <Stack gap={4} data-testid="move-now-progress">
      <Progress value={step.percent} animated aria-label="Moving the contacts on both lists" />
      <Text size="sm" role="status">
        {step.words}
      </Text>
    </Stack>
  )
}
