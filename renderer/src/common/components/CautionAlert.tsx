import { Alert, List } from '@mantine/core'

/**
 * Things to check that don't stop the work, as a list under a title. Yellow marks it out; the title
 * keeps the ordinary text colour, as yellow text on a pale background is too faint to read.
 */
export function CautionAlert({ title, items }: { title: string; items: string[] }) {
  if (items.length === 0) return null
  return (
    <Alert color="yellow" title={title} styles={{ title: { color: 'var(--mantine-color-text)' } }}>
      <List size="sm">
        {items.map((item) => (
          <List.Item key={item}>{item}</List.Item>
        ))}
      </List>
    </Alert>
  )
}
