import { Card, Checkbox, Group, Radio, Select, Stack, Text, TextInput, Title } from '@mantine/core'
import type { GroupKey } from '../../../../shared/ids'
import type { GroupChoiceDraft } from './list-choices'
import type { AccountList } from './types'
import { countOf } from '../../common/words'

/**
 * Where one group goes: a list the account already has (searchable), a list by name (found if it
 * exists, created if not), or nowhere.
 */
export function GroupListChoice({
  groupKey,
  groupName,
  contacts,
  lists,
  listsLoading,
  draft,
  onChange,
  conflict,
}: {
  groupKey: GroupKey
  groupName: string
  contacts: number
  lists: AccountList[]
  listsLoading: boolean
  draft: GroupChoiceDraft
  onChange(next: GroupChoiceDraft): void
  /** Why this choice can't stand (e.g. the other group has the same list). */
  conflict: string | null
}) {
  const sameName = draft.mode === 'new' ? lists.find((l) => l.name === draft.name.trim()) : undefined
  const chosen = draft.mode === 'existing' ? lists.find((l) => l.listId === draft.listId) : undefined
  return (
    <Card withBorder data-testid={`group-choice-${groupKey}`}>
      <Stack gap="sm">
        <Group justify="space-between" align="baseline">
          <Title order={3} size="h4">
            {groupName}
          </Title>
          <Text size="sm">{countOf(contacts, 'contact')}</Text>
        </Group>
        <Radio.Group
          label={`Where “${groupName}” goes`}
          value={draft.mode}
          onChange={(mode) => onChange({ ...draft, mode: mode as GroupChoiceDraft['mode'] })}
        >
          <Stack gap={6} mt={6}>
            <Radio value="existing" label="A list you already have" />
            <Radio value="new" label="A new list" />
            <Radio value="skip" label="Don’t upload this group" />
          </Stack>
        </Radio.Group>
        {draft.mode === 'existing' && (
          <Select
            label={`List for “${groupName}”`}
            placeholder={
              listsLoading
                ? 'Loading your lists…'
                : lists.length
                  ? 'Type to search your lists'
                  : 'Your account has no lists yet'
            }
            searchable
            nothingFoundMessage="No list has that name"
            data={lists.map((l) => ({ value: l.listId, label: l.name }))}
            value={draft.listId}
            onChange={(listId) => onChange({ ...draft, listId })}
            error={conflict}
            description={
              chosen?.memberCount
                ? `It already has ${countOf(chosen.memberCount, 'member')}; they stay on it.`
                : chosen
                  ? 'It has no members yet.'
                  : undefined
            }
          />
        )}
        {draft.mode === 'new' && (
          <TextInput
            label={`Name of the new list for “${groupName}”`}
            value={draft.name}
            maxLength={255}
            onChange={(event) => onChange({ ...draft, name: event.currentTarget.value, suggestion: null })}
            error={conflict ?? (draft.name.trim() ? null : 'Type a name for the list.')}
            description={
              sameName
                ? `You already have a list with this name${sameName.memberCount ? ` (${countOf(sameName.memberCount, 'member')})` : ''}: the contacts are added to it, no second list is made.`
                : 'Splitsend creates it when the upload starts.'
            }
          />
        )}
        {draft.mode === 'new' && draft.suggestion !== null && (
          <Checkbox
            label={`Use the name “${draft.name.trim()}”`}
            description="Splitsend suggested it from your file’s flag column. Tick to use it, or type another name."
            checked={draft.suggestion === 'confirmed'}
            onChange={(event) =>
              onChange({ ...draft, suggestion: event.currentTarget.checked ? 'confirmed' : 'unconfirmed' })
            }
          />
        )}
        {draft.mode === 'skip' && (
          <Text size="sm">Nobody from this group is uploaded. You can upload it another time.</Text>
        )}
      </Stack>
    </Card>
  )
}
