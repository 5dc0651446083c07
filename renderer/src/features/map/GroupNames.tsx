import { SimpleGrid, TextInput } from '@mantine/core'
import { GROUP_KEYS, type GroupKey } from '../../../../shared/ids'
import { groupNameProblem, MAX_GROUP_NAME_LENGTH } from '../prepare/mapping'
import type { GroupNames as Names } from '../prepare/types'

const MEANING: Record<GroupKey, { label: string; description: string }> = {
  '0': { label: 'Name of the group marked 0', description: 'Usually the customers who don’t use the app.' },
  '1': { label: 'Name of the group marked 1', description: 'Usually the customers who use the app.' },
}

/** The two groups' names, used on every screen and in the saved files from here on. */
export function GroupNames({ names, onChange }: { names: Names; onChange(group: GroupKey, name: string): void }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      {GROUP_KEYS.map((group) => (
        <TextInput
          key={group}
          label={MEANING[group].label}
          description={MEANING[group].description}
          value={names[group]}
          maxLength={MAX_GROUP_NAME_LENGTH}
          onChange={(event) => onChange(group, event.currentTarget.value)}
          error={groupNameProblem(names[group])}
        />
      ))}
    </SimpleGrid>
  )
}
