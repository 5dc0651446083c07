import { Badge, Group, List, Stack, Text, ThemeIcon } from '@mantine/core'
import { BothListsActions } from './BothListsActions'
import type { PreflightCheck, PreflightResult } from './types'
import { READABLE_BADGE } from '../../common/styles'
import { preflightVerdict } from './words'

const LOOK: Record<PreflightCheck['result'], { word: string; color: string; mark: string }> = {
  ok: { word: 'OK', color: 'teal', mark: '✓' },
  note: { word: 'Please read', color: 'yellow', mark: '!' },
  blocked: { word: 'Stops the send', color: 'red', mark: '✕' },
}

/** The checks before sending, each with its verdict in words (not only colour) and what to do. */
export function PreflightChecks({
  jobId,
  preflight,
  copyInstead,
}: {
  jobId: string
  preflight: PreflightResult
  /** A routine's run: the campaign goes as this dated copy (only its own state stops it as it is). */
  copyInstead?: string
}) {
  return (
    <Stack gap="xs">
      <Text fw={600} data-testid="preflight-verdict">
        {copyInstead
          ? `This campaign goes as a dated copy, “${copyInstead}”: Constant Contact won’t send it to the list as it is. The copy is checked again before it is sent.`
          : preflightVerdict(preflight.checks)}
      </Text>
      <List spacing="sm" listStyleType="none" aria-label="Checks before sending">
        {preflight.checks.map((check) => {
          const look = LOOK[check.result]
          return (
            <List.Item key={check.id} data-testid={`check-${check.id}`} data-result={check.result}>
              <Group gap="sm" wrap="nowrap" align="flex-start">
                <ThemeIcon color={look.color} variant="light" size="md" radius="xl" aria-hidden>
                  {look.mark}
                </ThemeIcon>
                <Stack gap={2}>
                  <Group gap="xs">
                    <Text size="sm" fw={600}>
                      {check.title}
                    </Text>
                    <Badge color={look.color} variant="light" size="sm" styles={READABLE_BADGE}>
                      {look.word}
                    </Badge>
                  </Group>
                  <Text size="sm">{check.message}</Text>
                  {check.hint && check.result !== 'ok' && (
                    <Text size="sm" c="dimmed">
                      What to do: {check.hint}
                    </Text>
                  )}
                  {check.id === 'one_list_each' && check.result === 'blocked' && check.bothLists && (
                    <BothListsActions jobId={jobId} finding={check.bothLists} />
                  )}
                </Stack>
              </Group>
            </List.Item>
          )
        })}
      </List>
    </Stack>
  )
}
