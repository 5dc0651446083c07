import { Button, Stack } from '@mantine/core'
import type { ReactNode } from 'react'
import { NoteAlert } from '../../common/components/NoteAlert'
import { usePrepareSession } from './session'

/**
 * The Map and Review choices of a job whose upload has started, shown as they are but not changeable
 * (its upload and report describe them). Changing them makes a new job from the same file and
 * choices; the uploaded job stays as it was in the list of jobs.
 */
export function LockedChoices({ children }: { children: ReactNode }) {
  const { locked } = usePrepareSession()
  if (!locked) return <>{children}</>
  return (
    <Stack gap="lg">
      <NoteAlert
        title="These choices can’t change any more: this file’s upload has started."
        testId="choices-locked"
        action={
          <Button variant="default" onClick={locked.newJob}>
            Change them in a new job
          </Button>
        }
      >
        Its upload and report describe the groups as they are here. To change them, make a new job from the same file
        and choices; this one stays as it is in your list of jobs.
      </NoteAlert>
      <fieldset disabled style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <Stack gap="lg">{children}</Stack>
      </fieldset>
    </Stack>
  )
}
