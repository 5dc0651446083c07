/**
 * A pale ("light") badge's words in the page's own text colour: orange or yellow text on its pale
 * tint is too faint to read (axe's contrast check); the tint still marks the badge out.
 */
export const READABLE_BADGE = { label: { color: 'var(--mantine-color-text)' } }
