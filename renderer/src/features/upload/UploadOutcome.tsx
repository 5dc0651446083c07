import { Alert, Button, Group, Stack, Text } from '@mantine/core'
import type { UploadResult } from './types'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { RECONNECT_CODES } from '../connect/account'
import { countOf, formatCount, when } from '../../common/words'
import { sentSoFar } from './words'

/** How the upload ended, in plain words, with what the person can do next. */
export function UploadOutcome({
  result,
  onResume,
  onAnswer,
  onConnect,
  busy,
  connected,
}: {
  result: UploadResult
  onResume(options?: { resendUnclear?: boolean }): void
  /** The answer to "was that removal received?" (see the membership_unsure stop). */
  onAnswer(unsure: 'send_again' | 'done'): void
  onConnect(): void
  busy: boolean
  /** Connected now (again): an upload stopped because the sign-in ended can resume. */
  connected: boolean
}) {
  const error = result.error
  const resumeAfter = error?.resumeAt ? when(error.resumeAt) : null
  const removalsStopped = result.membership?.outcome === 'stopped' || result.membership?.outcome === 'cancelled'
  const canResume = result.outcome === 'cancelled' || result.outcome === 'stopped' || removalsStopped
  return (
    <Stack gap="sm" data-testid="upload-outcome" data-outcome={result.outcome}>
      {result.outcome === 'all_added' && (
        <Alert
          color="green"
          styles={{ title: { color: 'var(--mantine-color-text)' } }}
          title={`All ${countOf(result.contactsAdded, 'contact')} were added to their lists.`}
        >
          <Text size="sm">
            Constant Contact finished every import. The report keeps a record of what happened to each row.
          </Text>
        </Alert>
      )}
      {result.outcome === 'some_not_added' && (
        <Alert
          color="yellow"
          title={`${countOf(result.contactsAdded, 'contact')} added; Constant Contact didn’t add ${formatCount(result.contactsNotAdded + result.contactsNotSent)}.`}
          styles={{ title: { color: 'var(--mantine-color-text)' } }}
        >
          <Text size="sm">
            Every import finished, but Constant Contact reported contacts it did not add (for example addresses it
            refused, or people who unsubscribed before). The report says which rows and why.
          </Text>
        </Alert>
      )}
      {result.outcome === 'cancelled' && (
        <Alert
          color="yellow"
          title="You cancelled the upload."
          styles={{ title: { color: 'var(--mantine-color-text)' } }}
        >
          <Text size="sm">{sentSoFar(result)}</Text>
          <Text size="sm">You can resume it later: what was already sent is not sent again.</Text>
        </Alert>
      )}
      {result.outcome === 'stopped' && (
        <Alert color="red" title={`The upload stopped: ${error?.message ?? 'something went wrong.'}`} role="alert">
          {error?.hint && <Text size="sm">{error.hint}</Text>}
          {resumeAfter && <Text size="sm">You can resume it after {resumeAfter}.</Text>}
          <Text size="sm">{sentSoFar(result)}</Text>
          <Text size="sm">Nothing is lost: resuming goes on where it stopped, and nothing is sent twice.</Text>
        </Alert>
      )}
      {result.membership && <RemovalOutcome removals={result.membership} />}
      {result.reportError && <ProblemAlert problem={result.reportError} />}
      {result.membership?.error?.code === 'membership_unsure' ? (
        <Group>
          <Button onClick={() => onAnswer('send_again')} loading={busy}>
            Remove them again
          </Button>
          <Button variant="default" onClick={() => onAnswer('done')} loading={busy}>
            Count it as done
          </Button>
        </Group>
      ) : (
        canResume && (
          <Group>
            {error && RECONNECT_CODES.has(error.code) && !connected ? (
              <Button onClick={onConnect}>Go to Connect</Button>
            ) : error?.code === 'upload_import_unclear' ? (
              // The person's answer to an import Splitsend couldn't tell apart: send it again.
              <Button onClick={() => onResume({ resendUnclear: true })} loading={busy}>
                Send it again
              </Button>
            ) : (
              <Button onClick={() => onResume()} loading={busy}>
                Resume the upload
              </Button>
            )}
          </Group>
        )
      )}
    </Stack>
  )
}

/** How the removals of "move" or "match" ended. */
function RemovalOutcome({ removals }: { removals: NonNullable<UploadResult['membership']> }) {
  if (removals.outcome === 'nothing_to_do') return null
  const lines = removals.lists
    .filter((l) => l.movedOut + l.notInFile > 0)
    .map(
      (l) =>
        `“${l.listName}”: ${formatCount(l.removed)} of ${countOf(l.movedOut + l.notInFile, 'contact')} taken off${l.notRemoved ? `, ${formatCount(l.notRemoved)} not` : ''}${l.unconfirmed ? `, ${formatCount(l.unconfirmed)} counted as taken off without Constant Contact’s confirmation` : ''}.`,
    )
  const good = removals.outcome === 'done'
  return (
    <Alert
      color={good ? 'green' : removals.outcome === 'stopped' ? 'red' : 'yellow'}
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
      title={
        good
          ? 'The lists now match the file.'
          : removals.outcome === 'some_not_removed'
            ? 'Some contacts could not be taken off their list.'
            : removals.outcome === 'cancelled'
              ? 'You cancelled taking contacts off the lists.'
              : `Taking contacts off the lists stopped: ${removals.error?.message ?? 'something went wrong.'}`
      }
      data-testid="removal-outcome"
      data-outcome={removals.outcome}
    >
      {lines.map((line) => (
        <Text size="sm" key={line}>
          {line}
        </Text>
      ))}
      {removals.error?.hint && <Text size="sm">{removals.error.hint}</Text>}
      <Text size="sm">Taking a contact off a list never deletes or unsubscribes it. The report lists each one.</Text>
    </Alert>
  )
}
