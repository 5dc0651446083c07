import { Badge, Group, List, Stack, Text, ThemeIcon } from '@mantine/core'
import { BothListsActions } from './BothListsActions'
import type { PreflightCheck, PreflightResult } from './types'

const LOOK: Record<PreflightCheck['result'], { word: string; color: string; mark: string }> = {
  ok: { word: 'OK', color: 'teal', mark: '✓' },
  note: { word: 'Please read', color: 'yellow', mark: '!' },
  blocked: { word: 'Stops the send', color: 'red', mark: '✕' },
}

/** The checks before sending, each with its verdict in words (not only colour) and what to do. */
export function PreflightChecks({ jobId, preflight }: { jobId: string; preflight: PreflightResult }) {
  const blocked = preflight.checks.filter((c) => c.result === 'blocked').length
  return (
    <Stack gap="xs">
      <Text fw={600} data-testid="preflight-verdict">
        {blocked === 0
          ? 'Every check passed: this can be sent.'
          : `${blocked} check${blocked === 1 ? '' : 's'} ${blocked === 1 ? 'stops' : 'stop'} the send until it is fixed.`}
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
                    {/* The text's own colour on the light tint: yellow on yellow is too faint to read. */}
                    <Badge
                      color={look.color}
                      variant="light"
                      size="sm"
                      styles={{ label: { color: 'var(--mantine-color-text)' } }}
                    >
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
