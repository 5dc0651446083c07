import { Alert, Button, Card, Group, Radio, Stack, Text, TextInput, Title } from '@mantine/core'
import { timeZoneLabel } from './words'

export type Timing = 'now' | 'later'

/** When the chosen campaigns go (now, or a time in the person's zone), what still stops them, and Send. */
export function WhenToSend({
  timing,
  onTiming,
  laterValue,
  onLaterValue,
  whenProblem,
  blockers,
  nothingChosen,
  allSkipped,
  canSend,
  onSend,
}: {
  timing: Timing
  onTiming(timing: Timing): void
  laterValue: string
  onLaterValue(value: string): void
  whenProblem: string | null
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
          onChange={(value) => onTiming(value as Timing)}
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
            onChange={(event) => onLaterValue(event.currentTarget.value)}
            error={whenProblem ?? undefined}
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
