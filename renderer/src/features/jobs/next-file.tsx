/**
 * "Start the next file with these choices": the earlier job's choices are read, and the next file
 * opened on the Import step gets them — its columns found by name, its flag values, group names and
 * conflict rule; then the job's lists on Upload and its campaigns on Send.
 */
import { Alert, Button, Text } from '@mantine/core'
import { useMutationState } from '@tanstack/react-query'
import type { UserFacingError } from '../../../../shared/errors'
import { useAction } from '../../common/api/queries'
import { NoteAlert } from '../../common/components/NoteAlert'
import { ProblemAlert } from '../../common/components/ProblemAlert'
import { when } from '../../common/words'
import { usePrepareSession } from '../prepare/session'

const READING_CHOICES = ['next-file']

export function useNextFile(): { start(jobId: string): void; clear(): void } {
  const session = usePrepareSession()
  const reading = useAction('jobs.choices', { mutationKey: READING_CHOICES })
  return {
    start: (jobId) => {
      session.setTemplate(null)
      reading.mutate({ jobId }, { onSuccess: (choices) => session.setTemplate(choices) })
    },
    clear: () => session.setTemplate(null),
  }
}

/** On Import: whose choices the next file gets (or why they couldn't be read), with a way to drop them. */
export function NextFileChoices() {
  const session = usePrepareSession()
  const reading = useMutationState({
    filters: { mutationKey: READING_CHOICES },
    select: (mutation) => ({ status: mutation.state.status, error: mutation.state.error as UserFacingError | null }),
  }).at(-1)
  if (reading?.status === 'error' && reading.error) return <ProblemAlert problem={reading.error} />
  const template = session.template
  if (!template) return null
  return (
    <NoteAlert
      title={`The next file gets the choices of “${template.sourceFile}”`}
      testId="next-file"
      action={
        <Button variant="default" size="xs" onClick={() => session.setTemplate(null)}>
          Don’t use them
        </Button>
      }
    >
      Prepared {when(template.preparedAt)}: its columns (found by their names), flag values and group names, then its
      lists and campaigns. You can change any of them.
    </NoteAlert>
  )
}

/** On Map: the earlier job's choices this file got, and what of them could not be carried over. */
export function CarriedOverChoices() {
  const { loaded } = usePrepareSession()
  if (!loaded?.template) return null
  const { template, differences } = loaded
  return (
    <Alert
      color={differences.length ? 'yellow' : 'blue'}
      title={
        differences.length
          ? `Most choices are those of “${template.sourceFile}”; check these:`
          : `Every choice is that of “${template.sourceFile}”.`
      }
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
      data-testid="carried-over"
    >
      {differences.length > 0 && (
        <ul style={{ margin: 0, paddingInlineStart: '1.2em' }}>
          {differences.map((difference) => (
            <li key={difference}>
              <Text size="sm">{difference}</Text>
            </li>
          ))}
        </ul>
      )}
    </Alert>
  )
}
