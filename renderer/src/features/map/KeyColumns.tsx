import { Select, SimpleGrid } from '@mantine/core'
import type { MappingSuggestion } from '../prepare/types'
import { columnLabel } from './columns'
import type { MappingDraft } from '../prepare/mapping'
import type { Inspection } from '../prepare/types'

type Basis = MappingSuggestion['emailBasis']

const EMAIL_WHY: Record<Basis, string> = {
  header: 'Suggested because of its name.',
  content: 'Suggested because of its contents: its values look like email addresses.',
  none: 'No column looks like email addresses. Choose the one that holds them.',
}
const FLAG_WHY: Record<Basis, string> = {
  header: 'Suggested because of its name.',
  content: 'Suggested because of its contents: its values are 0 and 1 (or yes and no).',
  none: 'No column looks like a 0/1 flag. Choose the one that says whether a customer uses the app.',
}

/** The two columns everything depends on: the email address and the 0/1 flag. */
export function KeyColumns({
  inspection,
  draft,
  flagDoubt,
  onChoose,
}: {
  inspection: Inspection
  draft: MappingDraft
  /** Why the flag column chosen doesn't look like one (shown at the picker), or null. */
  flagDoubt: string | null
  onChoose(role: 'email' | 'flag', column: number): void
}) {
  const options = inspection.columns.map((column) => ({
    value: String(column.index),
    label: columnLabel(column, inspection.columns),
  }))
  const why = (chosenBy: MappingDraft['emailChosenBy'], basis: Basis, texts: Record<Basis, string>, column: number) =>
    chosenBy === 'person'
      ? column < 0
        ? 'Choose a column.'
        : 'Chosen by you.'
      : chosenBy === 'last_run'
        ? 'As in your last run of a file with these columns.'
        : texts[basis]
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <Select
        label="Column with the email addresses"
        description={why(draft.emailChosenBy, inspection.suggestion.emailBasis, EMAIL_WHY, draft.emailColumn)}
        placeholder="Choose a column"
        data={options}
        value={draft.emailColumn >= 0 ? String(draft.emailColumn) : null}
        onChange={(value) => value !== null && onChoose('email', Number(value))}
        allowDeselect={false}
        searchable
        nothingFoundMessage="No column has that name"
      />
      <Select
        label="Column that says whether the customer uses the app (the flag)"
        description={why(draft.flagChosenBy, inspection.suggestion.flagBasis, FLAG_WHY, draft.flagColumn)}
        placeholder="Choose a column"
        data={options}
        value={draft.flagColumn >= 0 ? String(draft.flagColumn) : null}
        onChange={(value) => value !== null && onChoose('flag', Number(value))}
        error={flagDoubt}
        allowDeselect={false}
        searchable
        nothingFoundMessage="No column has that name"
      />
    </SimpleGrid>
  )
}
