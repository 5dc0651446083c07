import { Alert, Button, Card, Group, Radio, Stack, Text, TextInput, Title } from '@mantine/core'
import { useState } from 'react'
import { localInputValue, scheduleTimeFromLocal, timeZoneLabel } from './words'

type Timing = 'now' | 'later'

/**
 * When the person wants the campaigns sent: now, or a date and time in their zone (a day ahead to
 * start with, or `initial` — a routine's time of day).
 */
export function useSendTime(initial: Date | null = null) {
  const [timing, setTiming] = useState<Timing>(initial ? 'later' : 'now')
  const [laterValue, setLaterValue] = useState(() => localInputValue(initial ?? new Date(Date.now() + 24 * 3600_000)))
  const when = timing === 'now' ? ({ utc: null } as const) : scheduleTimeFromLocal(laterValue)
  return {
    timing,
    setTiming,
    laterValue,
    setLaterValue,
    /** The time to send in UTC (null: now), or why the time chosen can't be used. */
    when,
    problem: 'problem' in when ? when.problem : null,
  }
}

/** When the chosen campaigns go (now, or a time in the person's zone), what still stops them, and Send. */
export function WhenToSend({
  time: { timing, setTiming, laterValue, setLaterValue, problem },
  blockers,
  nothingChosen,
  allSkipped,
  canSend,
  onSend,
}: {
  time: ReturnType<typeof useSendTime>
  blockers: string[]
  nothingChosen: boolean
  allSkipped: boolean
  canSend: boolean
  onSend(): void
}) {
  return (
    <Card withBorder>
      <Stack>
        <Title order={3}>When to send</Title>
        <Radio.Group
          value={timing}
          onChange={(value) => setTiming(value as Timing)}
          label="Send the chosen campaigns"
          name="send-when"
        >
          <Stack gap="xs" mt="xs">
            <Radio value="now" label="Send now" />
            <Radio value="later" label="Schedule for a date and time" />
          </Stack>
        </Radio.Group>
        {timing === 'later' && (
          <TextInput
            type="datetime-local"
            label="Date and time to send"
            description={`In your time zone: ${timeZoneLabel()}. Constant Contact gets it in UTC.`}
            value={laterValue}
            onChange={(event) => setLaterValue(event.currentTarget.value)}
            error={problem ?? undefined}
            maw={360}
          />
        )}
        {blockers.length > 0 && !nothingChosen && (
          <Alert
            color="gray"
            title="Before you can send"
            styles={{ title: { color: 'var(--mantine-color-text)' } }}
            data-testid="send-blockers"
          >
            <Stack gap={2}>
              {blockers.map((b) => (
                <Text key={b} size="sm">
                  {b}
                </Text>
              ))}
            </Stack>
          </Alert>
        )}
        {nothingChosen && allSkipped && <Text size="sm">You chose not to send to any group.</Text>}
        <Group>
          <Button size="md" onClick={onSend} disabled={!canSend}>
            {timing === 'now' ? 'Send…' : 'Schedule…'}
          </Button>
        </Group>
      </Stack>
    </Card>
  )
}
