import { SimpleGrid, TextInput } from '@mantine/core'
import { GROUP_KEYS, type GroupKey } from '../../../../shared/ids'
import { groupNameProblem, MAX_GROUP_NAME_LENGTH, type MappingDraft } from '../prepare/mapping'
import type { GroupNames as Names } from '../prepare/types'

const MEANING: Record<GroupKey, { label: string; usually: string }> = {
  '0': { label: 'Name of the group marked 0', usually: 'Usually the customers who don’t use the app.' },
  '1': { label: 'Name of the group marked 1', usually: 'Usually the customers who use the app.' },
}

/**
 * The two groups' names, used on every screen and in the saved files from here on, and the names
 * of new Constant Contact lists unless the person types others on the Upload step. Splitsend
 * suggests them from the flag column and says so until the person types their own.
 */
export function GroupNames({
  names,
  chosenBy,
  flagColumn,
  onChange,
}: {
  names: Names
  chosenBy: MappingDraft['namesChosenBy']
  flagColumn: string | null
  onChange(group: GroupKey, name: string): void
}) {
  const description = (group: GroupKey) =>
    chosenBy[group] === 'suggestion'
      ? `${MEANING[group].usually} Suggested from ${flagColumn ? `the column “${flagColumn}”` : 'the flag'}: type the name you want to see in Constant Contact.`
      : MEANING[group].usually
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      {GROUP_KEYS.map((group) => (
        <TextInput
          key={group}
          label={MEANING[group].label}
          description={description(group)}
          value={names[group]}
          maxLength={MAX_GROUP_NAME_LENGTH}
          onChange={(event) => onChange(group, event.currentTarget.value)}
          error={groupNameProblem(names[group])}
        />
      ))}
    </SimpleGrid>
  )
}
