import { Radio, Stack } from '@mantine/core'
import type { ConflictPolicy } from '../prepare/types'

/** What happens to an address marked 0 on one row and 1 on another. */
export function ConflictRule({ value, onChange }: { value: ConflictPolicy; onChange(policy: ConflictPolicy): void }) {
  return (
    <Radio.Group
      label="When the same address is marked 0 on one row and 1 on another"
      value={value}
      onChange={(next) => onChange(next as ConflictPolicy)}
    >
      <Stack gap="xs" mt="xs">
        <Radio value="exclude" label="Leave all its rows out and list them as problems (safest)" />
        <Radio value="first" label="The first row wins" />
        <Radio value="last" label="The last row wins" />
      </Stack>
    </Radio.Group>
  )
}
