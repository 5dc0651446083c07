import { Group, Loader, Text } from '@mantine/core'

/** A small spinner with what is being waited for, in words. */
export function Loading({ words, size = 'xs' }: { words: string; size?: 'xs' | 'sm' }) {
  return (
    <Group gap="sm">
      <Loader size={size} aria-hidden />
      <Text size="sm">{words}</Text>
    </Group>
  )
}
