import { Button } from '@mantine/core'
import type { LastChoices } from '../../../../shared/prepare/last-choices'
import { NoteAlert } from '../../common/components/NoteAlert'
import { when } from '../../common/words'

/** Says that the last run's choices are filled in (which file, when), with the way back to Splitsend's suggestions. */
export function LastRunNote({ lastRun, onSuggestions }: { lastRun: LastChoices; onSuggestions(): void }) {
  return (
    <NoteAlert
      title="Your choices from last time are filled in"
      testId="last-run-note"
      action={
        <Button variant="default" size="xs" onClick={onSuggestions}>
          Start from Splitsend’s suggestions instead
        </Button>
      }
    >
      This file has the same columns as “{lastRun.fileName}”, uploaded {when(lastRun.savedAt)}: its columns, flag
      values, group names and lists are chosen again. Check them below.
    </NoteAlert>
  )
}
